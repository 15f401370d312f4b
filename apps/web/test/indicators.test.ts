import { describe, expect, it } from 'vitest';
import { BAND_LINE, BollingerBands } from '../src/indicators/bollinger-bands';
import type { CandleColumns } from '../src/indicators/candle-columns';
import { createIndicator } from '../src/indicators/create-indicator';
import { EmaIndicator } from '../src/indicators/ema';
import type { Indicator } from '../src/indicators/indicator';
import type { IndicatorSpec } from '../src/indicators/indicator-spec';
import { SmaIndicator } from '../src/indicators/sma';
import { VwapIndicator } from '../src/indicators/vwap';

interface Bar {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Candles in plain arrays, counting reads so tests can bound the work of an update. */
class TestCandles implements CandleColumns {
  bars: Bar[];
  reads = 0;

  constructor(bars: Bar[] = []) {
    this.bars = [...bars];
  }

  get size(): number {
    return this.bars.length;
  }

  private bar(index: number): Bar {
    const bar = this.bars[index];
    if (bar === undefined) throw new RangeError(`no candle ${index} of ${this.bars.length}`);
    this.reads += 1;
    return bar;
  }

  startAt(index: number): number {
    return this.bar(index).start;
  }
  openAt(index: number): number {
    return this.bar(index).open;
  }
  highAt(index: number): number {
    return this.bar(index).high;
  }
  lowAt(index: number): number {
    return this.bar(index).low;
  }
  closeAt(index: number): number {
    return this.bar(index).close;
  }
  volumeAt(index: number): number {
    return this.bar(index).volume;
  }
}

/** Numerical Recipes' 32-bit LCG: deterministic series, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2026-03-02 19:00 UTC: the series cross a few midnights, the first day partial. */
const T0 = Date.UTC(2026, 2, 2, 19);

/** A random walk of scaled-integer candles (a 65,000.00 price), some with no volume. */
function randomBars(seed: number, count: number, intervalMs = HOUR, start = T0): Bar[] {
  const random = lcg(seed);
  const bars: Bar[] = [];
  let close = 6_500_000;
  for (let i = 0; i < count; i++) {
    const open = close;
    close = Math.max(1, open + Math.round((random() - 0.5) * 20_000));
    const high = Math.max(open, close) + Math.round(random() * 5_000);
    const low = Math.max(1, Math.min(open, close) - Math.round(random() * 5_000));
    const volume = random() < 0.15 ? 0 : Math.round(random() * 1_000_000);
    bars.push({ start: start + i * intervalMs, open, high, low, close, volume });
  }
  return bars;
}

// Reference implementations: the textbook definitions, recomputed from scratch at every index.

function referenceSma(values: readonly number[], period: number): number[] {
  return values.map((_, i) => {
    if (i < period - 1) return NaN;
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j] ?? NaN;
    return sum / period;
  });
}

function referenceEma(values: readonly number[], period: number): number[] {
  const alpha = 2 / (period + 1);
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i < period - 1) out.push(NaN);
    else if (i === period - 1) out.push(referenceSma(values.slice(0, period), period)[i] ?? NaN);
    else out.push(alpha * (values[i] ?? NaN) + (1 - alpha) * (out[i - 1] ?? NaN));
  }
  return out;
}

function referenceBands(values: readonly number[], period: number, width: number): number[][] {
  const middle = referenceSma(values, period);
  const upper: number[] = [];
  const lower: number[] = [];
  middle.forEach((mean, i) => {
    let squares = 0;
    for (let j = i - period + 1; j <= i; j++) squares += ((values[j] ?? NaN) - mean) ** 2;
    const deviation = Math.sqrt(squares / period);
    upper.push(mean + width * deviation);
    lower.push(mean - width * deviation);
  });
  return [middle, upper, lower];
}

function referenceVwap(bars: readonly Bar[]): number[] {
  let day = NaN;
  let weighted = 0;
  let volume = 0;
  return bars.map((bar) => {
    const barDay = Math.floor(bar.start / DAY);
    if (barDay !== day) {
      day = barDay;
      weighted = 0;
      volume = 0;
    }
    weighted += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
    volume += bar.volume;
    return volume > 0 ? weighted / volume : NaN;
  });
}

/** Every line of `spec`'s reference over `bars`. */
function reference(spec: IndicatorSpec, bars: readonly Bar[]): number[][] {
  const closes = bars.map((bar) => bar.close);
  switch (spec.kind) {
    case 'sma':
      return [referenceSma(closes, spec.period)];
    case 'ema':
      return [referenceEma(closes, spec.period)];
    case 'bb':
      return referenceBands(closes, spec.period, spec.width);
    case 'vwap':
      return [referenceVwap(bars)];
    case 'vma':
      return [
        referenceSma(
          bars.map((bar) => bar.volume),
          spec.period,
        ),
      ];
  }
}

