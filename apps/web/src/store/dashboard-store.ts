import type { FeedState } from '@ticker/client';
import type { SymbolInfo } from '@ticker/protocol';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';

/**
 * What React needs to know about one selected symbol. The ticks themselves stay in the feed
 * bridge's ring buffers; `version` tells a chart that its buffer has new points to draw.
 */
export interface SymbolStats {
  /** Bumped once per committed frame in which the symbol received ticks. */
  readonly version: number;
  /** Last traded price as a scaled integer (units of 10^-priceDecimals), or null before any tick. */
  readonly lastPrice: number | null;
  /** Ticks received since the symbol was selected. */
  readonly tickCount: number;
}

/** A per-frame update for one symbol, as produced by the feed bridge. */
export interface SymbolFrame {
  readonly lastPrice: number;
  readonly tickCount: number;
}

/** Connection state as reported by the feed client. */
export interface ConnectionSlice {
  readonly connection: { readonly state: FeedState; readonly reason: string };
  setConnection: (state: FeedState, reason: string) => void;
}

/** The symbol directory, as a list (for pickers) and indexed by ticker (for panels). */
export interface DirectorySlice {
  readonly directory: readonly SymbolInfo[];
  readonly symbolsByTicker: ReadonlyMap<string, SymbolInfo>;
  setDirectory: (symbols: readonly SymbolInfo[]) => void;
}

/** The user's chosen tickers, in the order they were added, and their live stats. */
export interface SelectionSlice {
  readonly selected: readonly string[];
  readonly stats: ReadonlyMap<string, SymbolStats>;
  /** Returns false if the ticker was already selected. */
  addSelected: (ticker: string) => boolean;
  /** Returns false if the ticker was not selected. */
  removeSelected: (ticker: string) => boolean;
  /**
   * Applies one animation frame's worth of ticks for every symbol that changed, in a single
   * store update, so subscribers are notified once per frame however many batches arrived.
   * Tickers that are no longer selected are ignored.
   */
  commitFrame: (frames: ReadonlyMap<string, SymbolFrame>) => void;
}

/** One message for the user, e.g. a failed subscription. */
export interface ErrorSlice {
  readonly error: string | null;
  setError: (message: string | null) => void;
}

/** The whole dashboard state. */
export type DashboardState = ConnectionSlice & DirectorySlice & SelectionSlice & ErrorSlice;

/** A vanilla zustand store, usable from React (via hooks) and from plain code and tests. */
export type DashboardStore = StoreApi<DashboardState>;

const EMPTY_STATS: SymbolStats = { version: 0, lastPrice: null, tickCount: 0 };

type SliceCreator<T> = (
  set: StoreApi<DashboardState>['setState'],
  get: StoreApi<DashboardState>['getState'],
) => T;

const createConnectionSlice: SliceCreator<ConnectionSlice> = (set) => ({
  // The app connects as soon as it starts, so "connecting" is a truer first label than "closed".
  connection: { state: 'connecting', reason: 'starting' },
  setConnection: (state, reason) => {
    set({ connection: { state, reason } });
  },
});

const createDirectorySlice: SliceCreator<DirectorySlice> = (set) => ({
  directory: [],
  symbolsByTicker: new Map(),
  setDirectory: (symbols) => {
    set({
      directory: symbols,
      symbolsByTicker: new Map(symbols.map((symbol) => [symbol.ticker, symbol])),
    });
  },
});

const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  selected: [],
  stats: new Map(),
  addSelected: (ticker) => {
    const { selected, stats } = get();
    if (selected.includes(ticker)) return false;
    set({
      selected: [...selected, ticker],
      stats: new Map(stats).set(ticker, EMPTY_STATS),
    });
    return true;
  },
  removeSelected: (ticker) => {
    const { selected, stats } = get();
    if (!selected.includes(ticker)) return false;
    const nextStats = new Map(stats);
    nextStats.delete(ticker);
    set({ selected: selected.filter((t) => t !== ticker), stats: nextStats });
    return true;
  },
  commitFrame: (frames) => {
    const { stats } = get();
    let next: Map<string, SymbolStats> | null = null;
    for (const [ticker, frame] of frames) {
      const current = stats.get(ticker);
      if (!current) continue;
      // Untouched symbols keep their stats object, so their selectors see no change.
      next ??= new Map(stats);
      next.set(ticker, {
        version: current.version + 1,
        lastPrice: frame.lastPrice,
        tickCount: frame.tickCount,
      });
    }
    if (next) set({ stats: next });
  },
});

const createErrorSlice: SliceCreator<ErrorSlice> = (set) => ({
  error: null,
  setError: (message) => {
    set({ error: message });
  },
});

/** Creates an empty dashboard store; the app makes one, each test makes its own. */
export function createDashboardStore(): DashboardStore {
  return createStore<DashboardState>()((set, get) => ({
    ...createConnectionSlice(set, get),
    ...createDirectorySlice(set, get),
    ...createSelectionSlice(set, get),
    ...createErrorSlice(set, get),
  }));
}
