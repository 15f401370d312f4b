import { HistoryError } from '@ticker/client';
import type { History, HistoryRequest } from '@ticker/client';
import { ChartCandles } from './chart-candles';
import { INTERVAL_MS } from './intervals';
import type { Interval } from './intervals';

/** The market's first instant (docs/API.md "The market's history"): nothing before it exists. */
export const MARKET_START = 1_451_606_400_000;
/** Candles per request: enough to fill a wide chart, half the API's 1,000 ceiling. */
export const PAGE_CANDLES = 500;
/**
 * How far one request looks back: the server looks at most 4 × limit intervals before `end`
 * (docs/API.md "Empty intervals"), so a page may come back short, or empty, with older
 * candles still behind it.
 */
const LOOK_BACK_INTERVALS = 4 * PAGE_CANDLES;
/**
 * Trades kept while the first page is on its way, to fold in those it does not hold. A page
 * takes milliseconds; at the feed's busiest this is seconds of one symbol.
 */
const PENDING_TRADES = 16_384;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export type HistoryStatus = 'loading' | 'ready' | 'failed';

/** One history request: `FeedClient.history()` in the dashboard, a fake in tests. */
export type FetchHistory = (request: HistoryRequest, signal: AbortSignal) => Promise<History>;

export interface ChartHistoryOptions {
  readonly ticker: string;
  readonly interval: Interval;
  readonly fetchHistory: FetchHistory;
  /** Timers (injected by tests). */
  readonly setTimer?: (callback: () => void, ms: number) => () => void;
}

const defaultSetTimer = (callback: () => void, ms: number) => {
  const timer = setTimeout(callback, ms);
  return () => {
    clearTimeout(timer);
  };
};

/**
 * The candles of one chart: the latest page from the history API, older pages as the user
 * scrolls back, and the live trades of the feed folded into the open candle.
 *
 * A trade is counted once: the latest page says which instant it is as of (`asOf`), and only
 * trades after it are folded in. Trades that arrive before the page are kept (a bounded number)
 * and folded in when it comes. After a gap in the feed (a new snapshot) the latest page is
 * asked again, and older pages, which never change, are kept.
 *
 * Framework-free: React reads `candles` when `version` changes (`subscribe`).
 */
export class ChartHistory {
  readonly ticker: string;
  readonly interval: Interval;
  readonly candles: ChartCandles;
  status: HistoryStatus = 'loading';
  /** Why the last request failed, for people; null when it did not. */
  error: string | null = null;
  /** Whether scrolling back has reached the market's first instant. */
  reachedStart = false;
  loadingOlder = false;
  /** Bumped whenever a page changed the candles (trades do not: they follow the feed's frames). */
  version = 0;

  private readonly fetchHistory: FetchHistory;
  private readonly setTimer: (callback: () => void, ms: number) => () => void;
  private readonly listeners = new Set<() => void>();
  /** Null until the latest page came: trades then wait in `pending`. */
  private asOf: number | null = null;
  private readonly pendingTime = new Float64Array(PENDING_TRADES);
  private readonly pendingPrice = new Float64Array(PENDING_TRADES);
  private readonly pendingSize = new Float64Array(PENDING_TRADES);
  private pendingCount = 0;
  /** The next older page ends here: the oldest start held, or further back after empty pages. */
  private olderEnd: number | null = null;
  private latestRequest: AbortController | null = null;
  private olderRequest: AbortController | null = null;
  private cancelRetry: (() => void) | null = null;
  private retryMs = RETRY_FIRST_MS;
  private stopped = false;

