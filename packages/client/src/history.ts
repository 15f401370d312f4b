import { HISTORY_INTERVALS, HISTORY_INTERVAL_NAMES, MAX_DECIMALS } from '@ticker/protocol';
import type { Candle, CandleSeries, HistoryInterval } from '@ticker/protocol';
import { ClientErrorCode, HistoryError } from './feed-error.js';

/** The most candles one request may ask for (the server refuses more with 400). */
export const MAX_HISTORY_LIMIT = 1_000;

/** Where the history API lives on the feed's host (docs: packages/client/README.md "History"). */
export const HISTORY_PATH = '/api/v1/candles';

export interface HistoryRequest {
  /** The ticker, e.g. `BTC-USD`. */
  readonly symbol: string;
  readonly interval: HistoryInterval;
  /**
   * Epoch ms: the newest candles closed by then. Without it, up to now, and the last candle is
   * the still-open one (it will change).
   */
  readonly end?: number;
  /** How many candles at most, 1 to 1,000. Default: the server's (500). */
  readonly limit?: number;
}

export interface HistoryOptions {
  /** Aborting it rejects the pending `history()` with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * What `history()` resolves with: a candle series as snapshots carry them (prices in price units,
 * volume in size units: scaled integers), oldest first, so it merges with a snapshot's series of
 * the same `intervalMs`.
 */
export interface History extends CandleSeries {
  readonly symbol: string;
  readonly interval: HistoryInterval;
  /**
   * For a request without `end`: the instant (epoch ms) the open candle is as of, from the
   * server's `Ticker-As-Of` header. It holds exactly the trades at or before it, so a client
   * folding live trades into it takes only later ones. Absent with `end`, or from a server that
   * does not send it.
   */
  readonly asOf?: number;
}

/** The header naming the instant an answer without `end` is as of (docs/API.md). */
export const AS_OF_HEADER = 'Ticker-As-Of';

/** A symbol's decimals, when the client knows them from the directory. */
export interface HistoryDecimals {
  readonly price: number;
  readonly size: number;
}

/** What a history request takes from the client that makes it. */
export interface HistoryContext {
  /** The client's current feed URL (`ws:`/`wss:`), whose host the API shares. */
  readonly feedUrl: string;
  /** `FeedClientOptions.historyUrl`: the API's base URL, instead of the feed's host. */
  readonly historyUrl?: string | undefined;
  /** Asked once per request, after the arguments passed their checks; null or '': none. */
  token(): string | null;
  decimalsOf(symbol: string): HistoryDecimals | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The API endpoint: `historyUrl` with `/api/v1/candles` appended to its path (so an API mounted
 * under a prefix works), or else the feed URL with its scheme mapped (`ws:` → `http:`, `wss:` →
 * `https:`) and its path replaced. A relative URL resolves against the page, where there is one.
 */
export function historyEndpoint(feedUrl: string, historyUrl?: string): URL {
  const url = absoluteUrl(historyUrl ?? feedUrl, historyUrl === undefined ? 'url' : 'historyUrl');
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  url.pathname =
    historyUrl === undefined ? HISTORY_PATH : url.pathname.replace(/\/+$/, '') + HISTORY_PATH;
  url.search = '';
  url.hash = '';
  return url;
}

function absoluteUrl(text: string, option: string): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(text, page);
  } catch {
    throw new TypeError(`history: ${option} "${text}" is not a URL`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new TypeError(`history: ${option} "${text}" is not a ws:, wss:, http: or https: URL`);
  }
  return url;
}

/** Throws a TypeError or RangeError naming the first argument at fault. */
export function checkHistoryRequest(request: HistoryRequest): void {
  // Checked as what a JavaScript caller may pass, not as what the types promise.
  const given: unknown = request;
  if (!isRecord(given))
    throw new TypeError(`history: request must be an object, got ${describe(given)}`);
  const { symbol, interval, end, limit } = given;
  if (typeof symbol !== 'string' || symbol === '') {
    throw new TypeError(`history: symbol must be a non-empty string, got ${describe(symbol)}`);
  }
  if (typeof interval !== 'string' || !Object.hasOwn(HISTORY_INTERVALS, interval)) {
    throw new RangeError(
      `history: interval must be one of ${HISTORY_INTERVAL_NAMES.join(', ')}, got ${describe(interval)}`,
    );
  }
  if (end !== undefined && !(Number.isSafeInteger(end) && (end as number) >= 0)) {
    throw new RangeError(
      `history: end must be a non-negative integer (epoch ms), got ${describe(end)}`,
    );
  }
  if (
    limit !== undefined &&
    !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= MAX_HISTORY_LIMIT)
  ) {
    throw new RangeError(
      `history: limit must be an integer from 1 to ${MAX_HISTORY_LIMIT}, got ${describe(limit)}`,
    );
  }
}

