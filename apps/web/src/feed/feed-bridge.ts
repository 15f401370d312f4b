import { ClientErrorCode, FeedError } from '@ticker/client';
import type { FeedClientEvents, FeedState, StateChange } from '@ticker/client';
import type { Snapshot, SymbolDirectory, TickBatch } from '@ticker/protocol';
import type { DashboardStore, SymbolFrame } from '../store/dashboard-store';
import { animationFrameScheduler } from './frame-scheduler';
import type { FrameScheduler } from './frame-scheduler';
import { RingBuffer } from './ring-buffer';

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
  /** Points kept per symbol for its chart. Default {@link DEFAULT_SERIES_CAPACITY}. */
  readonly capacity?: number;
  /** Selected when the first directory arrives and nothing is selected yet. */
  readonly defaultTicker?: string;
}

/** About a minute of ticks at the feed's pace, and still cheap to redraw every frame. */
export const DEFAULT_SERIES_CAPACITY = 600;

/** The ticker selected on first load. */
export const DEFAULT_TICKER = 'BTC-USD';

interface SeriesEntry {
  readonly ticker: string;
  readonly buffer: RingBuffer;
  lastPrice: number;
  tickCount: number;
  dirty: boolean;
}

/**
 * Connects the feed to the store without letting tick traffic reach React directly.
 *
 * Every batch is appended to the symbol's ring buffer outside React and the symbol is marked
 * dirty; at most once per animation frame, and only if something is dirty, the bridge commits a
 * single store update for all dirty symbols. A chart therefore re-renders at most once per frame
 * however many batches arrived, and reads its points from {@link FeedBridge.series}.
 */
export class FeedBridge {
  private readonly client: FeedSource;
  private readonly store: DashboardStore;
  private readonly scheduler: FrameScheduler;
  private readonly capacity: number;
  private readonly defaultTicker: string;
  private readonly byTicker = new Map<string, SeriesEntry>();
  /** Batches name symbols by id; rebuilt whenever a directory arrives. */
  private byId = new Map<number, SeriesEntry>();
  /** Entries touched since the last commit; reused so marking dirty does not allocate. */
  private readonly dirty: SeriesEntry[] = [];
  private frame: number | null = null;
  private listeners: Array<() => void> = [];
  private defaultApplied = false;

  constructor(options: FeedBridgeOptions) {
    this.client = options.client;
    this.store = options.store;
    this.scheduler = options.scheduler ?? animationFrameScheduler;
    this.capacity = options.capacity ?? DEFAULT_SERIES_CAPACITY;
    this.defaultTicker = options.defaultTicker ?? DEFAULT_TICKER;
  }

  /** Listens to the client and connects it. Calling it again while started does nothing. */
  start(): void {
    if (this.listeners.length > 0) return;
    this.listeners = [
      this.client.on('state', this.handleState),
      this.client.on('directory', this.handleDirectory),
      this.client.on('batch', this.handleBatch),
      this.client.on('snapshot', this.handleSnapshot),
      this.client.on('error', this.handleError),
    ];
    const directory = this.client.directory;
    if (directory) this.handleDirectory(directory);
    this.client.connect();
  }

  /** Stops listening, drops a pending commit and closes the client for good. */
  stop(): void {
    for (const unlisten of this.listeners) unlisten();
    this.listeners = [];
    if (this.frame !== null) this.scheduler.cancel(this.frame);
    this.frame = null;
    this.client.close();
  }

  /**
   * Adds `ticker` to the selection, gives it a fresh buffer and subscribes to it. A failed
   * subscription is reported through the store's error slot, never as a rejected promise.
   */
  select(ticker: string): void {
    const state = this.store.getState();
    const symbol = state.symbolsByTicker.get(ticker);
    if (!symbol) {
      state.setError(`Unknown symbol ${ticker}`);
      return;
    }
    if (!state.addSelected(ticker)) return;
    const entry: SeriesEntry = {
      ticker,
      buffer: new RingBuffer(this.capacity),
      lastPrice: 0,
      tickCount: 0,
      dirty: false,
    };
    this.byTicker.set(ticker, entry);
    this.byId.set(symbol.id, entry);
    this.client.subscribe([ticker]).catch((error: unknown) => {
      // A late failure for a symbol the user has removed (or re-added since) is no longer news.
      if (this.byTicker.get(ticker) !== entry || isTransient(error)) return;
      this.store.getState().setError(`Could not subscribe to ${ticker}: ${describe(error)}`);
    });
  }

