import type { Candle, CandleSeries } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import { CandleBuffer } from '../src/feed/candle-buffer';
import type { CandleView } from '../src/feed/candle-buffer';

function bar(start: number, close: number, volume = 1): Candle {
  return { start, open: close - 1, high: close + 2, low: close - 3, close, volume };
}

function series(intervalMs: number, candles: Candle[]): CandleSeries {
  return { intervalMs, candles };
}

function bars(buffer: CandleBuffer): CandleView[] {
  return Array.from({ length: buffer.size }, (_, i) => buffer.at(i));
}

describe('CandleBuffer', () => {
  it('starts empty', () => {
    const buffer = new CandleBuffer(1_000, 4);
    expect(buffer.size).toBe(0);
    expect(buffer.intervalMs).toBe(1_000);
    expect(buffer.capacity).toBe(4);
    expect(buffer.firstAtOrAfter(0)).toBe(0);
    expect(buffer.firstAtOrAfter(Number.MAX_SAFE_INTEGER)).toBe(0);
  });

  describe('load', () => {
    it('holds the server bars oldest first', () => {
      const buffer = new CandleBuffer(1_000, 8);
      const candles = [bar(1_000, 100, 5), bar(2_000, 110, 6), bar(4_000, 90, 7)];
      buffer.load(series(1_000, candles));
      expect(buffer.size).toBe(3);
      expect(bars(buffer)).toEqual(candles);
      expect(buffer.startAt(2)).toBe(4_000);
      expect(buffer.closeAt(1)).toBe(110);
    });

    it('replaces whatever was there', () => {
      const buffer = new CandleBuffer(1_000, 8);
      buffer.load(series(1_000, [bar(1_000, 1), bar(2_000, 2), bar(3_000, 3)]));
      buffer.load(series(1_000, [bar(9_000, 9)]));
      expect(bars(buffer)).toEqual([bar(9_000, 9)]);
    });

    it('keeps the newest `capacity` bars of a longer series', () => {
      const buffer = new CandleBuffer(1_000, 3);
      buffer.load(
        series(
          1_000,
          [1, 2, 3, 4, 5].map((i) => bar(i * 1_000, i)),
        ),
      );
      expect(buffer.size).toBe(3);
      expect(bars(buffer).map((b) => b.start)).toEqual([3_000, 4_000, 5_000]);
    });

    it('empties on an empty series', () => {
      const buffer = new CandleBuffer(1_000, 3);
      buffer.load(series(1_000, [bar(1_000, 1)]));
      buffer.load(series(1_000, []));
      expect(buffer.size).toBe(0);
    });
  });

  it('clear forgets every bar and the buffer refills from scratch', () => {
    const buffer = new CandleBuffer(1_000, 2);
    buffer.load(series(1_000, [bar(1_000, 1), bar(2_000, 2), bar(3_000, 3)]));
    buffer.clear();
    expect(buffer.size).toBe(0);
    buffer.addTick(500, 7, 1);
    expect(bars(buffer)).toEqual([{ start: 0, open: 7, high: 7, low: 7, close: 7, volume: 1 }]);
  });

  describe('addTick', () => {
    it('opens a bar at the interval boundary below the first tick', () => {
      const buffer = new CandleBuffer(60_000, 4);
      buffer.addTick(125_432, 250, 3);
      expect(bars(buffer)).toEqual([
        { start: 120_000, open: 250, high: 250, low: 250, close: 250, volume: 3 },
      ]);
    });

    it('folds ticks within the interval into the current bar', () => {
      const buffer = new CandleBuffer(1_000, 4);
      buffer.addTick(10_000, 100, 1);
      buffer.addTick(10_100, 105, 2);
      buffer.addTick(10_500, 95, 3);
      buffer.addTick(10_999, 101, 4);
      expect(bars(buffer)).toEqual([
        { start: 10_000, open: 100, high: 105, low: 95, close: 101, volume: 10 },
      ]);
    });

    it('opens a new bar when a tick reaches the next boundary', () => {
      const buffer = new CandleBuffer(1_000, 4);
      buffer.addTick(10_999, 100, 1);
      buffer.addTick(11_000, 102, 2);
      expect(bars(buffer)).toEqual([
        { start: 10_000, open: 100, high: 100, low: 100, close: 100, volume: 1 },
        { start: 11_000, open: 102, high: 102, low: 102, close: 102, volume: 2 },
      ]);
    });

    it('leaves no bars for intervals without ticks', () => {
      const buffer = new CandleBuffer(1_000, 4);
      buffer.addTick(1_200, 100, 1);
      buffer.addTick(4_700, 101, 1);
      expect(bars(buffer).map((b) => b.start)).toEqual([1_000, 4_000]);
    });

    it('extends the last server bar with ticks in its interval', () => {
      const buffer = new CandleBuffer(1_000, 4);
      buffer.load(
        series(1_000, [{ start: 5_000, open: 100, high: 104, low: 98, close: 101, volume: 10 }]),
      );
      buffer.addTick(5_400, 106, 2);
      buffer.addTick(5_600, 97, 3);
      buffer.addTick(5_800, 99, 1);
      expect(bars(buffer)).toEqual([
        { start: 5_000, open: 100, high: 106, low: 97, close: 99, volume: 16 },
      ]);
    });

    it('ignores ticks older than the newest bar', () => {
      const buffer = new CandleBuffer(1_000, 4);
      buffer.load(series(1_000, [bar(4_000, 100, 1), bar(5_000, 200, 1)]));
      const before = bars(buffer);
      buffer.addTick(4_500, 1, 50);
      buffer.addTick(100, 999, 50);
      expect(buffer.size).toBe(2);
      expect(bars(buffer)).toEqual(before);
    });

    it('overwrites the oldest bar once full, keeping order', () => {
      const buffer = new CandleBuffer(1_000, 3);
      for (let second = 1; second <= 5; second++) buffer.addTick(second * 1_000 + 1, second, 1);
      expect(buffer.size).toBe(3);
      expect(bars(buffer).map((b) => [b.start, b.close])).toEqual([
        [3_000, 3],
        [4_000, 4],
        [5_000, 5],
      ]);
      // The newest bar is still the one ticks fold into after the wrap.
      buffer.addTick(5_500, 8, 2);
      expect(buffer.at(2)).toEqual({
        start: 5_000,
        open: 5,
        high: 8,
        low: 5,
        close: 8,
        volume: 3,
      });
      buffer.addTick(3_500, 0, 1);
      expect(buffer.size).toBe(3);
      expect(buffer.startAt(0)).toBe(3_000);
    });

    it('wraps after a load that exactly filled it', () => {
      const buffer = new CandleBuffer(1_000, 2);
      buffer.load(series(1_000, [bar(1_000, 1), bar(2_000, 2)]));
      buffer.addTick(3_000, 3, 1);
      expect(bars(buffer).map((b) => b.start)).toEqual([2_000, 3_000]);
    });
  });

  describe('firstAtOrAfter', () => {
    const buffer = new CandleBuffer(1_000, 8);
    buffer.load(series(1_000, [bar(1_000, 1), bar(2_000, 2), bar(5_000, 5), bar(6_000, 6)]));

    it('finds the first bar starting at or after a time', () => {
      expect(buffer.firstAtOrAfter(0)).toBe(0);
      expect(buffer.firstAtOrAfter(1_000)).toBe(0);
      expect(buffer.firstAtOrAfter(1_001)).toBe(1);
      expect(buffer.firstAtOrAfter(2_000)).toBe(1);
      expect(buffer.firstAtOrAfter(3_000)).toBe(2);
      expect(buffer.firstAtOrAfter(5_000)).toBe(2);
      expect(buffer.firstAtOrAfter(6_000)).toBe(3);
    });

    it('returns the size past the newest bar', () => {
      expect(buffer.firstAtOrAfter(6_001)).toBe(4);
    });

    it('searches in logical order once the buffer has wrapped', () => {
      const wrapped = new CandleBuffer(1_000, 5);
      for (let second = 1; second <= 13; second++) wrapped.addTick(second * 1_000, second, 1);
      // Holds 9..13 s, physically starting mid-array.
      expect(bars(wrapped).map((b) => b.start)).toEqual([9_000, 10_000, 11_000, 12_000, 13_000]);
      for (let i = 0; i < 5; i++) {
        expect(wrapped.firstAtOrAfter(9_000 + i * 1_000)).toBe(i);
        expect(wrapped.firstAtOrAfter(8_500 + i * 1_000)).toBe(i);
      }
      expect(wrapped.firstAtOrAfter(0)).toBe(0);
      expect(wrapped.firstAtOrAfter(13_001)).toBe(5);
    });
  });
});
