import { ClientErrorCode, FeedError } from '@ticker/client';
import type { FeedClientEvents, FeedMetrics, FeedState, StateChange } from '@ticker/client';
import { ErrorCode } from '@ticker/protocol';
import type { Snapshot, SymbolDirectory, TickBatch } from '@ticker/protocol';
import { chartedTickers } from '../store/dashboard-store';
import type { DashboardState, DashboardStore, QuoteUpdate } from '../store/dashboard-store';
import { animationFrameScheduler } from './frame-scheduler';
import type { FrameScheduler } from './frame-scheduler';
import { SymbolSeries } from './symbol-series';

/**
 * The part of `FeedClient` the bridge uses. Depending on this shape rather than the class lets
 * tests drive the bridge with a hand-written fake instead of a socket.
 */
export interface FeedSource {
  readonly state: FeedState;
  readonly directory: SymbolDirectory | null;
  connect(): void;
  close(): void;
  subscribe(tickers: readonly string[]): Promise<void>;
  unsubscribe(tickers: readonly string[]): Promise<void>;
  metrics(): FeedMetrics;
  on<K extends keyof FeedClientEvents>(
    event: K,
    listener: (payload: FeedClientEvents[K]) => void,
  ): () => void;
}

/** Construction options of {@link FeedBridge}. */
export interface FeedBridgeOptions {
  readonly client: FeedSource;
  readonly store: DashboardStore;
  /** Defaults to `requestAnimationFrame`. */
  readonly scheduler?: FrameScheduler;
  /** Monotonic milliseconds, for chart throttling. Defaults to `performance.now`. */
  readonly now?: () => number;
  /** Calls back once a second until the returned function is called. Defaults to setInterval. */
  readonly everySecond?: (callback: () => void) => () => void;
}

/**
 * Quotes (watchlist cells) update at most this often: ten times a second reads as live to a
 * person, and fifty rows re-rendering on every frame would spend the frame budget on changes
 * nobody can read.
 */
export const QUOTE_REFRESH_MS = 100;
/** The focused chart redraws at most this often, for the same reason. */
export const CHART_REFRESH_MS = 100;
/**
 * Each grid chart redraws at most this often: twelve small charts at 4 Hz cost what one large
 * chart at 10 Hz would have cost twice over, and the grid is for glancing, not for reading ticks.
 */
export const GRID_CHART_REFRESH_MS = 250;
/**
 * Charts redrawn in one frame at most. A recharts redraw costs a few milliseconds, so one per
 * frame keeps frames short; measured: 3 per frame gave 10 long tasks a minute, 1 gave 2.
 */
export const CHARTS_PER_FRAME = 1;

interface Entry {
  readonly series: SymbolSeries;
  dirty: boolean;
  chartDirty: boolean;
  chartDrawnAt: number;
}

const defaultEverySecond = (callback: () => void) => {
  const timer = setInterval(callback, 1_000);
  return () => {
    clearInterval(timer);
  };
};

/**
 * Connects the feed to the store without letting tick traffic reach React directly.
 *
 * The store's watchlist is the source of truth: the bridge subscribes to what it lists and
 * unsubscribes from what it drops. Every batch is folded into its symbol's {@link SymbolSeries}
 * outside React and the symbol is marked dirty; at most once per animation frame the bridge
 * commits one store update with the changed quotes (at most every {@link QUOTE_REFRESH_MS}) and
 * the charts due for a redraw (each at most every {@link CHART_REFRESH_MS}, one per frame). While paused nothing is committed, and
 * resuming commits everything at once.
 */
export class FeedBridge {
  private readonly client: FeedSource;
  private readonly store: DashboardStore;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;
  private readonly everySecond: (callback: () => void) => () => void;
  private readonly byTicker = new Map<string, Entry>();
  private readonly dueCharts: Entry[] = []; // reused by every frame's commit
  /** What the client has been asked to keep subscribed (it resubscribes after reconnects). */
  private readonly subscribed = new Set<string>();
  /** Batches name symbols by id; rebuilt whenever a directory arrives. */
  private byId = new Map<number, Entry>();
  /** Entries touched since the last commit; reused so marking dirty does not allocate. */
  private readonly dirty: Entry[] = [];
  private frame: number | null = null;
  private quotesCommittedAt = -Infinity;
  private stops: Array<() => void> = [];

  constructor(options: FeedBridgeOptions) {
    this.client = options.client;
    this.store = options.store;
    this.scheduler = options.scheduler ?? animationFrameScheduler;
    this.now = options.now ?? (() => performance.now());
    this.everySecond = options.everySecond ?? defaultEverySecond;
  }

