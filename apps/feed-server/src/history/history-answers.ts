import { createHash } from 'node:crypto';
import { grantCovers } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import type { SymbolSpec } from '../domain/universe.js';
import type { MarketPath } from '../market-path/market-path.js';
import {
  answerJson,
  candleRow,
  candleRows,
  closedCandles,
  closedRange,
  openCandle,
} from './candles-json.js';
import { isRefusal, parseCandlesQuery } from './candles-query.js';
import type { CandlesQuery } from './candles-query.js';
import { symbolsJson } from './symbols-json.js';

/** What the history API answers, before it is written to a response. */
export type HistoryAnswer = HistoryBody | HistoryRefusal;

/** A 200: JSON with its entity tag, how long it may be kept, and the instant it is as of. */
export interface HistoryBody {
  readonly status: 200;
  readonly body: string;
  readonly etag: string;
  readonly cacheControl: string;
  /**
   * The market's clock the answer was computed for, when it ends at now (no `end`): its open
   * candle holds exactly the trades at or before it, its closed candles are those closed by it
   * (the `Ticker-As-Of` header, docs/API.md). Null with an `end` (closed candles only) and for
   * the directory, whose headers are then the same on every process, as their bodies are.
   */
  readonly asOf: number | null;
}

/** A refusal: the status and a one-line reason. */
export interface HistoryRefusal {
  readonly status: 400 | 403 | 404;
  readonly reason: string;
}

/** How long each kind of answer may be kept, by whom; see docs/API.md, "Caching". */
export interface CachePolicy {
  /** Behind access control answers are the token holder's: no shared cache may keep them. */
  readonly private: boolean;
}

/** A year: closed candles never change, for the same market (SEED, universe, TICK_RATE, hours). */
const CLOSED_MAX_AGE_S = 365 * 24 * 3_600;
/** The open candle changes with every trade: a second's reuse spares a busy server, nobody's view. */
const OPEN_MAX_AGE_S = 1;
/** The directory changes only with the universe file, on a restart. */
const DIRECTORY_MAX_AGE_S = 60;
/**
 * Runs of closed candles kept written (at most 1,000 rows of ~80 bytes each: 20 MB at the
 * most): viewers of one symbol ask for the same recent candles, and writing them is most of an
 * answer's cost; the open candle, which changes, is written for each request.
 */
const ROWS_KEPT = 256;

/** Closed candles written as JSON rows, and their digest (the entity tag's part for them). */
interface ClosedRows {
  readonly rows: string;
  readonly digest: string;
}

/**
 * The answers of `GET /api/v1/candles` and `GET /api/v1/symbols`, as pure functions of the
 * market path, the request and the market's clock: every process with the same market gives
 * the same bytes, so caches and load balancers may mix them.
 */
export class HistoryAnswers {
  private readonly directory: HistoryBody;
  /** Least recently used first. */
  private readonly closedRows = new Map<string, ClosedRows>();

  constructor(
    private readonly path: MarketPath,
    private readonly universe: readonly SymbolSpec[],
    private readonly policy: CachePolicy,
  ) {
    this.directory = symbolsAnswer(universe, policy);
  }

  symbols(): HistoryBody {
    return this.directory;
  }

  /** `query` is the request's query string; `now` the market's clock. */
  candles(query: string, grant: Grant, now: number): HistoryAnswer {
    const parsed = parseCandlesQuery(query, this.universe);
    if (isRefusal(parsed)) return parsed;
    if (!grantCovers(grant, parsed.symbol)) {
      return { status: 403, reason: `symbol ${parsed.symbol.ticker} is not granted by the token` };
    }
    const open = openCandle(this.path, parsed, now);
    const closed = this.closed(parsed, now, open !== null);
    const openRow = open === null ? '' : candleRow(parsed, open);
    // Up to an `end` that has passed, every candle has closed for good: the answer is final.
    // Up to now, or to an `end` still ahead, the next request may hold more.
    const final = parsed.end !== null && parsed.end <= now;
    return {
      status: 200,
      body: answerJson(parsed, closed.rows, openRow),
      etag: entityTag(`${parsed.symbol.ticker}/${parsed.interval}/${closed.digest}/${openRow}`),
      cacheControl: this.cacheControl(final ? CLOSED_MAX_AGE_S : OPEN_MAX_AGE_S, final),
      asOf: parsed.end === null ? now : null,
    };
  }

  /** The request's closed candles, written, from those kept when another asked for the same. */
  private closed(query: CandlesQuery, now: number, hasOpen: boolean): ClosedRows {
    const range = closedRange(query, now, hasOpen);
    const key = `${query.symbolIndex}/${query.level}/${range.newestClosed}/${range.count}`;
    let kept = this.closedRows.get(key);
    if (kept === undefined) {
      const rows = candleRows(query, closedCandles(this.path, query, range));
      kept = { rows, digest: digest(rows) };
      if (this.closedRows.size >= ROWS_KEPT) {
        this.closedRows.delete(this.closedRows.keys().next().value as string);
      }
    } else {
      this.closedRows.delete(key);
    }
    this.closedRows.set(key, kept);
    return kept;
  }

  private cacheControl(maxAgeSeconds: number, immutable: boolean): string {
    return cacheControl(this.policy, maxAgeSeconds, immutable);
  }
}

/** `GET /api/v1/symbols`: the directory, the same for every request (no market path needed). */
export function symbolsAnswer(universe: readonly SymbolSpec[], policy: CachePolicy): HistoryBody {
  const json = symbolsJson(universe);
  return {
    status: 200,
    body: json,
    etag: entityTag(json),
    cacheControl: cacheControl(policy, DIRECTORY_MAX_AGE_S, false),
    asOf: null,
  };
}

function cacheControl(policy: CachePolicy, maxAgeSeconds: number, immutable: boolean): string {
  const scope = policy.private ? 'private' : 'public';
  return `${scope}, max-age=${maxAgeSeconds}${immutable ? ', immutable' : ''}`;
}

/**
 * A strong entity tag from what determines an answer (for candles: the symbol, the interval,
 * the closed candles' digest and the open candle), so equal answers have equal tags on every
 * process.
 */
export function entityTag(determinant: string): string {
  return `"${digest(determinant)}"`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 27);
}