function lines(indicator: Indicator): number[][] {
  return Array.from({ length: indicator.lineCount }, (_, line) =>
    Array.from({ length: indicator.size }, (_, i) => indicator.valueAt(line, i)),
  );
}

/** Where `actual` differs from `expected` by more than 1e-9 relative (NaN only matches NaN). */
function mismatches(actual: number[][], expected: number[][]): string[] {
  const found: string[] = [];
  expected.forEach((column, line) => {
    column.forEach((want, i) => {
      const got = actual[line]?.[i];
      const same =
        typeof got === 'number' &&
        (Number.isNaN(want)
          ? Number.isNaN(got)
          : Math.abs(got - want) <= 1e-9 * Math.max(Math.abs(want), Math.abs(got)));
      if (!same) found.push(`line ${line} index ${i}: got ${String(got)}, want ${want}`);
    });
    if ((actual[line]?.length ?? 0) !== column.length) found.push(`line ${line}: length differs`);
  });
  return found.slice(0, 5);
}

const SPECS: readonly IndicatorSpec[] = [
  { kind: 'sma', period: 2 },
  { kind: 'sma', period: 20 },
  { kind: 'ema', period: 2 },
  { kind: 'ema', period: 50 },
  { kind: 'bb', period: 20, width: 2 },
  { kind: 'bb', period: 7, width: 2.5 },
  { kind: 'vwap' },
  { kind: 'vma', period: 20 },
  { kind: 'vma', period: 3 },
];
const SEEDS = [1, 42, 2_026, 77_777];

/**
 * Feeds `bars` as the chart would: each candle first appears with its open only, then moves
 * through a few live ticks before settling on its final values; now and then several candles
 * arrive at once, or the caller recomputes a few more indices than it needs to.
 */
function feedLive(indicator: Indicator, bars: readonly Bar[], seed: number): TestCandles {
  const random = lcg(seed ^ 0x5eed);
  const candles = new TestCandles();
  indicator.reset(candles);
  let i = 0;
  while (i < bars.length) {
    const from = Math.max(0, candles.size - 1);
    if (random() < 0.1) {
      // A burst: a few finished candles appended together.
      const burst = bars.slice(i, i + 3);
      candles.bars.push(...burst);
      i += burst.length;
      indicator.update(candles, random() < 0.5 ? from : candles.size - burst.length);
      continue;
    }
    const bar = bars[i];
    if (bar === undefined) throw new Error(`no bar ${i}`);
    const p = bar.open;
    candles.bars.push({ ...bar, high: p, low: p, close: p, volume: 0 });
    indicator.update(candles, candles.size - 1);
    for (let tick = 0; tick < 4; tick++) {
      const price = Math.round(bar.low + random() * (bar.high - bar.low));
      const last = { ...bar, close: price, volume: Math.round(bar.volume * random()) };
      candles.bars[candles.size - 1] = last;
      indicator.update(candles, candles.size - 1);
    }
    candles.bars[candles.size - 1] = bar;
    const back = Math.min(candles.size - 1, Math.floor(random() * 4));
    indicator.update(candles, candles.size - 1 - back);
    i += 1;
  }
  return candles;
}

