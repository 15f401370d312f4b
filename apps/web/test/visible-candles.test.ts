import { describe, expect, it } from 'vitest';
import { ChartCandles } from '../src/chart/chart-candles';
import { compareSeries } from '../src/chart/compare-series';
import { axisScale, visibleCandles } from '../src/chart/visible-candles';
import { chartCandles } from './chart-fixtures';
import type { Candle } from '@ticker/client';

const MINUTE = 60_000;
const T0 = 1_764_547_200_000; // a whole minute

const at = (minutes: number) => T0 + minutes * MINUTE;

/**
 * Eight one-minute candles with a gap at minute 5 and distinct figures, so a wrong index or a
 * high read for a close shows. Minute 0 has the lowest low and the largest volume, minute 7 the
 * highest high: both outside the middle range the tests look at.
 */
const ROWS: readonly Candle[] = [
  { start: at(0), open: 1_000, high: 1_020, low: 500, close: 1_010, volume: 900 },
  { start: at(1), open: 1_010, high: 1_050, low: 990, close: 1_040, volume: 10 },
  { start: at(2), open: 1_040, high: 1_100, low: 1_030, close: 1_060, volume: 20 },
  { start: at(3), open: 1_060, high: 1_070, low: 950, close: 1_000, volume: 40 },
  { start: at(4), open: 1_000, high: 1_090, low: 980, close: 1_080, volume: 30 },
  { start: at(6), open: 1_080, high: 1_085, low: 1_075, close: 1_078, volume: 5 },
  { start: at(7), open: 1_078, high: 5_000, low: 1_070, close: 1_072, volume: 1 },
];

describe('axisScale: toAxis', () => {
  it('divides a scaled price by 10^decimals on a linear or log axis', () => {
    expect(axisScale('linear', 2, null).toAxis(12_345)).toBeCloseTo(123.45, 10);
    expect(axisScale('linear', 0, 500).toAxis(12_345)).toBe(12_345);
    expect(axisScale('log', 3, 500).toAxis(12_345)).toBeCloseTo(12.345, 10);
  });

  it('gives the percent change from the base close on a percent axis', () => {
    const toAxis = axisScale('percent', 2, 2_000).toAxis;
    expect(toAxis(2_000)).toBe(0);
    expect(toAxis(2_500)).toBeCloseTo(25, 10);
    expect(toAxis(1_500)).toBeCloseTo(-25, 10);
  });

  it('falls back to prices without a positive base close', () => {
    expect(axisScale('percent', 2, null).toAxis(12_345)).toBeCloseTo(123.45, 10);
    expect(axisScale('percent', 2, 0).toAxis(12_345)).toBeCloseTo(123.45, 10);
  });
});

describe('axisScale: fromAxis', () => {
  it('comes back to the scaled price on every scale, from any base', () => {
    for (const [scale, decimals, base] of [
      ['linear', 2, null],
      ['log', 3, 500],
      ['percent', 2, 2_000],
      ['percent', 2, 0],
    ] as const) {
      const { toAxis, fromAxis } = axisScale(scale, decimals, base);
      for (const price of [1, 1_500, 2_000, 12_345, 6_543_210]) {
        expect(fromAxis(toAxis(price))).toBe(price);
      }
    }
  });

  it('rounds a value between two prices to the nearest one', () => {
    expect(axisScale('linear', 2, null).fromAxis(123.456)).toBe(12_346);
    expect(axisScale('linear', 2, null).fromAxis(123.454)).toBe(12_345);
    // +10.04 % of 2,000 is 2,200.8.
    expect(axisScale('percent', 2, 2_000).fromAxis(10.04)).toBe(2_201);
  });
});

