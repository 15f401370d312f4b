import type { SymbolSpec } from '../domain/universe.js';
import { HISTORY_INTERVAL_NAMES } from '@ticker/protocol';
import { MARKET_RANGE, levelOf } from '../market-path/intervals.js';

/** The most candles one request may ask for: what bounds a request's cost. */
export const MAX_CANDLES = 1_000;
export const DEFAULT_CANDLES = 500;

/** A valid candles request: whose, which interval, up to when, how many. */
export interface CandlesQuery {
  readonly symbolIndex: number;
  readonly symbol: SymbolSpec;
  readonly level: number;
  readonly interval: string;
  /** Epoch ms; null: up to now, the still-open candle last. */
  readonly end: number | null;
  readonly limit: number;
}

/** A request that cannot be answered: the HTTP status and a one-line reason naming the parameter. */
export interface QueryRefusal {
  readonly status: 400 | 404;
  readonly reason: string;
}

const INTEGER = /^\d{1,16}$/;
const PARAMETERS = ['symbol', 'interval', 'end', 'limit'];

/**
 * Reads `GET /api/v1/candles?symbol=…&interval=…&end=…&limit=…` (docs/API.md): every parameter
 * checked, each refusal naming the one at fault. A ticker the directory lacks is 404; anything
 * else malformed or out of range is 400, and so is a parameter it does not know or one given
 * twice (a typo such as `limt` would otherwise pass unnoticed as the default).
 */
export function parseCandlesQuery(
  query: string,
  universe: readonly SymbolSpec[],
): CandlesQuery | QueryRefusal {
  const params = new URLSearchParams(query);
  const stray = strayParameter(params);
  if (stray !== null) return bad(stray);
  const ticker = params.get('symbol');
  if (ticker === null || ticker === '') return bad('symbol is required, e.g. symbol=BTC-USD');
  const symbolIndex = universe.findIndex((s) => s.ticker === ticker);
  const symbol = universe[symbolIndex];
  if (symbol === undefined) {
    return { status: 404, reason: `unknown symbol: ${ticker.slice(0, 32)}` };
  }
  const interval = params.get('interval') ?? '';
  const level = levelOf(interval);
  if (level === undefined) {
    return bad(`interval must be one of ${HISTORY_INTERVAL_NAMES.join(', ')}`);
  }
  const endText = params.get('end');
  let end: number | null = null;
  if (endText !== null) {
    end = INTEGER.test(endText) ? Number(endText) : NaN;
    if (!(end >= MARKET_RANGE.min && end <= MARKET_RANGE.max)) {
      return bad(
        `end must be epoch milliseconds from ${MARKET_RANGE.min} to ${MARKET_RANGE.max} (${new Date(MARKET_RANGE.min).toISOString()} to ${new Date(MARKET_RANGE.max).toISOString()})`,
      );
    }
  }
  const limitText = params.get('limit');
  let limit = DEFAULT_CANDLES;
  if (limitText !== null) {
    limit = INTEGER.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_CANDLES)) {
      return bad(`limit must be an integer from 1 to ${MAX_CANDLES}`);
    }
  }
  return { symbolIndex, symbol, level, interval, end, limit };
}

export function isRefusal(value: CandlesQuery | QueryRefusal): value is QueryRefusal {
  return 'status' in value;
}

/** Why the parameters cannot be read as a whole (one unknown or repeated), or null. */
function strayParameter(params: URLSearchParams): string | null {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!PARAMETERS.includes(name)) {
      return `unknown parameter: ${name.slice(0, 32)} (expected ${PARAMETERS.join(', ')})`;
    }
    if (seen.has(name)) return `${name} is given more than once`;
    seen.add(name);
  }
  return null;
}

function bad(reason: string): QueryRefusal {
  return { status: 400, reason };
}