  /** Removes `ticker` from the selection, frees its buffer and unsubscribes. */
  remove(ticker: string): void {
    const entry = this.byTicker.get(ticker);
    this.store.getState().removeSelected(ticker);
    if (!entry) return;
    this.byTicker.delete(ticker);
    for (const [id, candidate] of this.byId) {
      if (candidate === entry) this.byId.delete(id);
    }
    this.client.unsubscribe([ticker]).catch((error: unknown) => {
      if (isTransient(error)) return;
      this.store.getState().setError(`Could not unsubscribe from ${ticker}: ${describe(error)}`);
    });
  }

  /**
   * The live points of a selected ticker, oldest first, or undefined if it is not selected.
   * The buffer keeps filling between frames; read it during render after a version change.
   */
  series(ticker: string): RingBuffer | undefined {
    return this.byTicker.get(ticker)?.buffer;
  }

  private readonly handleState = (change: StateChange): void => {
    this.store.getState().setConnection(change.newState, change.reason);
  };

  private readonly handleDirectory = (directory: SymbolDirectory): void => {
    this.store.getState().setDirectory(directory.symbols);
    // Ids are only meaningful within one directory, so re-resolve every selected ticker.
    const byId = new Map<number, SeriesEntry>();
    const { symbolsByTicker } = this.store.getState();
    for (const entry of this.byTicker.values()) {
      const symbol = symbolsByTicker.get(entry.ticker);
      if (symbol) byId.set(symbol.id, entry);
    }
    this.byId = byId;
    // Only on the first directory: after a reconnect an empty selection is the user's choice.
    if (this.defaultApplied) return;
    this.defaultApplied = true;
    const state = this.store.getState();
    if (state.selected.length === 0 && state.symbolsByTicker.has(this.defaultTicker)) {
      this.select(this.defaultTicker);
    }
  };

  // Runs for every batch: no allocation and no store update here, only buffer writes.
  private readonly handleBatch = (batch: TickBatch): void => {
    const entry = this.byId.get(batch.symbolId);
    const count = batch.count;
    if (!entry || count === 0) return;
    const { price, time } = batch;
    for (let i = 0; i < count; i++) entry.buffer.push(time[i] ?? 0, price[i] ?? 0);
    entry.lastPrice = price[count - 1] ?? entry.lastPrice;
    entry.tickCount += count;
    this.markDirty(entry);
  };

  /**
   * A snapshot (after subscribing, or after a reconnect) replaces the symbol's points with the
   * server's recent history, so a new chart is full at once and a gap is filled.
   */
  private readonly handleSnapshot = (snapshot: Snapshot): void => {
    const entry = this.byId.get(snapshot.symbolId);
    if (!entry) return;
    const { history } = snapshot;
    entry.buffer.clear();
    for (let i = 0; i < history.count; i++)
      entry.buffer.push(history.time[i] ?? 0, history.price[i] ?? 0);
    if (snapshot.session.tradeCount > 0) entry.lastPrice = snapshot.session.last;
    entry.tickCount += history.count;
    this.markDirty(entry);
  };

  private markDirty(entry: SeriesEntry): void {
    if (!entry.dirty) {
      entry.dirty = true;
      this.dirty.push(entry);
    }
    this.frame ??= this.scheduler.request(this.commit);
  }

  private readonly handleError = (error: FeedError): void => {
    this.store.getState().setError(`Feed error: ${error.message}`);
  };

  private readonly commit = (): void => {
    this.frame = null;
    const frames = new Map<string, SymbolFrame>();
    for (const entry of this.dirty) {
      entry.dirty = false;
      // Skip entries removed since they were marked; their ticker may even have a new entry.
      if (this.byTicker.get(entry.ticker) !== entry) continue;
      frames.set(entry.ticker, { lastPrice: entry.lastPrice, tickCount: entry.tickCount });
    }
    this.dirty.length = 0;
    if (frames.size > 0) this.store.getState().commitFrame(frames);
  };
}

/**
 * A request cut short by a lost connection is retried by the client on reconnect, and one cut
 * short by `close()` was abandoned on purpose; neither is worth an alert.
 */
function isTransient(error: unknown): boolean {
  return (
    error instanceof FeedError &&
    (error.code === ClientErrorCode.ConnectionLost || error.code === ClientErrorCode.Closed)
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