describe('visibleCandles', () => {
  const candles = chartCandles(MINUTE, ROWS);

  it('includes the candle cut by the left edge and stops before the one at the right edge', () => {
    const view = visibleCandles(candles, at(1.5), at(4), 'linear', 0, false);
    expect([view.first, view.end]).toEqual([1, 4]); // minutes 1, 2, 3
    expect([view.from, view.to]).toEqual([at(1.5), at(4)]);
    // A candle that ends exactly at the left edge is not on screen.
    expect(visibleCandles(candles, at(2), at(4), 'linear', 0, false).first).toBe(2);
    // A candle cut by the right edge is.
    expect(visibleCandles(candles, at(2), at(3.01), 'linear', 0, false).end).toBe(4);
  });

  it('takes the extremes from highs and lows, in price units', () => {
    const view = visibleCandles(candles, at(1.5), at(4), 'linear', 2, false);
    expect(view.low).toBeCloseTo(9.5, 10); // minute 3's low
    expect(view.high).toBeCloseTo(11, 10); // minute 2's high
    expect(view.maxVolume).toBe(40);
  });

  it('takes the extremes from closes when only closes are drawn', () => {
    const view = visibleCandles(candles, at(1.5), at(4), 'linear', 2, true);
    expect(view.low).toBeCloseTo(10, 10); // minute 3's close
    expect(view.high).toBeCloseTo(10.6, 10); // minute 2's close
  });

  it('measures percent from the close of the first candle drawn, the cut one', () => {
    const view = visibleCandles(candles, at(1.5), at(4), 'percent', 2, false);
    expect(view.toAxis(candles.closeAt(1))).toBe(0);
    expect(view.toAxis(1_040 * 1.5)).toBeCloseTo(50, 10);
    expect(view.low).toBeCloseTo((950 / 1_040 - 1) * 100, 10);
    expect(view.high).toBeCloseTo((1_100 / 1_040 - 1) * 100, 10);
    const closes = visibleCandles(candles, at(1.5), at(4), 'percent', 2, true);
    expect(closes.low).toBeCloseTo((1_000 / 1_040 - 1) * 100, 10);
    expect(closes.high).toBeCloseTo((1_060 / 1_040 - 1) * 100, 10);
  });

  it('skips empty intervals and may start in one', () => {
    const view = visibleCandles(candles, at(5.5), at(8), 'linear', 0, false);
    expect([view.first, view.end]).toEqual([5, 7]); // minutes 6 and 7
    expect(view.high).toBe(5_000);
    expect(view.maxVolume).toBe(5);
  });

  it('has nothing to draw, and no extremes, outside the candles', () => {
    for (const [from, to] of [
      [at(-10), at(0)],
      [at(8), at(20)],
      [at(5), at(5.5)],
    ] as const) {
      const view = visibleCandles(candles, from, to, 'percent', 2, false);
      expect(view.first).toBe(view.end);
      expect(view.low).toBe(Infinity);
      expect(view.high).toBe(-Infinity);
      expect(view.maxVolume).toBe(0);
      expect(view.toAxis(12_345)).toBeCloseTo(123.45, 10); // no base: prices
    }
  });

  it('follows live trades folded into the candles', () => {
    const live = new ChartCandles(MINUTE);
    live.replaceLatest(ROWS.slice(0, 2));
    live.addTrade(at(1) + 10_000, 2_000, 3); // a new high in minute 1
    live.addTrade(at(2) + 5_000, 1_200, 1); // opens minute 2
    live.addTrade(at(2) + 6_000, 400, 2); // a new low in minute 2
    live.addTrade(at(2) + 7_000, 1_100, 4); // its close
    const view = visibleCandles(live, at(1), at(3), 'linear', 0, false);
    expect([view.first, view.end]).toEqual([1, 3]);
    expect(view.high).toBe(2_000);
    expect(view.low).toBe(400);
    expect(view.maxVolume).toBe(13);
    const closes = visibleCandles(live, at(1), at(3), 'percent', 0, true);
    expect(closes.high).toBe(0); // minute 1 closes at 2,000, the base
    expect(closes.low).toBeCloseTo(-45, 10); // minute 2 at 1,100
  });
});

describe('compareSeries', () => {
  const candles = chartCandles(MINUTE, ROWS);

  it('draws the same candles as the main series for the same range', () => {
    for (const [from, to] of [
      [at(1.5), at(4)],
      [at(2), at(4)],
      [at(5.5), at(8)],
      [at(-3), at(30)],
    ] as const) {
      const series = compareSeries('ETH-USD', candles, 0, from, to);
      const view = visibleCandles(candles, from, to, 'percent', 2, true);
      expect(series).not.toBeNull();
      expect([series?.first, series?.end]).toEqual([view.first, view.end]);
      expect(series?.low).toBeCloseTo(view.low, 10);
      expect(series?.high).toBeCloseTo(view.high, 10);
    }
  });

  it('gives percent changes from its first close on screen, from closes only', () => {
    const series = compareSeries('ETH-USD', candles, 0, at(1.5), at(4));
    expect(series?.ticker).toBe('ETH-USD');
    expect(series?.candles).toBe(candles);
    expect(series?.toAxis(1_040)).toBe(0);
    expect(series?.toAxis(2_080)).toBeCloseTo(100, 10);
    expect(series?.low).toBeCloseTo((1_000 / 1_040 - 1) * 100, 10);
    expect(series?.high).toBeCloseTo((1_060 / 1_040 - 1) * 100, 10);
  });

  it('is null with nothing on screen or no positive base', () => {
    expect(compareSeries('ETH-USD', candles, 0, at(8), at(20))).toBeNull();
    expect(compareSeries('ETH-USD', new ChartCandles(MINUTE), 0, at(0), at(20))).toBeNull();
    const zero = chartCandles(MINUTE, [
      { start: at(0), open: 0, high: 0, low: 0, close: 0, volume: 0 },
      { start: at(1), open: 5, high: 5, low: 5, close: 5, volume: 1 },
    ]);
    expect(compareSeries('ZERO', zero, 0, at(0), at(2))).toBeNull();
    expect(compareSeries('ZERO', zero, 0, at(1), at(2))?.first).toBe(1);
  });
});