  constructor(options: ChartHistoryOptions) {
    this.ticker = options.ticker;
    this.interval = options.interval;
    this.candles = new ChartCandles(INTERVAL_MS[options.interval]);
    this.fetchHistory = options.fetchHistory;
    this.setTimer = options.setTimer ?? defaultSetTimer;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Asks for the latest page; after `stop`, starts again (React mounts effects twice). */
  start(): void {
    this.stopped = false;
    this.restartLive();
  }

  /** Stops every request and timer; the candles stay readable. */
  stop(): void {
    this.stopped = true;
    this.latestRequest?.abort();
    this.olderRequest?.abort();
    this.cancelRetry?.();
  }

  /**
   * The feed's trades of this symbol (a batch's columns). Runs for every batch: writes numbers
   * only. Before the latest page they are kept to be folded in after it.
   */
  addTrades(
    time: ArrayLike<number>,
    price: ArrayLike<number>,
    size: ArrayLike<number>,
    count: number,
  ): void {
    const asOf = this.asOf;
    for (let i = 0; i < count; i++) {
      const t = time[i] as number;
      if (asOf === null) this.keepPending(t, price[i] as number, size[i] as number);
      else if (t > asOf) this.candles.addTrade(t, price[i] as number, size[i] as number);
    }
  }

  /**
   * The feed restarted this symbol (a snapshot after subscribing, a reconnect or a resync):
   * trades may have been missed, so the latest page is asked again.
   */
  restartLive(): void {
    if (this.stopped) return;
    this.asOf = null;
    this.pendingCount = 0;
    this.latestRequest?.abort();
    this.cancelRetry?.();
    this.loadLatest();
  }

  /**
   * The chart shows candles near the oldest held: the page before them is asked for, unless
   * one is on its way or the market's start is reached.
   */
  loadOlder(): void {
    if (this.stopped || this.loadingOlder || this.reachedStart || this.olderEnd === null) return;
    const end = this.olderEnd;
    if (end <= MARKET_START) {
      this.reachedStart = true;
      this.notify();
      return;
    }
    this.loadingOlder = true;
    const request = new AbortController();
    this.olderRequest = request;
    this.fetchHistory(
      { symbol: this.ticker, interval: this.interval, end, limit: PAGE_CANDLES },
      request.signal,
    ).then(
      ({ candles }) => {
        if (request.signal.aborted) return;
        this.loadingOlder = false;
        this.candles.prepend(candles);
        const intervalMs = this.candles.intervalMs;
        const oldest = candles[0]?.start ?? end;
        // A short page looked back as far as the server does; the next one starts there.
        this.olderEnd =
          candles.length === PAGE_CANDLES
            ? oldest
            : Math.min(oldest, end - LOOK_BACK_INTERVALS * intervalMs);
        if (this.olderEnd <= MARKET_START) this.reachedStart = true;
        this.error = null;
        this.notify();
      },
      (error: unknown) => {
        if (request.signal.aborted) return;
        // Asked again the next time the chart needs it, after the server's wait if it gave one.
        this.error = describe(error);
        this.notify();
        const waitMs = error instanceof HistoryError ? (error.retryAfterMs ?? 0) : 0;
        this.cancelRetry = this.setTimer(
          () => {
            this.loadingOlder = false;
            this.notify();
          },
          Math.max(waitMs, RETRY_FIRST_MS),
        );
      },
    );
  }

  private loadLatest(): void {
    const request = new AbortController();
    this.latestRequest = request;
    this.fetchHistory(
      { symbol: this.ticker, interval: this.interval, limit: PAGE_CANDLES },
      request.signal,
    ).then(
      (history) => {
        if (!request.signal.aborted) this.applyLatest(history);
      },
      (error: unknown) => {
        if (request.signal.aborted) return;
        this.status = this.candles.size > 0 ? 'ready' : 'failed';
        this.error = describe(error);
        this.notify();
        const waitMs = error instanceof HistoryError ? (error.retryAfterMs ?? 0) : 0;
        const delay = Math.max(waitMs, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        this.cancelRetry = this.setTimer(() => {
          this.loadLatest();
        }, delay);
      },
    );
  }

  private applyLatest(history: History): void {
    // Without the server's as-of (an older server) the page is taken as of the newest trade
    // kept, which can count a trade of the last moments twice in the open candle's volume.
    const asOf = history.asOf ?? this.newestPendingTime();
    this.candles.replaceLatest(history.candles);
    this.asOf = asOf;
    for (let i = 0; i < this.pendingCount; i++) {
      const t = this.pendingTime[i] as number;
      if (t > asOf) {
        this.candles.addTrade(t, this.pendingPrice[i] as number, this.pendingSize[i] as number);
      }
    }
    this.pendingCount = 0;
    this.olderEnd ??= this.candles.oldestStart() ?? asOf - (asOf % this.candles.intervalMs);
    this.status = 'ready';
    this.error = null;
    this.retryMs = RETRY_FIRST_MS;
    this.notify();
  }

  private keepPending(time: number, price: number, size: number): void {
    // Full: the page is very late; the oldest half goes (the page will hold it).
    if (this.pendingCount === PENDING_TRADES) {
      const half = PENDING_TRADES / 2;
      this.pendingTime.copyWithin(0, half);
      this.pendingPrice.copyWithin(0, half);
      this.pendingSize.copyWithin(0, half);
      this.pendingCount = half;
    }
    const i = this.pendingCount++;
    this.pendingTime[i] = time;
    this.pendingPrice[i] = price;
    this.pendingSize[i] = size;
  }

  private newestPendingTime(): number {
    return this.pendingCount === 0 ? 0 : (this.pendingTime[this.pendingCount - 1] as number);
  }

  private notify(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