describe('indicators against reference implementations', () => {
  for (const spec of SPECS) {
    describe(JSON.stringify(spec), () => {
      it('reset matches the reference over several random series', () => {
        for (const seed of SEEDS) {
          const bars = randomBars(seed, 240);
          const indicator = createIndicator(spec);
          indicator.reset(new TestCandles(bars));
          expect(indicator.size).toBe(bars.length);
          expect(mismatches(lines(indicator), reference(spec, bars)), `seed ${seed}`).toEqual([]);
        }
      });

      it('the incremental path (appends and live ticks) equals a reset over the final series', () => {
        for (const seed of SEEDS) {
          const bars = randomBars(seed, 240);
          const live = createIndicator(spec);
          const candles = feedLive(live, bars, seed);
          expect(candles.bars).toEqual(bars);
          const fresh = createIndicator(spec);
          fresh.reset(new TestCandles(bars));
          expect(mismatches(lines(live), lines(fresh)), `seed ${seed}`).toEqual([]);
          expect(mismatches(lines(live), reference(spec, bars)), `seed ${seed}`).toEqual([]);
        }
      });

      it('a prepend followed by a reset covers the older history', () => {
        for (const seed of SEEDS) {
          const bars = randomBars(seed, 300);
          const candles = new TestCandles(bars.slice(180));
          const indicator = createIndicator(spec);
          indicator.reset(candles);
          indicator.update(candles, candles.size - 1);
          candles.bars.unshift(...bars.slice(0, 180));
          indicator.reset(candles);
          expect(indicator.size).toBe(300);
          expect(mismatches(lines(indicator), reference(spec, bars)), `seed ${seed}`).toEqual([]);
          // And it carries on incrementally from there.
          const next = randomBars(seed + 1, 1, HOUR, T0 + 300 * HOUR)[0];
          if (next === undefined) throw new Error('no bar');
          candles.bars.push(next);
          indicator.update(candles, candles.size - 1);
          expect(mismatches(lines(indicator), reference(spec, [...bars, next]))).toEqual([]);
        }
      });

      it('a live update reads O(period) candles, not the whole series', () => {
        const bars = randomBars(3, 3_000);
        const candles = new TestCandles(bars);
        const indicator = createIndicator(spec);
        indicator.reset(candles);
        const period = 'period' in spec ? spec.period : 1;
        // Bollinger sums its window's deviations afresh; the rest step from the previous index.
        const bound = spec.kind === 'bb' ? 2 * period + 8 : 8;
        for (let tick = 0; tick < 5; tick++) {
          candles.reads = 0;
          const last = bars[bars.length - 1];
          if (last === undefined) throw new Error('no bar');
          candles.bars[candles.size - 1] = { ...last, close: last.close + tick, volume: tick };
          indicator.update(candles, candles.size - 1);
          expect(candles.reads).toBeGreaterThan(0);
          expect(candles.reads).toBeLessThanOrEqual(bound);
        }
        candles.reads = 0;
        const next = randomBars(4, 1, HOUR, T0 + 3_000 * HOUR)[0];
        if (next === undefined) throw new Error('no bar');
        candles.bars.push(next);
        indicator.update(candles, candles.size - 2);
        expect(candles.reads).toBeLessThanOrEqual(2 * bound);
        expect(mismatches(lines(indicator), reference(spec, candles.bars))).toEqual([]);
      });
    });
  }
});

describe('values before the period', () => {
  const bars = randomBars(9, 12);
  const candles = new TestCandles(bars);

  it('are NaN for SMA, EMA, every Bollinger line and Vol MA, and defined from period - 1', () => {
    const indicators: Indicator[] = [
      new SmaIndicator(5),
      new EmaIndicator(5),
      new BollingerBands(5, 2),
      new SmaIndicator(5, 'volume'),
    ];
    for (const indicator of indicators) {
      indicator.reset(candles);
      for (let line = 0; line < indicator.lineCount; line++) {
        for (let i = 0; i < 4; i++) expect(indicator.valueAt(line, i), indicator.label).toBeNaN();
        for (let i = 4; i < bars.length; i++) {
          expect(Number.isFinite(indicator.valueAt(line, i)), indicator.label).toBe(true);
        }
      }
    }
  });

  it('are all NaN while the series is shorter than the period', () => {
    const sma = new SmaIndicator(20);
    sma.reset(candles);
    expect(sma.size).toBe(12);
    expect(lines(sma)[0]?.every(Number.isNaN)).toBe(true);
  });

  it('EMA starts at the SMA of the first period closes', () => {
    const ema = new EmaIndicator(5);
    const sma = new SmaIndicator(5);
    ema.reset(candles);
    sma.reset(candles);
    expect(ema.valueAt(0, 4)).toBe(sma.valueAt(0, 4));
    const alpha = 2 / 6;
    const close = bars[5]?.close ?? NaN;
    expect(ema.valueAt(0, 5)).toBeCloseTo(ema.valueAt(0, 4) + alpha * (close - ema.valueAt(0, 4)));
  });
});

describe('Bollinger Bands', () => {
  it('uses the population standard deviation around the SMA', () => {
    // Closes 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population deviation exactly 2 (sample: 2.14).
    const closes = [2, 4, 4, 4, 5, 5, 7, 9];
    const candles = new TestCandles(
      closes.map((close, i) => ({
        start: i,
        open: close,
        high: close,
        low: close,
        close,
        volume: 1,
      })),
    );
    const bands = new BollingerBands(8, 2);
    bands.reset(candles);
    expect(bands.valueAt(BAND_LINE.middle, 7)).toBe(5);
    expect(bands.valueAt(BAND_LINE.upper, 7)).toBe(9);
    expect(bands.valueAt(BAND_LINE.lower, 7)).toBe(1);
  });

  it('is flat on a flat series (no cancellation below zero)', () => {
    const price = 6_543_210_987;
    const candles = new TestCandles(
      Array.from({ length: 40 }, (_, i) => ({
        start: i,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: 1,
      })),
    );
    const bands = new BollingerBands(20, 2);
    bands.reset(candles);
    expect(bands.valueAt(BAND_LINE.upper, 39)).toBe(price);
    expect(bands.valueAt(BAND_LINE.lower, 39)).toBe(price);
  });
});

