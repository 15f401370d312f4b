import type { Interval } from './intervals';

/**
 * Candles from one history answer, oldest first, as scaled integers (units of the symbol's last
 * price decimal; volume in units of its last size decimal), the way the feed's ticks are.
 */
export interface CandlePage {
  readonly starts: Float64Array;
  readonly opens: Float64Array;
  readonly highs: Float64Array;
  readonly lows: Float64Array;
  readonly closes: Float64Array;
  readonly volumes: Float64Array;
  readonly count: number;
  /**
   * For an answer without `end`: the instant its open candle is as of (the `Ticker-As-Of`
   * header, docs/API.md): it holds exactly the trades at or before it. Null otherwise.
   */
  readonly asOf: number | null;
}

export interface CandlePageRequest {
  readonly ticker: string;
  readonly interval: Interval;
  /** The newest candles closed by then (epoch ms); null: up to now, the open candle last. */
  readonly end: number | null;
  readonly limit: number;
}

/** A history request that failed: the status (0 without an answer) and, when asked, a wait. */
export class CandlePageError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** From `Retry-After` (429, 503): when asking again makes sense, in ms. */
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'CandlePageError';
  }
}

export type FetchCandlePage = (
  request: CandlePageRequest,
  signal: AbortSignal,
) => Promise<CandlePage>;

export interface CandlePageSource {
  /** Where the feed server is: the page's own origin in production. */
  readonly origin: string;
  /** The access token to present, if the server wants one. */
  readonly token: () => string | null;
}

/** `GET /api/v1/candles` of the feed server at `origin` (docs/API.md). */
export function candlePageFetcher(source: CandlePageSource): FetchCandlePage {
  return async (request, signal) => {
    const url = new URL('/api/v1/candles', source.origin);
    url.searchParams.set('symbol', request.ticker);
    url.searchParams.set('interval', request.interval);
    if (request.end !== null) url.searchParams.set('end', String(request.end));
    url.searchParams.set('limit', String(request.limit));
    const token = source.token();
    let response: Response;
    try {
      response = await fetch(url, {
        signal,
        headers: token === null ? {} : { Authorization: `Bearer ${token}` },
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new CandlePageError('the history could not be reached', 0, null);
    }
    if (!response.ok) {
      const reason = (await response.text()).trim() || response.statusText;
      throw new CandlePageError(reason, response.status, retryAfterMs(response));
    }
    const asOf = response.headers.get('Ticker-As-Of');
    return parseCandlePage(await response.json(), request, asOf === null ? null : Number(asOf));
  };
}

function retryAfterMs(response: Response): number | null {
  const seconds = Number(response.headers.get('Retry-After') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : null;
}

/**
 * Reads a candles answer (`{"symbol","interval","candles":[[start,"open","high","low","close",
 * "volume"],…]}`). Prices and volumes are exact decimal strings: the digits without the dot are
 * the scaled integer, so nothing passes through a binary fraction. Throws CandlePageError on any
 * other shape.
 */
export function parseCandlePage(
  json: unknown,
  request: Pick<CandlePageRequest, 'ticker' | 'interval'>,
  asOf: number | null,
): CandlePage {
  const answer = json as { symbol?: unknown; interval?: unknown; candles?: unknown };
  if (
    typeof json !== 'object' ||
    json === null ||
    answer.symbol !== request.ticker ||
    answer.interval !== request.interval ||
    !Array.isArray(answer.candles)
  ) {
    throw malformed(`not the candles of ${request.ticker} at ${request.interval}`);
  }
  const rows: unknown[] = answer.candles;
  const count = rows.length;
  const page = {
    starts: new Float64Array(count),
    opens: new Float64Array(count),
    highs: new Float64Array(count),
    lows: new Float64Array(count),
    closes: new Float64Array(count),
    volumes: new Float64Array(count),
    count,
    asOf: asOf !== null && Number.isSafeInteger(asOf) ? asOf : null,
  };
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length !== 6 || !Number.isSafeInteger(row[0])) {
      throw malformed(`candle ${i} is not [start, open, high, low, close, volume]`);
    }
    page.starts[i] = row[0] as number;
    page.opens[i] = scaled(row[1], i);
    page.highs[i] = scaled(row[2], i);
    page.lows[i] = scaled(row[3], i);
    page.closes[i] = scaled(row[4], i);
    page.volumes[i] = scaled(row[5], i);
  }
  return page;
}

const DECIMAL = /^\d+(\.\d+)?$/;

function scaled(value: unknown, index: number): number {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw malformed(`candle ${index} has a value that is not a decimal string`);
  }
  return Number(value.replace('.', ''));
}

function malformed(detail: string): CandlePageError {
  return new CandlePageError(`the history answer is malformed: ${detail}`, 200, null);
}
