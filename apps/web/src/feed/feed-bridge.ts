import { ClientErrorCode, MarketState, View } from '@ticker/client';
import type {
  FeedClientEvents,
  FeedError,
  FeedMetrics,
  FeedState,
  MarketStatus,
  StateChange,
  SubscriptionEvents,
  SubscriptionOptions,
  SubscriptionState,
} from '@ticker/client';
import { CloseCode, ErrorCode } from '@ticker/protocol';
import type { SymbolDirectory } from '@ticker/protocol';
import { LIVE_MARKET, chartedTickers, watchedTickers } from '../store/dashboard-store';
import type {
  DashboardState,
  DashboardStore,
  MarketInfo,
  QuoteUpdate,
} from '../store/dashboard-store';
import { animationFrameScheduler } from './frame-scheduler';
import type { FrameScheduler } from './frame-scheduler';
import { SymbolSeries } from './symbol-series';

/** The part of the client's `Subscription` (one ticker held in one view) the bridge uses. */
export interface FeedSubscription {
  readonly ticker: string;
  readonly view: View;
  readonly state: SubscriptionState;
  subscribe(): void;
  setView(view: View): void;
  on<K extends keyof SubscriptionEvents>(
    event: K,
    listener: (payload: SubscriptionEvents[K]) => void,
  ): () => void;
}

/**
 * The part of `FeedClient` the bridge uses. Depending on this shape rather than the class lets
 * tests drive the bridge with a hand-written fake instead of a socket.
 */
export interface FeedSource {
  readonly state: FeedState;
  readonly directory: SymbolDirectory | null;
  /** The server's last market status on this connection; null while it said nothing (live). */
  readonly marketStatus: MarketStatus | null;
  connect(): void;
  close(): void;
  subscription(ticker: string, options?: SubscriptionOptions): FeedSubscription;
  removeSubscription(subscription: FeedSubscription): void;
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
 * nobody can read. (Rows in the quote view get at most one quote every `QuoteIntervalMs`, 250 ms
 * today, so for them the server's conflation is the tighter bound.)
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
  /** Null until the first directory: tickers are checked against it before they are asked for. */
  subscription: FeedSubscription | null;
  /** Removes this bridge's listeners from `subscription`. */
  detach: () => void;
  dirty: boolean;
  chartDirty: boolean;
  chartDrawnAt: number;
}

/**
 * Something that follows one symbol's trades beyond the series (a chart's history): it gets each
 * batch's columns, and is told when the feed restarts the symbol (a snapshot), after which
 * trades may have been missed.
 */
export interface TradeSink {
  addTrades(
    time: ArrayLike<number>,
    price: ArrayLike<number>,
    size: ArrayLike<number>,
    count: number,
  ): void;
  restartLive(): void;
}

interface Refusal {
  readonly entry: Entry;
  readonly error: FeedError;
}

const defaultEverySecond = (callback: () => void) => {
  const timer = setInterval(callback, 1_000);
  return () => {
    clearInterval(timer);
  };
};

const noop = (): void => undefined;

/** A quote handed to trade sinks as one trade of no size: reused, as quotes come often. */
const quoteTrade = {
  time: new Float64Array(1),
  price: new Float64Array(1),
  size: new Float64Array(1),
};

/**
 * Connects the feed to the store without letting tick traffic reach React directly.
 *
 * The store says what is watched and what is shown; the bridge keeps one client subscription per
 * watched ticker in the view that shows it: the chart view (every tick) for the charted tickers
 * (`chartedTickers`), the quote view (a conflated quote a few times a second) for the other
 * watchlist rows. A change of focus, layout or watchlist moves tickers between the views with
 * `setView`, and adds or removes subscriptions; each subscription owns its state, and its
 * refusals come back through it, one symbol at a time.
 *
 * Every batch and quote is folded into its symbol's {@link SymbolSeries} outside React and the
 * symbol is marked dirty; at most once per animation frame the bridge commits one store update
 * with the changed quotes (at most every {@link QUOTE_REFRESH_MS}) and the charts due for a redraw
 * (each at most every {@link CHART_REFRESH_MS}, one per frame). While paused nothing is
 * committed, and resuming commits everything at once.
 */
export class FeedBridge {
  private readonly client: FeedSource;
  private readonly store: DashboardStore;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;
  private readonly everySecond: (callback: () => void) => () => void;
  private readonly byTicker = new Map<string, Entry>();
  private readonly tradeSinks = new Map<string, TradeSink[]>();
  private readonly dueCharts: Entry[] = []; // reused by every frame's commit
  /** Entries touched since the last commit; reused so marking dirty does not allocate. */
  private readonly dirty: Entry[] = [];
  private frame: number | null = null;
  private quotesCommittedAt = -Infinity;
  private stops: Array<() => void> = [];
  /** Whether the watchlist has been asked for since `start` (tickers resolve against a directory). */
  private asked = false;
  /** Refusals waiting for `settleRefusals`, which reports all of one reply together. */
  private refusals: Refusal[] = [];
  /**
   * Refusals this bridge settles itself. The client also emits each one as an `error` event (the
   * same object, right after the subscriptions' `state` events); it is not shown a second time.
   */
  private readonly handledErrors = new WeakSet<FeedError>();
  /**
   * Set once the server turned the quote view down (`ClientErrorCode.ViewsUnsupported`: it
   * predates views). Rows then stream in the chart view, as they did before views existed, until
   * the page is reloaded.
   */
  private quotesUnsupported = false;

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
      this.client.on('marketStatus', this.handleMarketStatus),
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

