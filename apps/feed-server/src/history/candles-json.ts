import { candleIndex } from '../market-path/intervals.js';
import type { Candle, MarketPath } from '../market-path/market-path.js';
import type { CandlesQuery } from './candles-query.js';

/**
 * Candle slots looked at per candle asked for: an interval without trades has no candle, and a
 * quiet symbol's request looks no further back than this, so its cost stays bounded.
 */
const SLOTS_PER_CANDLE = 4;

/** What a candles request gets, before it is written as JSON. */
export interface CandlesAnswer {
  readonly candles: readonly Candle[];
  /** Whether every candle in it is closed (and so will never change). */
  readonly closed: boolean;
}

/**
 * The `limit` newest candles up to `end` (closed by then) or, without `end`, up to `now` with
 * the still-open candle last (made of the trades so far, never of one after `now`). Oldest first.
 */
export function selectCandles(path: MarketPath, query: CandlesQuery, now: number): CandlesAnswer {
  const { symbolIndex, level, limit } = query;
  const until = query.end === null ? now : Math.min(query.end, now);
  const newest: Candle[] = [];
  let closed = true;
  if (query.end === null) {
    const open = path.candleUntil(symbolIndex, level, now);
    if (open !== null) {
      newest.push(open);
      closed = false;
    }
  }
  // The candle holding `until` has not ended by then: the one before it is the newest closed.
  const newestClosed = candleIndex(level, until) - 1;
  const oldestLooked = newestClosed - limit * SLOTS_PER_CANDLE;
  for (let index = newestClosed; index > oldestLooked && newest.length < limit; index--) {
    const candle = path.candle(symbolIndex, level, index);
    if (candle !== null) newest.push(candle);
  }
  return { candles: newest.reverse(), closed };
}

/** `{"symbol":…,"interval":…,"candles":[[start,"open","high","low","close","volume"],…]}` */
export function candlesJson(query: CandlesQuery, answer: CandlesAnswer): string {
  const { priceDecimals, sizeDecimals } = query.symbol;
  const rows = answer.candles.map(
    (c) =>
      `[${c.start},"${decimal(c.open, priceDecimals)}","${decimal(c.high, priceDecimals)}","${decimal(c.low, priceDecimals)}","${decimal(c.close, priceDecimals)}","${decimal(c.volume, sizeDecimals)}"]`,
  );
  return `{"symbol":${JSON.stringify(query.symbol.ticker)},"interval":"${query.interval}","candles":[${rows.join(',')}]}`;
}

/** A scaled integer as an exact decimal string ("4318846", 2 → "43188.46"): no binary float. */
export function decimal(scaled: number, decimals: number): string {
  const digits = String(scaled).padStart(decimals + 1, '0');
  if (decimals === 0) return digits;
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
