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
  /** Closed candles, oldest first. */
  readonly closed: readonly Candle[];
  /** The still-open candle (the trades so far), only when no `end` was given; else null. */
  readonly open: Candle | null;
}

/** Which closed candles a request gets: up to `newestClosed`, at most `count`. */
export interface ClosedRange {
  readonly newestClosed: number;
  readonly count: number;
}

/**
 * The `limit` newest candles up to `end` (closed by then) or, without `end`, up to `now` with
 * the still-open candle last (made of the trades so far, never of one after `now`).
 */
export function selectCandles(path: MarketPath, query: CandlesQuery, now: number): CandlesAnswer {
  const open = openCandle(path, query, now);
  const range = closedRange(query, now, open !== null);
  return { closed: closedCandles(path, query, range), open };
}

/** The still-open candle at `now` when the request names no `end` and it has trades; else null. */
export function openCandle(path: MarketPath, query: CandlesQuery, now: number): Candle | null {
  return query.end === null ? path.candleUntil(query.symbolIndex, query.level, now) : null;
}

/** The closed candles a request gets, beside its open candle if it has one. */
export function closedRange(query: CandlesQuery, now: number, hasOpen: boolean): ClosedRange {
  const until = query.end === null ? now : Math.min(query.end, now);
  // The candle holding `until` has not ended by then: the one before it is the newest closed.
  return {
    newestClosed: candleIndex(query.level, until) - 1,
    count: query.limit - (hasOpen ? 1 : 0),
  };
}

/** The range's candles, oldest first: fewer where intervals had no trades. */
export function closedCandles(path: MarketPath, query: CandlesQuery, range: ClosedRange): Candle[] {
  const newest: Candle[] = [];
  const oldestLooked = range.newestClosed - range.count * SLOTS_PER_CANDLE;
  for (
    let index = range.newestClosed;
    index > oldestLooked && newest.length < range.count;
    index--
  ) {
    const candle = path.candle(query.symbolIndex, query.level, index);
    if (candle !== null) newest.push(candle);
  }
  return newest.reverse();
}

/** `{"symbol":…,"interval":…,"candles":[[start,"open","high","low","close","volume"],…]}` */
export function candlesJson(query: CandlesQuery, answer: CandlesAnswer): string {
  const rows = candleRows(query, answer.closed);
  const open = answer.open === null ? '' : candleRow(query, answer.open);
  return answerJson(query, rows, open);
}

/** The answer around its rows (each already JSON; either may be empty). */
export function answerJson(query: CandlesQuery, closedRows: string, openRow: string): string {
  const rows =
    closedRows !== '' && openRow !== '' ? `${closedRows},${openRow}` : closedRows + openRow;
  return `{"symbol":${JSON.stringify(query.symbol.ticker)},"interval":"${query.interval}","candles":[${rows}]}`;
}

/** Candles as JSON rows, comma-separated. */
export function candleRows(query: CandlesQuery, candles: readonly Candle[]): string {
  return candles.map((c) => candleRow(query, c)).join(',');
}

/** `[start,"open","high","low","close","volume"]` in the symbol's decimals. */
export function candleRow(query: CandlesQuery, c: Candle): string {
  const { priceDecimals: p, sizeDecimals: s } = query.symbol;
  return `[${c.start},"${decimal(c.open, p)}","${decimal(c.high, p)}","${decimal(c.low, p)}","${decimal(c.close, p)}","${decimal(c.volume, s)}"]`;
}

/** A scaled integer as an exact decimal string ("4318846", 2 → "43188.46"): no binary float. */
export function decimal(scaled: number, decimals: number): string {
  const digits = String(scaled).padStart(decimals + 1, '0');
  if (decimals === 0) return digits;
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
