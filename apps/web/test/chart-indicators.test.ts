import { describe, expect, it, vi } from 'vitest';
import type { ChartCandles } from '../src/chart/chart-candles';
import { ChartHistory } from '../src/chart/chart-history';
import { ChartIndicators } from '../src/chart/chart-indicators';
import { createIndicator } from '../src/indicators';
import type { Indicator, IndicatorSpec } from '../src/indicators';
import type { Candle } from '@ticker/client';

const MINUTE = 60_000;
const T0 = 1_764_547_200_000; // a whole minute, at a UTC midnight
const at = (minutes: number) => T0 + minutes * MINUTE;

/**
 * A chart's history that is never started, so it asks nothing of the network: the tests write
 * its candles as pages and trades would, and bump `version` where a page would.
 */
function chartHistory(list: readonly Candle[] = []): ChartHistory {
  const fetchHistory = () => Promise.reject(new Error('a test history is never started'));
  const made = new ChartHistory({ ticker: 'BTC-USD', interval: '1m', fetchHistory });
  if (list.length > 0) made.candles.replaceLatest(list);
  return made;
}

/** `count` one-minute candles from minute `first`, prices wandering so every average moves. */
function rows(first: number, count: number, level = 1_000): Candle[] {
  return Array.from({ length: count }, (_, i) => {
    const close = level + ((i * 37) % 23) * 5 - 40;
    return {
      start: at(first + i),
      open: close - 3,
      high: close + 7 + (i % 4),
      low: close - 9,
      close,
      volume: 10 + ((i * 13) % 7),
    };
  });
}

const SPECS: readonly IndicatorSpec[] = [
  { kind: 'sma', period: 3 },
  { kind: 'ema', period: 4 },
  { kind: 'bb', period: 3, width: 2 },
  { kind: 'vwap' },
  { kind: 'vma', period: 3 },
];

/** Every line's value at every candle. */
function values(indicator: Indicator): number[][] {
  return indicator.lineNames.map((_, line) =>
    Array.from({ length: indicator.size }, (_, index) => indicator.valueAt(line, index)),
  );
}

/** What indicators computed from scratch over `candles` hold. */
function fresh(specs: readonly IndicatorSpec[], candles: ChartCandles): number[][][] {
  return specs.map((spec) => {
    const indicator = createIndicator(spec);
    indicator.reset(candles);
    return values(indicator);
  });
}

function spyAll(indicators: readonly Indicator[]) {
  return {
    resets: indicators.map((indicator) => vi.spyOn(indicator, 'reset')),
    updates: indicators.map((indicator) => vi.spyOn(indicator, 'update')),
  };
}