  /** Stops listening, drops a pending commit, removes the subscriptions and closes the client. */
  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    if (this.frame !== null) this.scheduler.cancel(this.frame);
    this.frame = null;
    for (const entry of this.byTicker.values()) this.release(entry);
    this.asked = false;
    this.client.close();
  }

  /**
   * The data of a watched ticker, or undefined. It keeps filling between frames; read it during
   * render after a quote or chart version change.
   */
  series(ticker: string): SymbolSeries | undefined {
    return this.byTicker.get(ticker)?.series;
  }

  /**
   * Hands the ticker's trades to `sink` from now on (while the ticker is watched). A quote (the
   * quote view) arrives as one trade without size. Returns the function that stops.
   */
  watchTrades(ticker: string, sink: TradeSink): () => void {
    const sinks = this.tradeSinks.get(ticker) ?? [];
    sinks.push(sink);
    this.tradeSinks.set(ticker, sinks);
    return () => {
      const index = sinks.indexOf(sink);
      if (index >= 0) sinks.splice(index, 1);
      if (sinks.length === 0 && this.tradeSinks.get(ticker) === sinks)
        this.tradeSinks.delete(ticker);
    };
  }

  private readonly handleStoreChange = (state: DashboardState, previous: DashboardState) => {
    const viewsChanged = state.layout !== previous.layout || state.focused !== previous.focused;
    const watchedChanged =
      state.watchlist !== previous.watchlist ||
      state.compare !== previous.compare ||
      state.alerts !== previous.alerts;
    if (watchedChanged || viewsChanged) this.syncSubscriptions();
    if (!state.paused && previous.paused) this.requestCommit();
    // Newly charted symbols draw at once rather than waiting for their next tick.
    if (viewsChanged) {
      for (const ticker of chartedTickers(state)) {
        const entry = this.byTicker.get(ticker);
        if (entry) this.markDirty(entry);
      }
    }
  };