/**
 * One `GET /api/v1/candles`: checks the arguments, sends the token as a Bearer header, and parses
 * the answer into scaled integers. Rejects with a TypeError or RangeError for a bad argument, a
 * `HistoryError` for a refused, malformed or missing answer, or the signal's reason on abort.
 */
export async function requestHistory(
  request: HistoryRequest,
  context: HistoryContext,
): Promise<History> {
  checkHistoryRequest(request);
  const { symbol, interval, end, limit } = request;
  const url = historyEndpoint(context.feedUrl, context.historyUrl);
  const query = new URLSearchParams({ symbol, interval });
  if (end !== undefined) query.set('end', String(end));
  if (limit !== undefined) query.set('limit', String(limit));
  url.search = query.toString();
  const { signal } = context;
  signal?.throwIfAborted();
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = context.token();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  const what = `history of ${symbol} ${interval}`;

  let response: Response;
  let body: string | null = null;
  try {
    response = await fetch(url, { headers, ...(signal ? { signal } : {}) });
    // Only a text/plain refusal's body is read: anything else (a proxy's HTML page) is noise.
    if (response.status === 200 || (!response.ok && mediaType(response) === 'text/plain')) {
      body = await response.text();
    } else {
      await response.body?.cancel();
    }
  } catch (error) {
    signal?.throwIfAborted();
    throw new HistoryError(
      ClientErrorCode.HistoryUnreachable,
      `${what}: no answer from ${url.origin}: ${describe(error)}`,
      { reason: describe(error), cause: error },
    );
  }

  const { status } = response;
  if (!response.ok) {
    const reason = firstLine(body ?? '');
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), Date.now());
    const wait = retryAfterMs === null ? '' : ` (retry after ${retryAfterMs} ms)`;
    throw new HistoryError(
      ClientErrorCode.HistoryRefused,
      `${what} refused: ${status}${reason ? ` ${reason}` : ''}${wait}`,
      { status, reason, retryAfterMs },
    );
  }
  const malformed = (reason: string) =>
    new HistoryError(ClientErrorCode.HistoryMalformed, `${what}: malformed answer: ${reason}`, {
      status,
      reason,
    });
  if (status !== 200 || body === null) throw malformed(`status ${status}, not 200`);
  const type = mediaType(response);
  if (type !== 'application/json') {
    // An older server, or a proxy's page: say so, rather than a JSON parse error.
    throw malformed(`${type || 'no content type'}, not application/json (is this a history API?)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw malformed(`not JSON: ${describe(error)}`);
  }
  try {
    const history = parseHistory(json, request, context.decimalsOf(symbol));
    const asOf = end === undefined ? parseAsOf(response.headers.get(AS_OF_HEADER)) : null;
    return asOf === null ? history : { ...history, asOf };
  } catch (error) {
    if (error instanceof HistoryShapeError) throw malformed(error.message);
    throw error;
  }
}

/** A body that breaks the contract; `requestHistory` turns it into a `HistoryError`. */
class HistoryShapeError extends Error {}

/**
 * Reads `{"symbol","interval","candles":[[startMs,"open","high","low","close","volume"],…]}`:
 * each candle's start a multiple of the interval, after the previous one; its prices exact
 * decimals with the same number of decimals throughout (the symbol's, when `decimals` gives
 * them), likewise its volumes; `low <= open, close <= high`.
 */
export function parseHistory(
  body: unknown,
  request: HistoryRequest,
  decimals?: HistoryDecimals,
): History {
  if (!isRecord(body)) throw new HistoryShapeError(`the body is ${describe(body)}, not an object`);
  const { symbol, interval } = request;
  if (body['symbol'] !== symbol) {
    throw new HistoryShapeError(`symbol is ${describe(body['symbol'])}, asked for "${symbol}"`);
  }
  if (body['interval'] !== interval) {
    throw new HistoryShapeError(
      `interval is ${describe(body['interval'])}, asked for "${interval}"`,
    );
  }
  const rows = body['candles'];
  if (!Array.isArray(rows)) {
    throw new HistoryShapeError(`candles is ${describe(rows)}, not an array`);
  }
  const most = request.limit ?? MAX_HISTORY_LIMIT;
  if (rows.length > most) {
    throw new HistoryShapeError(`${rows.length} candles, asked for at most ${most}`);
  }
  const intervalMs = HISTORY_INTERVALS[interval];
  const scale = { price: decimals?.price ?? null, size: decimals?.size ?? null };
  const candles: Candle[] = [];
  let previousStart = -1;
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row) || row.length !== 6) {
      throw new HistoryShapeError(
        `candles[${i}] is ${describe(row)}, not [start, open, high, low, close, volume]`,
      );
    }
    const start: unknown = row[0];
    if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0) {
      throw new HistoryShapeError(`candles[${i}][0] (start) is ${describe(start)}`);
    }
    if (start % intervalMs !== 0) {
      throw new HistoryShapeError(
        `candles[${i}] starts at ${start}, not a multiple of ${interval} (${intervalMs} ms)`,
      );
    }
    if (start <= previousStart) {
      throw new HistoryShapeError(
        `candles[${i}] starts at ${start}, not after the previous one (${previousStart})`,
      );
    }
    previousStart = start;
    const price = (k: number, name: string): number => {
      const value = parseDecimal(row[k], `candles[${i}][${k}] (${name})`);
      scale.price ??= value.decimals;
      if (value.decimals !== scale.price) {
        throw new HistoryShapeError(
          `candles[${i}][${k}] (${name}) "${String(row[k])}" has ${value.decimals} decimals, expected ${scale.price}`,
        );
      }
      return value.scaled;
    };
    const open = price(1, 'open');
    const high = price(2, 'high');
    const low = price(3, 'low');
    const close = price(4, 'close');
    const size = parseDecimal(row[5], `candles[${i}][5] (volume)`);
    scale.size ??= size.decimals;
    if (size.decimals !== scale.size) {
      throw new HistoryShapeError(
        `candles[${i}][5] (volume) "${String(row[5])}" has ${size.decimals} decimals, expected ${scale.size}`,
      );
    }
    if (low > Math.min(open, close) || high < Math.max(open, close)) {
      throw new HistoryShapeError(
        `candles[${i}] (start ${start}) breaks low <= open, close <= high: open=${open} high=${high} low=${low} close=${close}`,
      );
    }
    candles.push({ start, open, high, low, close, volume: size.scaled });
  }
  return { symbol, interval, intervalMs, candles };
}

// docs/openapi.yaml `Decimal`: digits, then a dot and digits or nothing (leading zeros allowed).
const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

/**
 * An exact decimal string as a scaled integer and its number of decimals ("43188.46" → 4318846,
 * 2; "7" → 7, 0), by digit manipulation: the digits without the dot are compared with
 * MAX_SAFE_INTEGER's as text, then read as one integer, which a double holds exactly. Rejects a
 * sign, exponent, bare or trailing dot, more than MAX_DECIMALS decimals, and a value that would
 * not stay exact.
 */
export function parseDecimal(text: unknown, where: string): { scaled: number; decimals: number } {
  if (typeof text !== 'string') {
    throw new HistoryShapeError(`${where} is ${describe(text)}, not a decimal string`);
  }
  const match = DECIMAL.exec(text);
  if (!match) throw new HistoryShapeError(`${where} "${cut(text)}" is not a decimal number`);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > MAX_DECIMALS) {
    throw new HistoryShapeError(
      `${where} "${text}" has ${fraction.length} decimals, more than ${MAX_DECIMALS}`,
    );
  }
  const digits = (whole + fraction).replace(/^0+(?=[0-9])/, '');
  if (
    digits.length > MAX_SAFE_DIGITS.length ||
    (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS)
  ) {
    throw new HistoryShapeError(
      `${where} "${text}" is beyond Number.MAX_SAFE_INTEGER once scaled (${digits})`,
    );
  }
  return { scaled: Number(digits), decimals: fraction.length };
}

/** `Ticker-As-Of`: epoch ms as digits; null when absent or unreadable. */
export function parseAsOf(header: string | null): number | null {
  if (header === null || !/^[0-9]{1,16}$/.test(header.trim())) return null;
  const ms = Number(header.trim());
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * `Retry-After` in ms: delta-seconds (what this server sends), or an HTTP-date (RFC 9110
 * §10.2.3), which proxies may send; null when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) {
    const ms = Number(text) * 1_000;
    return Number.isSafeInteger(ms) ? ms : null;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The media type without parameters, lower-case ('' when absent). */
function mediaType(response: Response): string {
  const header = response.headers.get('Content-Type') ?? '';
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

/** A server's one-line reason, bounded so that a stray page cannot fill a message. */
function firstLine(text: string): string {
  return cut((text.split(/\r?\n/, 1)[0] ?? '').trim());
}

function cut(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value instanceof Error) {
    // undici's "fetch failed" says nothing; its cause (ECONNREFUSED…) does.
    const cause: unknown = value.cause;
    return cause instanceof Error ? `${value.message} (${cause.message})` : value.message;
  }
  if (typeof value === 'string') return `"${cut(value, 40)}"`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}