describe('VWAP', () => {
  function bar(start: number, typical: number, volume: number): Bar {
    return { start, open: typical, high: typical + 3, low: typical - 3, close: typical, volume };
  }
  const midnight = Date.UTC(2026, 2, 3);

  it('starts over at UTC midnight', () => {
    const candles = new TestCandles([
      bar(midnight - 2 * HOUR, 100, 1),
      bar(midnight - HOUR, 200, 3),
      bar(midnight, 400, 2),
      bar(midnight + HOUR, 100, 2),
    ]);
    const vwap = new VwapIndicator();
    vwap.reset(candles);
    expect(lines(vwap)).toEqual([[100, 175, 400, 250]]);
  });

  it('starts over at midnight on the incremental path too', () => {
    const candles = new TestCandles([bar(midnight - HOUR, 200, 3)]);
    const vwap = new VwapIndicator();
    vwap.reset(candles);
    candles.bars.push(bar(midnight, 400, 1));
    vwap.update(candles, 1);
    candles.bars[1] = bar(midnight, 400, 5);
    vwap.update(candles, 1);
    expect(lines(vwap)).toEqual([[200, 400]]);
  });

  it('is NaN while the day has no volume, then the volume-weighted typical price', () => {
    const candles = new TestCandles([
      bar(midnight - HOUR, 200, 3),
      bar(midnight, 400, 0),
      bar(midnight + HOUR, 100, 0),
      bar(midnight + 2 * HOUR, 300, 1),
      bar(midnight + 3 * HOUR, 600, 2),
    ]);
    const vwap = new VwapIndicator();
    vwap.reset(candles);
    expect(lines(vwap)).toEqual([[200, NaN, NaN, 300, 500]]);
  });

  it('uses (high + low + close) / 3 as the typical price', () => {
    const candles = new TestCandles([
      { start: midnight, open: 1, high: 12, low: 3, close: 6, volume: 10 },
    ]);
    const vwap = new VwapIndicator();
    vwap.reset(candles);
    expect(vwap.valueAt(0, 0)).toBe(7);
  });

  it('matches the reference over random minute candles crossing midnights', () => {
    const bars = randomBars(5, 4_000, 60_000, midnight - 30 * 60_000);
    const vwap = new VwapIndicator();
    vwap.reset(new TestCandles(bars));
    expect(mismatches(lines(vwap), [referenceVwap(bars)])).toEqual([]);
    // The first candle of each day is its own typical price (when it traded).
    const first = bars.findIndex((b) => b.start === midnight + DAY);
    const firstBar = bars[first];
    if (firstBar === undefined || firstBar.volume === 0) throw new Error('pick another seed');
    expect(vwap.valueAt(0, first)).toBeCloseTo((firstBar.high + firstBar.low + firstBar.close) / 3);
  });
});

describe('no drift', () => {
  it('SMA on integer candles is exactly the window sum over a long series', () => {
    const bars = randomBars(11, 5_000, 1_000);
    const sma = new SmaIndicator(50);
    feedLive(sma, bars, 11);
    const want = referenceSma(
      bars.map((b) => b.close),
      50,
    );
    for (let i = 0; i < bars.length; i++) expect(sma.valueAt(0, i)).toBe(want[i]);
  });

  it('a spike that passes through the window leaves no residue on non-integer data', () => {
    // Rounding 1e12 + x and subtracting 1e12 again loses ~1e-4 of x: a running sum would keep
    // that error for the rest of the series.
    const random = lcg(12);
    const bars: Bar[] = Array.from({ length: 600 }, (_, i) => {
      const close = i === 100 ? 1e12 : 1 + random();
      return { start: i * 1_000, open: close, high: close, low: close, close, volume: close };
    });
    for (const spec of SPECS.filter((s) => s.kind !== 'vwap')) {
      const live = createIndicator(spec);
      feedLive(live, bars, 12);
      expect(mismatches(lines(live), reference(spec, bars)), JSON.stringify(spec)).toEqual([]);
    }
  });

  it('many live ticks on the last candle, one a spike, leave no residue', () => {
    const random = lcg(13);
    const bars = randomBars(13, 100, 1_000);
    const candles = new TestCandles(bars);
    const indicators = SPECS.map(createIndicator);
    for (const indicator of indicators) indicator.reset(candles);
    const last = bars[bars.length - 1];
    if (last === undefined) throw new Error('no bar');
    for (let tick = 0; tick < 2_000; tick++) {
      const close = tick === 500 ? 1e15 + 0.5 : last.close + random();
      candles.bars[candles.size - 1] = { ...last, close, volume: last.volume + random() };
      for (const indicator of indicators) indicator.update(candles, candles.size - 1);
    }
    candles.bars[candles.size - 1] = last;
    for (const indicator of indicators) {
      indicator.update(candles, candles.size - 1);
      expect(
        mismatches(lines(indicator), reference(indicator.spec, bars)),
        indicator.label,
      ).toEqual([]);
    }
  });
});

