import { describe, expect, it } from 'vitest';
import { pricePoints } from '../src/feed/chart-points';
import type { PricePoint } from '../src/feed/chart-points';
import { SymbolSeries } from '../src/feed/symbol-series';
import { candleSeries, snapshot, tickBatch } from './series-fixtures';
import type { TickRow } from './series-fixtures';

/** Ticks every `stepMs` from `from`, price = 1_000 + index. */
function ticks(from: number, count: number, stepMs: number): TickRow[] {
  return Array.from({ length: count }, (_, i) => [from + i * stepMs, 1_000 + i, 1] as const);
}

function seriesWith(options: Parameters<typeof snapshot>[0]): SymbolSeries {
  const series = new SymbolSeries('TEST');
  series.applySnapshot(snapshot(options));
  return series;
}

function times(points: readonly { time: number }[]): number[] {
  return points.map((p) => p.time);
}

function expectStrictlyIncreasing(points: readonly PricePoint[]): void {
  for (let i = 1; i < points.length; i++) {
    expect(points[i]?.time).toBeGreaterThan(points[i - 1]?.time ?? Infinity);
  }
}

describe('pricePoints', () => {
  it('is empty without data', () => {
    expect(pricePoints(new SymbolSeries('TEST'), 60_000, 500, 2)).toEqual([]);
  });

  it('takes the ticks of the window ending at the newest tick, in display units', () => {
    // Ticks at 0, 1 s, ... 10 s; the window is measured from the data, not the wall clock.
    const series = seriesWith({ ticks: ticks(0, 11, 1_000) });
    expect(pricePoints(series, 5_000, 500, 2)).toEqual([
      { time: 5_000, price: 10.05 },
      { time: 6_000, price: 10.06 },
      { time: 7_000, price: 10.07 },
      { time: 8_000, price: 10.08 },
      { time: 9_000, price: 10.09 },
      { time: 10_000, price: 10.1 },
    ]);
  });

  it('follows new ticks', () => {
    const series = seriesWith({ ticks: ticks(0, 11, 1_000) });
    series.applyBatch(tickBatch([[12_500, 2_000, 1]]));
    const points = pricePoints(series, 5_000, 500, 0);
    expect(times(points)).toEqual([8_000, 9_000, 10_000, 12_500]);
    expect(points.at(-1)?.price).toBe(2_000);
  });

  it('uses no bars while the ticks cover the window', () => {
    const series = seriesWith({
      ticks: ticks(50_000, 11, 1_000),
      candles: [
        candleSeries(
          1_000,
          0,
          Array.from({ length: 61 }, () => 9_999),
        ),
      ],
    });
    const points = pricePoints(series, 10_000, 500, 0);
    expect(times(points)).toEqual(times(ticks(50_000, 11, 1_000).map(([time]) => ({ time }))));
    expect(points.map((p) => p.price)).not.toContain(9_999);
  });

  it('fills the part of the window older than the oldest tick from 1 s bar closes', () => {
    // Bars each second from 0 to 59 s (close = 5_000 + second); ticks only from 55.2 s.
    const series = seriesWith({
      ticks: [
        [55_200, 1, 1],
        [57_000, 2, 1],
        [59_000, 3, 1],
        [60_000, 4, 1],
      ],
      candles: [
        candleSeries(
          1_000,
          0,
          Array.from({ length: 60 }, (_, second) => 5_000 + second),
        ),
      ],
    });
    const points = pricePoints(series, 30_000, 1_000, 0);
    const barPart = Array.from({ length: 26 }, (_, i) => ({
      time: 30_000 + i * 1_000,
      price: 5_030 + i,
    }));
    expect(points).toEqual([
      ...barPart,
      { time: 55_200, price: 1 },
      { time: 57_000, price: 2 },
      { time: 59_000, price: 3 },
      { time: 60_000, price: 4 },
    ]);
  });

  it('draws the bars alone when no ticks are held', () => {
    const series = seriesWith({ candles: [candleSeries(1_000, 10_000, [100, 101, 102, 103])] });
    expect(pricePoints(series, 60_000, 500, 1)).toEqual([
      { time: 10_000, price: 10 },
      { time: 11_000, price: 10.1 },
      { time: 12_000, price: 10.2 },
      { time: 13_000, price: 10.3 },
    ]);
    const single = seriesWith({ candles: [candleSeries(1_000, 10_000, [100])] });
    expect(pricePoints(single, 60_000, 500, 0)).toEqual([{ time: 10_000, price: 100 }]);
  });

  it('downsamples to maxPoints, keeping the ends and a spike', () => {
    const rows = ticks(0, 2_000, 100);
    rows[1_234] = [123_400, 50_000, 1];
    const series = seriesWith({ ticks: rows });
    const points = pricePoints(series, 200_000, 100, 0);
    expect(points).toHaveLength(100);
    expect(points[0]).toEqual({ time: 0, price: 1_000 });
    expect(points.at(-1)).toEqual({ time: 199_900, price: 2_999 });
    expect(points).toContainEqual({ time: 123_400, price: 50_000 });
    expectStrictlyIncreasing(points);
  });

  it('downsamples the bar and tick parts together', () => {
    const series = seriesWith({
      ticks: ticks(3_000_000, 2_000, 100),
      candles: [
        candleSeries(
          1_000,
          0,
          Array.from({ length: 3_000 }, (_, s) => s),
        ),
      ],
    });
    const points = pricePoints(series, 3_600_000, 300, 0);
    expect(points).toHaveLength(300);
    expect(points[0]?.time).toBe(0);
    expect(points.at(-1)?.time).toBe(3_199_900);
    expectStrictlyIncreasing(points);
  });

  it('spreads the points over the window by time when ticks are dense and bars sparse', () => {
    // Five minutes of 1 s bars, then 10 s of ticks every 5 ms: 2,000 ticks against 290 bars, as
    // a busy symbol's grid tile holds just after the page opens.
    const series = seriesWith({
      ticks: ticks(290_000, 2_000, 5),
      candles: [
        candleSeries(
          1_000,
          0,
          Array.from({ length: 290 }, (_, s) => 500 + s),
        ),
      ],
    });
    const points = pricePoints(series, 300_000, 300, 0);
    expectStrictlyIncreasing(points);
    // About one point a second (300 points over 300 s): no stretch of the line skips 3 s.
    for (let i = 1; i < points.length; i++) {
      const gap = (points[i]?.time ?? 0) - (points[i - 1]?.time ?? 0);
      expect(gap).toBeLessThanOrEqual(3_000);
    }
  });

  it('handles more points than its initial scratch space', () => {
    // 6,000 ticks and up to 8,000 points exceed the 4,096-entry scratch columns.
    const series = seriesWith({ ticks: ticks(0, 6_000, 10) });
    const points = pricePoints(series, 60_000, 8_000, 0);
    expect(points).toHaveLength(6_000);
    expect(points[4_500]).toEqual({ time: 45_000, price: 5_500 });
    expectStrictlyIncreasing(points);
    // A later, smaller call still reads correctly from the grown scratch space.
    const small = seriesWith({ ticks: ticks(0, 3, 10) });
    expect(pricePoints(small, 60_000, 8_000, 0)).toEqual([
      { time: 0, price: 1_000 },
      { time: 10, price: 1_001 },
      { time: 20, price: 1_002 },
    ]);
  });
});