  /**
   * Makes the subscriptions match the store: one per watched ticker, in the chart view when it
   * is charted and the quote view otherwise. Once the directory is known, tickers it lacks leave
   * the watchlist with a message (a stale link or saved view must not break the page). All
   * requests made here go out together: the client coalesces a tick's changes into one request
   * per view.
   */
  private syncSubscriptions(): void {
    const state = this.store.getState();
    const known = state.directory.length > 0;
    if (known) {
      const unknown = watchedTickers(state).filter((ticker) => !state.symbolsByTicker.has(ticker));
      if (unknown.length > 0) {
        state.setCompare(state.compare.filter((ticker) => state.symbolsByTicker.has(ticker)));
        for (const alert of state.alerts) {
          if (!state.symbolsByTicker.has(alert.ticker)) state.removeAlert(alert.id);
        }
        state.setWatchlist(state.watchlist.filter((ticker) => state.symbolsByTicker.has(ticker)));
        // Last: the changes above call back here, and would name only what they saw.
        state.setError(unknownMessage(unknown));
        return;
      }
    }
    const watched = new Set(watchedTickers(state));
    for (const [ticker, entry] of this.byTicker) {
      if (watched.has(ticker)) continue;
      this.byTicker.delete(ticker);
      this.release(entry);
    }
    if (known) this.asked = true;
    const charted = new Set(chartedTickers(state));
    for (const ticker of watched) {
      let entry = this.byTicker.get(ticker);
      if (!entry) {
        entry = {
          series: new SymbolSeries(ticker),
          subscription: null,
          detach: noop,
          dirty: false,
          chartDirty: false,
          chartDrawnAt: -Infinity,
        };
        this.byTicker.set(ticker, entry);
      }
      if (!known) continue;
      const view = charted.has(ticker) || this.quotesUnsupported ? View.Chart : View.Quote;
      if (entry.subscription) {
        entry.subscription.setView(view); // moves it, with no unsubscribe in between
        // Refused for a limit earlier (see `settleRefusals`): this change of view asks again.
        entry.subscription.subscribe();
        continue;
      }
      const subscription = this.client.subscription(ticker, { view });
      subscription.setView(view); // in case the client already had one, in another view
      entry.subscription = subscription;
      entry.detach = this.listen(entry, subscription);
      subscription.subscribe();
    }
  }

