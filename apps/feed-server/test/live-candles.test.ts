import { describe, expect, it } from 'vitest';
import { ByteWriter, decodeSnapshot, encodeSnapshot } from '@ticker/protocol';
import type { Candle } from '@ticker/protocol';
import { defaultUniverse } from '../src/config.js';
import { Market } from '../src/domain/market.js';
import { TradingHours } from '../src/domain/trading-hours.js';
import { selectCandles } from '../src/history/candles-json.js';
import { isRefusal, parseCandlesQuery } from '../src/history/candles-query.js';

const UNIVERSE = defaultUniverse().slice(0, 40);
const START = Date.UTC(2026, 0, 5, 14, 58, 30, 120);
const FLUSH_MS = 50;
/** Long enough to close a few minutes; the stocks open at 15:00 in the second case. */
const PLAYED_MS = 4 * 60_000;

/** The closed candles the history API serves for `ticker` at `interval`, up to `end`. */
function served(market: Market, ticker: string, interval: string, end: number): Candle[] {
  const query = parseCandlesQuery(
    `symbol=${ticker}&interval=${interval}&end=${end}&limit=1000`,
    UNIVERSE,
  );
  if (isRefusal(query)) throw new Error(query.reason);
  return selectCandles(market.path, query, end).closed.map(
    ({ start, open, high, low, close, volume }) => ({ start, open, high, low, close, volume }),
  );
}

describe.each([
  ['always open', null],
  ['stocks opening at 15:00', TradingHours.parse('15:00-21:00')],
])('candles made from the live ticks (%s)', (_name, stockHours) => {
  it('are the candles the history API serves for the same closed intervals', () => {
    const market = new Market({
      universe: UNIVERSE,
      seed: 5,
      tickRate: 2_000,
      startTime: START,
      stockHours,
    });
    // Each history is filled from the path when first read; every candle after that is made
    // from the ticks of the batches appended to it, flush by flush.
    for (const [index, symbol] of UNIVERSE.entries()) market.histories[index]?.snapshot(symbol.id);
    const end = START + PLAYED_MS;
    for (let time = START + FLUSH_MS; time <= end; time += FLUSH_MS) {
      market.flush(
        time,
        () => undefined,
        () => false,
      );
    }
    const writer = new ByteWriter(64 * 1024);
    let compared = 0;
    for (const [index, symbol] of UNIVERSE.entries()) {
      const history = market.histories[index];
      if (!history) throw new Error('no history');
      const snapshot = decodeSnapshot(
        encodeSnapshot({ requestId: 0, ...history.snapshot(symbol.id) }, writer),
      );
      for (const [intervalMs, interval] of [
        [1_000, '1s'],
        [60_000, '1m'],
      ] as const) {
        // Made from the ticks alone: intervals that began after the fill and have closed.
        const live = (
          snapshot.candles.find((s) => s.intervalMs === intervalMs)?.candles ?? []
        ).filter((c) => c.start > START && c.start + intervalMs <= end);
        const api = served(market, symbol.ticker, interval, end).filter((c) => c.start > START);
        expect(live, `${symbol.ticker} ${interval}`).toEqual(api);
        compared += live.length;
      }
    }
    // Most of the 40 symbols trade in most of the 240 seconds and the 3 whole minutes.
    expect(compared).toBeGreaterThan(2_000);
  });
});