describe('the indicator contract', () => {
  it('labels and panes say what the chart draws where', () => {
    const specs: IndicatorSpec[] = [
      { kind: 'sma', period: 20 },
      { kind: 'ema', period: 50 },
      { kind: 'bb', period: 20, width: 2 },
      { kind: 'bb', period: 20, width: 2.5 },
      { kind: 'vwap' },
      { kind: 'vma', period: 20 },
    ];
    const drawn = specs
      .map(createIndicator)
      .map((i) => [i.label, i.pane, i.lineCount, i.lineNames]);
    expect(drawn).toEqual([
      ['SMA 20', 'price', 1, ['average']],
      ['EMA 50', 'price', 1, ['average']],
      ['BB 20 2', 'price', 3, ['middle', 'upper', 'lower']],
      ['BB 20 2.5', 'price', 3, ['middle', 'upper', 'lower']],
      ['VWAP', 'price', 1, ['vwap']],
      ['Vol MA 20', 'volume', 1, ['average']],
    ]);
  });

  it('keeps the spec it was made from', () => {
    for (const spec of SPECS) expect(createIndicator(spec).spec).toEqual(spec);
  });

  it('is empty before its first reset and can start with update(candles, 0)', () => {
    const bars = randomBars(21, 30);
    const sma = new SmaIndicator(3);
    expect(sma.size).toBe(0);
    sma.update(new TestCandles(bars), 0);
    expect(mismatches(lines(sma), reference(sma.spec, bars))).toEqual([]);
  });

  it('follows a shorter series on reset', () => {
    const bars = randomBars(22, 30);
    const ema = new EmaIndicator(3);
    ema.reset(new TestCandles(bars));
    ema.reset(new TestCandles(bars.slice(0, 10)));
    expect(ema.size).toBe(10);
    expect(() => ema.valueAt(0, 10)).toThrow(RangeError);
  });

  it('grows its columns past their first capacity', () => {
    const bars = randomBars(23, 1_500, 60_000);
    const vma = new SmaIndicator(10, 'volume');
    feedLive(vma, bars, 23);
    expect(vma.size).toBe(1_500);
    expect(mismatches(lines(vma), reference(vma.spec, bars))).toEqual([]);
  });

  it('refuses an update from an index it has not computed', () => {
    const candles = new TestCandles(randomBars(24, 10));
    const sma = new SmaIndicator(3);
    sma.reset(new TestCandles(randomBars(24, 5)));
    expect(() => {
      sma.update(candles, 6);
    }).toThrow('Cannot update SMA 3 from index 6: 5 computed, 10 candles');
    expect(() => {
      sma.update(candles, -1);
    }).toThrow(RangeError);
    expect(() => {
      sma.update(candles, 1.5);
    }).toThrow(RangeError);
    sma.update(candles, 5);
    expect(sma.size).toBe(10);
  });

  it('refuses to read a line or an index it does not have', () => {
    const bands = new BollingerBands(3, 2);
    bands.reset(new TestCandles(randomBars(25, 4)));
    expect(() => bands.valueAt(3, 0)).toThrow('BB 3 2 has no line 3, only 3');
    expect(() => bands.valueAt(0, 4)).toThrow('BB 3 2 index 4 is outside [0, 4)');
    expect(() => bands.valueAt(0, -1)).toThrow(RangeError);
  });

  it('refuses periods and widths that mean nothing', () => {
    expect(() => new SmaIndicator(0)).toThrow(RangeError);
    expect(() => new EmaIndicator(2.5)).toThrow(RangeError);
    expect(() => new BollingerBands(20, 0)).toThrow(RangeError);
    expect(() => new BollingerBands(20, NaN)).toThrow(RangeError);
  });
});