  /** Routes one subscription's data into its entry's series; returns the function that stops. */
  private listen(entry: Entry, subscription: FeedSubscription): () => void {
    const { series } = entry;
    // These run for every batch and quote: no allocation and no store update here, only buffer
    // writes (the client reuses the batch, so it is read at once).
    const stops = [
      subscription.on('state', (change) => {
        if (change.reason === 'refused' && change.error) this.refused(entry, change.error);
      }),
      // A snapshot (after subscribing, a reconnect, a resync or a move to the chart view)
      // replaces the symbol's data with the server's recent history.
      subscription.on('snapshot', (snapshot) => {
        series.applySnapshot(snapshot);
        this.restartSinks(series.ticker);
        this.markDirty(entry);
      }),
      subscription.on('batch', (batch) => {
        if (batch.count === 0) return;
        series.applyBatch(batch);
        const sinks = this.tradeSinks.get(series.ticker);
        if (sinks) {
          for (let i = 0; i < sinks.length; i++) {
            sinks[i]?.addTrades(batch.time, batch.price, batch.size, batch.count);
          }
        }
        this.markDirty(entry);
      }),
      subscription.on('quoteSnapshot', (snapshot) => {
        series.applyQuoteSnapshot(snapshot);
        this.restartSinks(series.ticker);
        this.markDirty(entry);
      }),
      subscription.on('quote', (quote) => {
        series.applyQuote(quote);
        const sinks = this.tradeSinks.get(series.ticker);
        if (sinks) {
          quoteTrade.time[0] = quote.lastTime;
          quoteTrade.price[0] = quote.last;
          for (let i = 0; i < sinks.length; i++) {
            sinks[i]?.addTrades(quoteTrade.time, quoteTrade.price, quoteTrade.size, 1);
          }
        }
        this.markDirty(entry);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  private restartSinks(ticker: string): void {
    const sinks = this.tradeSinks.get(ticker);
    if (sinks) for (let i = 0; i < sinks.length; i++) sinks[i]?.restartLive();
  }

  /** Stops following an entry and drops its subscription from the client. */
  private release(entry: Entry): void {
    entry.detach();
    entry.detach = noop;
    if (entry.subscription) this.client.removeSubscription(entry.subscription);
    entry.subscription = null;
  }

  /**
   * A subscription was refused. The refusals of one reply arrive one `state` event after the
   * other, so they are settled together in a microtask: one message for all of them, and no
   * change to the watchlist (which removes subscriptions) while the client is still delivering.
   */
  private refused(entry: Entry, error: FeedError): void {
    this.handledErrors.add(error);
    this.refusals.push({ entry, error });
    if (this.refusals.length === 1) queueMicrotask(this.settleRefusals);
  }

  /**
   * An unknown symbol (4) or one outside the access link (8) leaves the watchlist, with one
   * message naming every such ticker; the others stay streaming. A server without views (103)
   * gets the row again in the chart view. Anything else (5: the message rate or the subscription
   * limit) is reported and leaves the row in place, frozen until the next change of watchlist,
   * focus or layout asks for it again: asking at once would meet the same limit.
   */
  private readonly settleRefusals = (): void => {
    const refusals = this.refusals;
    this.refusals = [];
    const unknown: string[] = [];
    const forbidden: string[] = [];
    const failed = new Map<string, string[]>();
    for (const { entry, error } of refusals) {
      const { ticker } = entry.series;
      const subscription = entry.subscription;
      // Removed, or asked for again, since it was refused.
      if (this.byTicker.get(ticker) !== entry || subscription?.state !== 'unsubscribed') continue;
      if (error.code === ErrorCode.UnknownSymbol) unknown.push(ticker);
      else if (error.code === ErrorCode.Forbidden) forbidden.push(ticker);
      else if (error.code === ClientErrorCode.ViewsUnsupported) {
        this.quotesUnsupported = true;
        subscription.setView(View.Chart);
        subscription.subscribe();
      } else {
        const tickers = failed.get(error.message) ?? [];
        tickers.push(ticker);
        failed.set(error.message, tickers);
      }
    }
    const messages: string[] = [];
    if (unknown.length > 0) messages.push(unknownMessage(unknown));
    if (forbidden.length > 0)
      messages.push(`Your access link does not cover ${forbidden.join(', ')}`);
    for (const [message, tickers] of failed) {
      messages.push(`Could not subscribe to ${tickers.join(', ')}: ${message}`);
    }
    const state = this.store.getState();
    if (messages.length > 0) state.setError(messages.join('. '));
    const dropped = new Set([...unknown, ...forbidden]);
    if (dropped.size > 0) {
      state.setCompare(state.compare.filter((t) => !dropped.has(t)));
      state.setWatchlist(state.watchlist.filter((t) => !dropped.has(t)));
    }
  };

  private readonly handleState = (change: StateChange): void => {
    this.store.getState().setConnection({
      state: change.newState,
      reason: change.reason,
      retryAt: change.retryInMs === undefined ? null : Date.now() + change.retryInMs,
      closeCode: this.closeCodeAfter(change),
    });
    // A new connection starts live unless its server says otherwise, right after the directory.
    this.handleMarketStatus(this.client.marketStatus);
  };

  /**
   * The close code that explains the outage: an attempt that never opened and ended without a
   * close frame (1006: the server is not there yet) says nothing new, so a restarting server's
   * 1001 stays until a connection opens.
   */
  private closeCodeAfter(change: StateChange): number | null {
    if (change.newState === 'open') return null;
    const silentAttempt =
      change.oldState !== 'open' && change.closeCode === CloseCode.AbnormalClosure;
    if (silentAttempt)
      return this.store.getState().connection.closeCode ?? CloseCode.AbnormalClosure;
    return change.closeCode ?? null;
  }

  private readonly handleMarketStatus = (status: MarketStatus | null): void => {
    this.store.getState().setMarket(marketInfo(status));
  };

  private readonly handleDirectory = (directory: SymbolDirectory): void => {
    this.store.getState().setDirectory(directory.symbols);
    // The first directory asks for the watchlist; after a reconnect the client asks again itself,
    // by ticker (ids belong to one directory), and keeps a ticker a new server lacks for the next.
    if (!this.asked) this.syncSubscriptions();
  };

  private readonly handleError = (error: FeedError): void => {
    if (this.handledErrors.has(error)) return;
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
        tradeCount: session.tradeCount,
      });
    }
    this.dirty.length = 0;
  }
}

/** Any state but Live (including ones newer than this page knows) counts as delayed. */
function marketInfo(status: MarketStatus | null): MarketInfo {
  if (status === null || status.state === MarketState.Live) return LIVE_MARKET;
  return { delayed: true, since: status.lastDataTime, reason: status.reason };
}

function unknownMessage(tickers: readonly string[]): string {
  return `Unknown symbol${tickers.length > 1 ? 's' : ''}: ${tickers.join(', ')}`;
}
