import { describe, expect, it } from 'vitest';
import type { CandleBuffer, CandleView } from '../src/feed/candle-buffer';
import type { RingBuffer } from '../src/feed/ring-buffer';
import { SymbolSeries, TICK_CAPACITY } from '../src/feed/symbol-series';
import {
  candle,
  candleSeries,
  quote,
  quoteSnapshot,
  session,
  snapshot,
  tickBatch,
} from './series-fixtures';

function ticksOf(buffer: RingBuffer): Array<[number, number]> {
  return Array.from({ length: buffer.size }, (_, i) => [buffer.timeAt(i), buffer.valueAt(i)]);
}

function barsOf(buffer: CandleBuffer): CandleView[] {
  return Array.from({ length: buffer.size }, (_, i) => buffer.at(i));
}

describe('SymbolSeries', () => {
  it('starts with nothing', () => {
    const series = new SymbolSeries('AAPL');
    expect(series.ticker).toBe('AAPL');
    expect(series.ticks.size).toBe(0);
    expect(series.seconds.size).toBe(0);
    expect(series.minutes.size).toBe(0);
    expect(series.session).toEqual({
      open: null,
      high: null,
      low: null,
      last: null,
      volume: 0,
      tradeCount: 0,
    });
    expect(series.direction).toBe(0);
    expect(series.latestTime()).toBeNull();
  });

  it('keeps ticks in a bounded buffer and bars at 1 s and 1 min', () => {
    const series = new SymbolSeries('AAPL');
    expect(series.ticks.capacity).toBe(TICK_CAPACITY);
    expect(series.seconds.intervalMs).toBe(1_000);
    expect(series.minutes.intervalMs).toBe(60_000);
  });

  describe('applySnapshot', () => {
    it('loads history ticks, both bar series and the session', () => {
      const series = new SymbolSeries('AAPL');
      series.applySnapshot(
        snapshot({
          ticks: [
            [120_100, 1_000, 1],
            [120_900, 1_010, 2],
            [121_300, 990, 3],
          ],
          candles: [
            candleSeries(60_000, 0, [950, 1_000]),
            candleSeries(1_000, 119_000, [980, 1_010, 990]),
          ],
          session: session({
            open: 900,
            high: 1_050,
            low: 880,
            last: 990,
            volume: 12_345,
            tradeCount: 40,
          }),
        }),
      );
      expect(ticksOf(series.ticks)).toEqual([
        [120_100, 1_000],
        [120_900, 1_010],
        [121_300, 990],
      ]);
      expect(barsOf(series.seconds).map((b) => [b.start, b.close])).toEqual([
        [119_000, 980],
        [120_000, 1_010],
        [121_000, 990],
      ]);
      expect(barsOf(series.minutes).map((b) => [b.start, b.close])).toEqual([
        [0, 950],
        [60_000, 1_000],
      ]);
      expect(series.session).toEqual({
        open: 900,
        high: 1_050,
        low: 880,
        last: 990,
        volume: 12_345,
        tradeCount: 40,
      });
      expect(series.latestTime()).toBe(121_300);
    });

    it('ignores bar series of other intervals', () => {
      const series = new SymbolSeries('AAPL');
      series.applySnapshot(snapshot({ candles: [candleSeries(300_000, 0, [1, 2, 3])] }));
      expect(series.seconds.size).toBe(0);
      expect(series.minutes.size).toBe(0);
    });

    it('reports no session figures before the first trade', () => {
      const series = new SymbolSeries('AAPL');
      series.applySnapshot(snapshot({ session: session({ open: 0, last: 0, tradeCount: 0 }) }));
      expect(series.session).toEqual({
        open: null,
        high: null,
        low: null,
        last: null,
        volume: 0,
        tradeCount: 0,
      });
    });

    it('resets ticks, bars, session and direction left by earlier data', () => {
      const series = new SymbolSeries('AAPL');
      series.applySnapshot(
        snapshot({
          ticks: [[1_000, 100, 1]],
          candles: [candleSeries(1_000, 1_000, [100]), candleSeries(60_000, 0, [100])],
          session: session({ open: 100, high: 100, low: 100, last: 100, volume: 1, tradeCount: 1 }),
        }),
      );
      series.applyBatch(tickBatch([[2_000, 150, 5]]));
      expect(series.direction).toBe(1);

      series.applySnapshot(
        snapshot({
          ticks: [[90_000, 70, 1]],
          candles: [candleSeries(1_000, 90_000, [70])],
          session: session({ open: 80, high: 90, low: 60, last: 70, volume: 9, tradeCount: 3 }),
        }),
      );
      expect(ticksOf(series.ticks)).toEqual([[90_000, 70]]);
      expect(barsOf(series.seconds).map((b) => b.start)).toEqual([90_000]);
      // No minute series in this snapshot: the old minute bars must not linger.
      expect(series.minutes.size).toBe(0);
      expect(series.session).toEqual({
        open: 80,
        high: 90,
        low: 60,
        last: 70,
        volume: 9,
        tradeCount: 3,
      });
      expect(series.direction).toBe(0);
    });

    it('clears to empty on an empty snapshot', () => {
      const series = new SymbolSeries('AAPL');
      series.applyBatch(tickBatch([[1_000, 100, 1]]));
      series.applySnapshot(snapshot());
      expect(series.ticks.size).toBe(0);
      expect(series.seconds.size).toBe(0);
      expect(series.minutes.size).toBe(0);
      expect(series.session.last).toBeNull();
      expect(series.latestTime()).toBeNull();
    });
  });

  describe('applyBatch', () => {
    function traded(): SymbolSeries {
      const series = new SymbolSeries('BTC-USD');
      series.applySnapshot(
        snapshot({
          ticks: [[60_500, 1_000, 1]],
          candles: [
            { intervalMs: 1_000, candles: [candle(60_000, 1_000, { volume: 1 })] },
            {
              intervalMs: 60_000,
              candles: [candle(60_000, 1_000, { open: 990, high: 1_020, low: 980, volume: 30 })],
            },
          ],
          session: session({
            open: 950,
            high: 1_020,
            low: 940,
            last: 1_000,
            volume: 500,
            tradeCount: 10,
          }),
        }),
      );
      return series;
    }

    it('appends the ticks', () => {
      const series = traded();
      series.applyBatch(
        tickBatch([
          [60_700, 1_005, 2],
          [61_200, 1_030, 4],
        ]),
      );
      expect(ticksOf(series.ticks)).toEqual([
        [60_500, 1_000],
        [60_700, 1_005],
        [61_200, 1_030],
      ]);
      expect(series.latestTime()).toBe(61_200);
    });

    it('folds the ticks into both bar series', () => {
      const series = traded();
      series.applyBatch(
        tickBatch([
          [60_700, 1_005, 2],
          [61_200, 1_030, 4],
          [61_900, 930, 1],
        ]),
      );
      expect(barsOf(series.seconds)).toEqual([
        { start: 60_000, open: 1_000, high: 1_005, low: 1_000, close: 1_005, volume: 3 },
        { start: 61_000, open: 1_030, high: 1_030, low: 930, close: 930, volume: 5 },
      ]);
      expect(barsOf(series.minutes)).toEqual([
        { start: 60_000, open: 990, high: 1_030, low: 930, close: 930, volume: 37 },
      ]);
    });

    it('updates the session high, low, last and volume but keeps the open', () => {
      const series = traded();
      series.applyBatch(
        tickBatch([
          [61_000, 1_100, 3],
          [61_100, 900, 4],
          [61_200, 1_010, 5],
        ]),
      );
      expect(series.session).toEqual({
        open: 950,
        high: 1_100,
        low: 900,
        last: 1_010,
        volume: 512,
        tradeCount: 13,
      });
    });

    it('starts a new session with the first trade after midnight UTC, as the server does', () => {
      const day = 86_400_000;
      const series = new SymbolSeries('BTC-USD');
      series.applySnapshot(
        snapshot({
          session: session({
            startTime: day,
            open: 900,
            high: 1_000,
            low: 800,
            last: 950,
            volume: 40,
            tradeCount: 4,
          }),
        }),
      );
      series.applyBatch(
        tickBatch([
          [2 * day - 10, 960, 2],
          [2 * day + 5, 970, 3],
          [2 * day + 9, 940, 1],
        ]),
      );
      expect(series.session).toEqual({
        open: 970,
        high: 970,
        low: 940,
        last: 940,
        volume: 4,
        tradeCount: 2,
      });
    });

    it('opens the session with the first trade after an untraded snapshot', () => {
      const series = new SymbolSeries('NEW');
      series.applySnapshot(snapshot());
      series.applyBatch(
        tickBatch([
          [1_000, 500, 2],
          [1_500, 520, 1],
        ]),
      );
      expect(series.session).toEqual({
        open: 500,
        high: 520,
        low: 500,
        last: 520,
        volume: 3,
        tradeCount: 2,
      });
    });

    it('tracks the direction of the last price change, through unchanged prices', () => {
      const series = traded(); // last 1_000
      series.applyBatch(tickBatch([[61_000, 1_001, 1]]));
      expect(series.direction).toBe(1);
      series.applyBatch(tickBatch([[61_100, 1_001, 1]]));
      expect(series.direction).toBe(1);
      series.applyBatch(
        tickBatch([
          [61_200, 1_010, 1],
          [61_300, 999, 1],
        ]),
      );
      expect(series.direction).toBe(-1);
      series.applyBatch(tickBatch([[61_400, 999, 1]]));
      expect(series.direction).toBe(-1);
    });

    it('has no direction after only the first trade', () => {
      const series = new SymbolSeries('NEW');
      series.applyBatch(tickBatch([[1_000, 500, 2]]));
      expect(series.direction).toBe(0);
      series.applyBatch(tickBatch([[1_100, 499, 2]]));
      expect(series.direction).toBe(-1);
    });

    it('counts each tick as a trade of the session', () => {
      const series = traded();
      expect(series.session.tradeCount).toBe(10);
      series.applyBatch(
        tickBatch([
          [61_000, 1, 1],
          [61_001, 2, 1],
        ]),
      );
      series.applyBatch(tickBatch([[61_002, 3, 1]]));
      expect(series.session.tradeCount).toBe(13);
    });

    it('reads only the first `count` entries of reused columns', () => {
      const series = traded();
      const batch = tickBatch([
        [61_000, 1_001, 1],
        [61_100, 5_000, 100],
      ]);
      batch.count = 1;
      series.applyBatch(batch);
      expect(series.ticks.size).toBe(2);
      expect(series.session.high).toBe(1_020);
      expect(series.session.last).toBe(1_001);
      expect(series.session.volume).toBe(501);
      expect(series.session.tradeCount).toBe(11);
    });

    it('changes nothing for an empty batch', () => {
      const series = traded();
      series.applyBatch(tickBatch([]));
      expect(series.ticks.size).toBe(1);
      expect(series.session.last).toBe(1_000);
      expect(series.session.tradeCount).toBe(10);
    });

    it('keeps at most TICK_CAPACITY ticks, the newest', () => {
      const series = new SymbolSeries('BUSY');
      const rows = Array.from({ length: TICK_CAPACITY + 10 }, (_, i) => [i, 100 + i, 1] as const);
      series.applyBatch(tickBatch(rows));
      expect(series.ticks.size).toBe(TICK_CAPACITY);
      expect(series.ticks.timeAt(0)).toBe(10);
      expect(series.latestTime()).toBe(TICK_CAPACITY + 9);
      expect(series.session.tradeCount).toBe(TICK_CAPACITY + 10);
    });
  });

  describe('applyQuoteSnapshot', () => {
    it('sets the session and fills 1 s bars with flat bars of the closes', () => {
      const series = new SymbolSeries('AAPL');
      series.applyQuoteSnapshot(
        quoteSnapshot({
          from: 118_000,
          closes: [1_000, 1_010, 990],
          session: session({
            open: 900,
            high: 1_050,
            low: 880,
            last: 990,
            volume: 12_345,
            tradeCount: 40,
          }),
        }),
      );
      expect(series.session).toEqual({
        open: 900,
        high: 1_050,
        low: 880,
        last: 990,
        volume: 12_345,
        tradeCount: 40,
      });
      expect(barsOf(series.seconds)).toEqual([
        { start: 118_000, open: 1_000, high: 1_000, low: 1_000, close: 1_000, volume: 0 },
        { start: 119_000, open: 1_010, high: 1_010, low: 1_010, close: 1_010, volume: 0 },
        { start: 120_000, open: 990, high: 990, low: 990, close: 990, volume: 0 },
      ]);
      expect(series.ticks.size).toBe(0);
      expect(series.latestTime()).toBe(120_000);
    });

    it('keeps gaps between closes as the server sent them', () => {
      const series = new SymbolSeries('AAPL');
      const snapshot = quoteSnapshot({ from: 5_000, closes: [10, 20] });
      series.applyQuoteSnapshot({
        ...snapshot,
        closes: {
          intervalMs: 1_000,
          points: [
            { start: 5_000, close: 10 },
            { start: 9_000, close: 20 },
          ],
        },
      });
      expect(barsOf(series.seconds).map((b) => [b.start, b.close])).toEqual([
        [5_000, 10],
        [9_000, 20],
      ]);
    });

    it('ignores closes of another interval but still sets the session', () => {
      const series = new SymbolSeries('AAPL');
      const snapshot = quoteSnapshot({
        closes: [1, 2],
        session: session({ last: 5, tradeCount: 1 }),
      });
      series.applyQuoteSnapshot({
        ...snapshot,
        closes: { ...snapshot.closes, intervalMs: 60_000 },
      });
      expect(series.seconds.size).toBe(0);
      expect(series.session.last).toBe(5);
    });

    it('reports no session figures before the first trade', () => {
      const series = new SymbolSeries('AAPL');
      series.applyQuoteSnapshot(quoteSnapshot({ session: session({ open: 0, tradeCount: 0 }) }));
      expect(series.session.last).toBeNull();
      expect(series.session.open).toBeNull();
    });

    it('keeps chart history: ticks, minute bars and full 1 s bars stay, newer closes extend them', () => {
      const series = new SymbolSeries('BTC-USD');
      series.applySnapshot(
        snapshot({
          ticks: [
            [60_100, 1_000, 1],
            [61_500, 1_020, 2],
          ],
          candles: [
            {
              intervalMs: 1_000,
              candles: [
                candle(60_000, 1_000, { open: 990, high: 1_005, low: 985, volume: 4 }),
                candle(61_000, 1_020, { open: 1_010, high: 1_025, low: 1_010, volume: 2 }),
              ],
            },
            candleSeries(60_000, 0, [950, 1_020]),
          ],
          session: session({ open: 950, high: 1_025, low: 900, last: 1_020, tradeCount: 9 }),
        }),
      );
      // Moved to the quote view: the snapshot's closes overlap the bars already held.
      series.applyQuoteSnapshot(
        quoteSnapshot({
          from: 60_000,
          closes: [1_000, 1_030, 1_040],
          session: session({ open: 950, high: 1_040, low: 900, last: 1_040, tradeCount: 12 }),
        }),
      );
      expect(barsOf(series.seconds)).toEqual([
        { start: 60_000, open: 990, high: 1_005, low: 985, close: 1_000, volume: 4 },
        // The open bar, now closed at the quote snapshot's price.
        { start: 61_000, open: 1_010, high: 1_030, low: 1_010, close: 1_030, volume: 2 },
        { start: 62_000, open: 1_040, high: 1_040, low: 1_040, close: 1_040, volume: 0 },
      ]);
      expect(ticksOf(series.ticks)).toEqual([
        [60_100, 1_000],
        [61_500, 1_020],
      ]);
      expect(series.minutes.size).toBe(2);
      expect(series.session).toMatchObject({ last: 1_040, high: 1_040, tradeCount: 12 });
    });
  });

  describe('applyQuote', () => {
    function quoted(): SymbolSeries {
      const series = new SymbolSeries('AAPL');
      series.applyQuoteSnapshot(
        quoteSnapshot({
          from: 10_000,
          closes: [1_000, 1_010],
          session: session({
            open: 950,
            high: 1_020,
            low: 940,
            last: 1_010,
            volume: 500,
            tradeCount: 10,
          }),
        }),
      );
      return series;
    }

    it('sets last, high, low, volume and trades from the quote and keeps the open', () => {
      const series = quoted();
      series.applyQuote(
        quote(11_400, 1_030, { high: 1_031, low: 930, volume: 520, tradeCount: 14 }),
      );
      expect(series.session).toEqual({
        open: 950,
        high: 1_031,
        low: 930,
        last: 1_030,
        volume: 520,
        tradeCount: 14,
      });
    });

    it("moves the 1 s bar of the quote's second: the open bar, then a new one", () => {
      const series = quoted();
      series.applyQuote(quote(11_400, 1_030));
      expect(barsOf(series.seconds).at(-1)).toEqual({
        start: 11_000,
        open: 1_010,
        high: 1_030,
        low: 1_010,
        close: 1_030,
        volume: 0,
      });
      series.applyQuote(quote(12_250, 1_000));
      series.applyQuote(quote(12_500, 1_005));
      expect(barsOf(series.seconds).map((b) => [b.start, b.close])).toEqual([
        [10_000, 1_000],
        [11_000, 1_030],
        [12_000, 1_005],
      ]);
      expect(barsOf(series.seconds).at(-1)).toMatchObject({ open: 1_000, high: 1_005, low: 1_000 });
    });

    it('carries the trade into the price line and the minute bars, so a chart opened on it is current', () => {
      const series = quoted();
      series.applyQuote(quote(11_400, 1_030));
      series.applyQuote(quote(12_500, 1_005));
      series.applyQuote(quote(12_500, 1_005)); // the same trade again adds no point
      expect(ticksOf(series.ticks)).toEqual([
        [11_400, 1_030],
        [12_500, 1_005],
      ]);
      expect(series.latestTime()).toBe(12_500);
      expect(barsOf(series.minutes)).toEqual([
        { start: 0, open: 1_030, high: 1_030, low: 1_005, close: 1_005, volume: 0 },
      ]);
    });

    it('tracks the direction of the last price change across quotes', () => {
      const series = quoted(); // last 1_010
      expect(series.direction).toBe(0);
      series.applyQuote(quote(11_000, 1_011));
      expect(series.direction).toBe(1);
      series.applyQuote(quote(11_300, 1_011));
      expect(series.direction).toBe(1);
      series.applyQuote(quote(11_600, 1_002));
      expect(series.direction).toBe(-1);
    });

    it("opens a session that had no trade at its snapshot with the first quote's price", () => {
      const series = new SymbolSeries('NEW');
      series.applyQuoteSnapshot(quoteSnapshot());
      series.applyQuote(quote(1_000, 500, { high: 500, low: 500, volume: 2, tradeCount: 1 }));
      expect(series.session).toEqual({
        open: 500,
        high: 500,
        low: 500,
        last: 500,
        volume: 2,
        tradeCount: 1,
      });
      expect(series.direction).toBe(0);
    });

    it('continues a chart history where the chart view left it', () => {
      const series = new SymbolSeries('BTC-USD');
      series.applySnapshot(
        snapshot({
          ticks: [[60_100, 1_000, 1]],
          candles: [candleSeries(1_000, 60_000, [1_000])],
          session: session({ open: 990, high: 1_000, low: 990, last: 1_000, tradeCount: 3 }),
        }),
      );
      series.applyQuote(quote(61_200, 1_050, { high: 1_050, low: 990, tradeCount: 5 }));
      expect(ticksOf(series.ticks)).toEqual([
        [60_100, 1_000],
        [61_200, 1_050],
      ]);
      expect(barsOf(series.seconds).map((b) => [b.start, b.close])).toEqual([
        [60_000, 1_000],
        [61_000, 1_050],
      ]);
      expect(series.direction).toBe(1);
      // Back in the chart view, its snapshot replaces everything.
      series.applySnapshot(snapshot({ ticks: [[70_000, 1_100, 1]] }));
      expect(ticksOf(series.ticks)).toEqual([[70_000, 1_100]]);
      expect(series.seconds.size).toBe(0);
    });
  });

  describe('latestTime', () => {
    it('falls back to the newest 1 s bar start without ticks', () => {
      const series = new SymbolSeries('AAPL');
      series.applySnapshot(snapshot({ candles: [candleSeries(1_000, 5_000, [1, 2, 3])] }));
      expect(series.latestTime()).toBe(7_000);
    });

    it('ignores minute bars', () => {
      const series = new SymbolSeries('AAPL');
      series.applySnapshot(snapshot({ candles: [candleSeries(60_000, 0, [1, 2])] }));
      expect(series.latestTime()).toBeNull();
    });
  });
});