  /** Listens to the client and the store, and connects. Calling it again does nothing. */
  start(): void {
    if (this.stops.length > 0) return;
    this.stops = [
      this.client.on('state', this.handleState),
      this.client.on('directory', this.handleDirectory),
      this.client.on('batch', this.handleBatch),
      this.client.on('snapshot', this.handleSnapshot),
      this.client.on('error', this.handleError),
      this.store.subscribe(this.handleStoreChange),
      this.everySecond(() => {
        this.store.getState().everySecond(this.client.metrics(), Date.now());
      }),
    ];
    const directory = this.client.directory;
    if (directory) this.handleDirectory(directory);
    this.client.connect();
  }

  /** Stops listening, drops a pending commit and closes the client for good. */
  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    if (this.frame !== null) this.scheduler.cancel(this.frame);
    this.frame = null;
    this.client.close();
  }

  /**
   * The data of a watched ticker, or undefined. It keeps filling between frames; read it during
   * render after a quote or chart version change.
   */
  series(ticker: string): SymbolSeries | undefined {
    return this.byTicker.get(ticker)?.series;
  }

  private readonly handleStoreChange = (state: DashboardState, previous: DashboardState) => {
    if (state.watchlist !== previous.watchlist) this.syncSubscriptions();
    if (!state.paused && previous.paused) this.requestCommit();
    // Newly charted symbols draw at once rather than waiting for their next tick.
    if (state.layout !== previous.layout || state.focused !== previous.focused) {
      for (const ticker of chartedTickers(state)) {
        const entry = this.byTicker.get(ticker);
        if (entry) this.markDirty(entry);
      }
    }
  };

  /**
   * Makes the subscriptions match the watchlist. Once the directory is known, tickers it lacks
   * leave the watchlist with a message (a stale link or saved view must not break the page).
   */
  private syncSubscriptions(): void {
    const state = this.store.getState();
    if (state.directory.length > 0) {
      const unknown = state.watchlist.filter((ticker) => !state.symbolsByTicker.has(ticker));
      if (unknown.length > 0) {
        state.setError(`Unknown symbol${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
        state.setWatchlist(state.watchlist.filter((ticker) => state.symbolsByTicker.has(ticker)));
        return; // the watchlist change calls back here
      }
    }
    const wanted = new Set(state.watchlist);
    const removed = [...this.byTicker.keys()].filter((ticker) => !wanted.has(ticker));
    for (const ticker of removed) this.byTicker.delete(ticker);
    const added = state.watchlist.filter((ticker) => !this.byTicker.has(ticker));
    for (const ticker of added) {
      this.byTicker.set(ticker, {
        series: new SymbolSeries(ticker),
        dirty: false,
        chartDirty: false,
        chartDrawnAt: -Infinity,
      });
    }
    if (removed.length > 0 || added.length > 0) this.indexById();
    if (state.directory.length === 0) return; // tickers resolve against the first directory
    const unsubscribe = [...this.subscribed].filter((ticker) => !wanted.has(ticker));
    const subscribe = state.watchlist.filter((ticker) => !this.subscribed.has(ticker));
    for (const ticker of unsubscribe) this.subscribed.delete(ticker);
    for (const ticker of subscribe) this.subscribed.add(ticker);
    if (unsubscribe.length > 0) {
      this.client.unsubscribe(unsubscribe).catch((error: unknown) => {
        this.report(`Could not unsubscribe from ${unsubscribe.join(', ')}`, error);
      });
    }
    if (subscribe.length > 0) {
      this.client.subscribe(subscribe).catch((error: unknown) => {
        if (isForbidden(error)) {
          this.subscribeEachAllowed(subscribe);
          return;
        }
        if (error instanceof FeedError && error.code === ErrorCode.UnknownSymbol) {
          const { watchlist } = this.store.getState();
          this.store.getState().setWatchlist(watchlist.filter((t) => !subscribe.includes(t)));
        }
        this.report(`Could not subscribe to ${subscribe.join(', ')}`, error);
      });
    }
  }

  /**
   * A request naming any symbol the access token does not cover is refused whole: ask for each
   * alone, so the covered ones still stream, and drop the others with one message.
   */
  private subscribeEachAllowed(tickers: readonly string[]): void {
    void Promise.all(
      tickers.map((ticker) =>
        this.client.subscribe([ticker]).then(
          () => null,
          (error: unknown) => {
            if (isForbidden(error)) return ticker;
            this.report(`Could not subscribe to ${ticker}`, error);
            return null;
          },
        ),
      ),
    ).then((results) => {
      const forbidden = results.filter((ticker) => ticker !== null);
      if (forbidden.length === 0) return;
      for (const ticker of forbidden) this.subscribed.delete(ticker);
      const state = this.store.getState();
      state.setWatchlist(state.watchlist.filter((t) => !forbidden.includes(t)));
      state.setError(`Your access link does not cover ${forbidden.join(', ')}`);
    });
  }

  private indexById(): void {
    const { symbolsByTicker } = this.store.getState();
    const byId = new Map<number, Entry>();
    for (const [ticker, entry] of this.byTicker) {
      const symbol = symbolsByTicker.get(ticker);
      if (symbol) byId.set(symbol.id, entry);
    }
    this.byId = byId;
  }

  private report(context: string, error: unknown): void {
    // A request cut short by a lost connection is retried by the client on reconnect, and one
    // cut short by `close()` was abandoned on purpose; neither is worth an alert.
    if (
      error instanceof FeedError &&
      (error.code === ClientErrorCode.ConnectionLost || error.code === ClientErrorCode.Closed)
    ) {
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.store.getState().setError(`${context}: ${message}`);
  }

  private readonly handleState = (change: StateChange): void => {
    this.store.getState().setConnection({
      state: change.newState,
      reason: change.reason,
      retryAt: change.retryInMs === undefined ? null : Date.now() + change.retryInMs,
      closeCode: change.closeCode ?? null,
    });
  };

  private readonly handleDirectory = (directory: SymbolDirectory): void => {
    const known = this.store.getState().directory.length > 0;
    this.store.getState().setDirectory(directory.symbols);
    // Ids are only meaningful within one directory, so re-resolve every watched ticker.
    this.indexById();
    // The first directory subscribes the watchlist; later ones the client resubscribes itself.
    if (!known) this.syncSubscriptions();
  };

  // Runs for every batch: no allocation and no store update here, only buffer writes.
  private readonly handleBatch = (batch: TickBatch): void => {
    const entry = this.byId.get(batch.symbolId);
    if (!entry || batch.count === 0) return;
    entry.series.applyBatch(batch);
    this.markDirty(entry);
  };

  /**
   * A snapshot (after subscribing, after a reconnect or a resync) replaces the symbol's data with
   * the server's recent history, so a new chart is full at once and a gap is filled.
   */
  private readonly handleSnapshot = (snapshot: Snapshot): void => {
    const entry = this.byId.get(snapshot.symbolId);
    if (!entry) return;
    entry.series.applySnapshot(snapshot);
    this.markDirty(entry);
  };

  private readonly handleError = (error: FeedError): void => {
    this.store.getState().setError(`Feed error: ${error.message}`);
  };

  private markDirty(entry: Entry): void {
    entry.chartDirty = true;
    if (!entry.dirty) {
      entry.dirty = true;
      this.dirty.push(entry);
    }
    this.requestCommit();
  }

  private requestCommit(): void {
    this.frame ??= this.scheduler.request(this.commit);
  }

  private readonly commit = (): void => {
    this.frame = null;
    const state = this.store.getState();
    if (state.paused) return; // everything stays dirty until resume
    const now = this.now();
    const quotes = new Map<string, QuoteUpdate>();
    let waiting = false;
    if (now - this.quotesCommittedAt >= QUOTE_REFRESH_MS) {
      this.collectQuotes(quotes);
      if (quotes.size > 0) this.quotesCommittedAt = now;
    } else {
      waiting = this.dirty.length > 0;
    }

    // Of the charts due, the ones drawn longest ago go first: taken in watchlist order, slow
    // frames would redraw the first tiles over and over and never reach the last.
    const due = this.dueCharts;
    due.length = 0;
    let dirtyCharts = 0;
    const refreshMs = state.layout === 'grid' ? GRID_CHART_REFRESH_MS : CHART_REFRESH_MS;
    for (const ticker of chartedTickers(state)) {
      const entry = this.byTicker.get(ticker);
      if (!entry?.chartDirty) continue;
      dirtyCharts += 1;
      if (now - entry.chartDrawnAt >= refreshMs) due.push(entry);
    }
    due.sort((a, b) => a.chartDrawnAt - b.chartDrawnAt);
    const charts: string[] = [];
    for (const entry of due) {
      if (charts.length === CHARTS_PER_FRAME) break;
      entry.chartDirty = false;
      entry.chartDrawnAt = now;
      charts.push(entry.series.ticker);
    }
    if (dirtyCharts > charts.length) waiting = true;
    if (quotes.size > 0 || charts.length > 0) state.commitFrame(quotes, charts);
    if (waiting) this.requestCommit();
  };

  private collectQuotes(quotes: Map<string, QuoteUpdate>): void {
    for (const entry of this.dirty) {
      entry.dirty = false;
      // Skip entries removed since they were marked; their ticker may even have a new entry.
      if (this.byTicker.get(entry.series.ticker) !== entry) continue;
      const { series } = entry;
      const { session } = series;
      quotes.set(series.ticker, {
        last: session.last,
        open: session.open,
        high: session.high,
        low: session.low,
        volume: session.volume,
        direction: series.direction,
        tickCount: series.tickCount,
      });
    }
    this.dirty.length = 0;
  }
}

function isForbidden(error: unknown): boolean {
  return error instanceof FeedError && error.code === ErrorCode.Forbidden;
}