describe('ChartIndicators.sync', () => {
  it('computes the indicators of the specs over the candles, in the specs’ order', () => {
    const history = chartHistory(rows(0, 10));
    const { candles } = history;
    const indicators = new ChartIndicators().sync(SPECS, history);
    expect(indicators.map((indicator) => indicator.spec)).toEqual(SPECS);
    expect(indicators.map((indicator) => indicator.size)).toEqual(SPECS.map(() => 10));
    // The SMA 3 by hand: NaN for the first two, then the mean of the last three closes.
    const closes = Array.from({ length: 10 }, (_, i) => candles.closeAt(i));
    const sma = closes.map((_, i) =>
      i < 2
        ? NaN
        : ((closes[i] as number) + (closes[i - 1] as number) + (closes[i - 2] as number)) / 3,
    );
    expect(indicators[0] && values(indicators[0])).toEqual([sma]);
    expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
  });

  it('follows live trades from the last candle computed, never recomputing all', () => {
    const history = chartHistory(rows(0, 10));
    const { candles } = history;
    const chart = new ChartIndicators();
    const indicators = chart.sync(SPECS, history);
    const { resets, updates } = spyAll(indicators);
    const trades: readonly (readonly [number, number, number][])[] = [
      [[at(9) + 10_000, 1_200, 5]], // grows the open candle: a new high and close
      [[at(9) + 20_000, 700, 2]], // a new low
      [[at(10) + 1_000, 1_050, 3]], // opens the next candle
      [
        [at(11), 990, 1], // three candles between two redraws
        [at(12) + 59_999, 1_010, 4],
        [at(13) + 30_000, 1_300, 8],
        [at(13) + 40_000, 1_290, 1],
      ],
    ];
    for (const batch of trades) {
      const before = candles.size;
      for (const [time, price, size] of batch) candles.addTrade(time, price, size);
      updates.forEach((update) => update.mockClear());
      expect(chart.sync(SPECS, history)).toBe(indicators);
      for (const update of updates)
        expect(update).toHaveBeenCalledExactlyOnceWith(candles, before - 1);
      expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
    }
    expect(candles.size).toBe(14);
    for (const reset of resets) expect(reset).not.toHaveBeenCalled();
  });

  it('recomputes everything once when a page bumps the version', () => {
    const history = chartHistory(rows(0, 10));
    const { candles } = history;
    const chart = new ChartIndicators();
    const indicators = chart.sync(SPECS, history);
    const { resets, updates } = spyAll(indicators);
    // The latest page again, after a gap: minutes 4 on are corrected, far behind the open candle.
    candles.replaceLatest(rows(4, 6, 2_000));
    history.version += 1;
    expect(chart.sync(SPECS, history)).toBe(indicators);
    for (const reset of resets) expect(reset).toHaveBeenCalledExactlyOnceWith(candles);
    for (const update of updates) expect(update).not.toHaveBeenCalled();
    expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
    // The next redraw is incremental again.
    candles.addTrade(at(9) + 30_000, 2_100, 1);
    chart.sync(SPECS, history);
    for (const reset of resets) expect(reset).toHaveBeenCalledTimes(1);
    expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
  });

  it('recomputes everything when an older page moves every index', () => {
    const history = chartHistory(rows(20, 10));
    const { candles } = history;
    const chart = new ChartIndicators();
    const indicators = chart.sync(SPECS, history);
    expect(candles.prepend(rows(5, 15, 1_500))).toBe(15);
    history.version += 1;
    chart.sync(SPECS, history);
    expect(indicators.map((indicator) => indicator.size)).toEqual(SPECS.map(() => 25));
    expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
  });

  it('recomputes everything when the candles shrank, even without a version bump', () => {
    const history = chartHistory(rows(0, 10));
    const { candles } = history;
    const chart = new ChartIndicators();
    const indicators = chart.sync(SPECS, history);
    const { resets } = spyAll(indicators);
    candles.replaceLatest(rows(3, 2, 3_000));
    expect(candles.size).toBe(5);
    chart.sync(SPECS, history);
    for (const reset of resets) expect(reset).toHaveBeenCalledOnce();
    expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
  });

  it('starts from empty candles and follows the first trades', () => {
    const history = chartHistory();
    const { candles } = history;
    const chart = new ChartIndicators();
    const indicators = chart.sync(SPECS, history);
    expect(indicators.map((indicator) => indicator.size)).toEqual(SPECS.map(() => 0));
    const { resets } = spyAll(indicators);
    for (let i = 0; i < 6; i++) {
      candles.addTrade(at(i), 1_000 + i * 10, 1 + i);
      candles.addTrade(at(i) + 1_000, 995 + i * 12, 2);
      chart.sync(SPECS, history);
    }
    for (const reset of resets) expect(reset).not.toHaveBeenCalled();
    expect(indicators.map(values)).toEqual(fresh(SPECS, candles));
  });

  it('keeps its indicators for equal specs and makes new ones when the specs change', () => {
    const history = chartHistory(rows(0, 10));
    const { candles } = history;
    const chart = new ChartIndicators();
    const first = chart.sync([{ kind: 'sma', period: 3 }], history);
    // A new array of the same specs (a re-render) keeps them.
    expect(chart.sync([{ kind: 'sma', period: 3 }], history)).toBe(first);
    const changed: readonly IndicatorSpec[] = [
      { kind: 'sma', period: 5 },
      { kind: 'ema', period: 3 },
    ];
    const second = chart.sync(changed, history);
    expect(second).not.toBe(first);
    expect(second.map((indicator) => indicator.spec)).toEqual(changed);
    expect(second.every((indicator) => !first.includes(indicator))).toBe(true);
    expect(second.map(values)).toEqual(fresh(changed, candles));
    // Back to the first specs: made anew, and computed, not the stale ones.
    const third = chart.sync([{ kind: 'sma', period: 3 }], history);
    expect(third[0]).not.toBe(first[0]);
    expect(third.map(values)).toEqual(fresh([{ kind: 'sma', period: 3 }], candles));
    expect(chart.sync([], history)).toEqual([]);
  });

  it('makes new indicators for another chart’s history, even at the same version', () => {
    const chart = new ChartIndicators();
    const one = chartHistory(rows(0, 10));
    const other = chartHistory(rows(0, 12, 5_000));
    expect(other.version).toBe(one.version);
    const first = chart.sync(SPECS, one);
    const second = chart.sync(SPECS, other);
    expect(second).not.toBe(first);
    expect(second.map(values)).toEqual(fresh(SPECS, other.candles));
    expect(first.map(values)).toEqual(fresh(SPECS, one.candles)); // the old ones are left alone
  });
});
