import type { FeedMetrics, FeedState } from '@ticker/client';
import type { SymbolInfo } from '@ticker/protocol';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { NO_ALERTS, alertedTickers, createAlertsSlice } from '../alerts/alerts-slice';
import type { AlertsSlice, InitialAlerts } from '../alerts/alerts-slice';
import { RANGES } from '../chart/intervals';
import type { ChartRange } from '../chart/intervals';
import type { IndicatorSpec } from '../indicators';
import { GRID_CHARTS, MAX_COMPARE, MAX_WATCHLIST } from './view-options';
import type {
  ChartStyle,
  ChartWindow,
  Layout,
  PhoneScreen,
  PriceScale,
  SortOrder,
  ThemeChoice,
  Timeframe,
} from './view-options';

/**
 * What a watchlist row shows about one symbol, as scaled integers (units of 10^-priceDecimals;
 * volume in 10^-sizeDecimals). The ticks themselves stay in the feed bridge's buffers.
 */
export interface Quote {
  /** Bumped once per committed frame in which the symbol changed. */
  readonly version: number;
  readonly last: number | null;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly volume: number;
  /** Direction of the last price change: 1 up, -1 down, 0 none. */
  readonly direction: -1 | 0 | 1;
  /** Trades in the session so far. */
  readonly tradeCount: number;
}

export type QuoteUpdate = Omit<Quote, 'version'>;

export interface ConnectionInfo {
  readonly state: FeedState;
  readonly reason: string;
  /** While reconnecting: when the next attempt starts (epoch ms), for a countdown. */
  readonly retryAt: number | null;
  /** The server's last close code (1001: shutting down), if it closed the connection. */
  readonly closeCode: number | null;
  /** Whether any connection has opened yet: "unreachable" differs from "lost". */
  readonly everOpen: boolean;
}

/**
 * Whether the server's market data is current (its market status): while delayed, every price
 * on the page is as of `since` and marked stale.
 */
export interface MarketInfo {
  readonly delayed: boolean;
  /** Epoch ms of the newest data the server had when it said so (0 if it had none). */
  readonly since: number;
  /** The server's reason, in plain words; empty while live. */
  readonly reason: string;
}

export const LIVE_MARKET: MarketInfo = { delayed: false, since: 0, reason: '' };

/**
 * The store: the view the user chose (saved and linked), the price alerts (saved), and what the
 * feed brought.
 */
export interface DashboardState extends InitialView, AlertsSlice {
  readonly connection: ConnectionInfo;
  readonly market: MarketInfo;
  readonly directory: readonly SymbolInfo[];
  readonly symbolsByTicker: ReadonlyMap<string, SymbolInfo>;
  readonly quotes: ReadonlyMap<string, Quote>;
  /** Per charted symbol, bumped when its chart should redraw (throttled by the bridge). */
  readonly chartVersions: ReadonlyMap<string, number>;
  /** On a phone one screen shows at a time: the watchlist or the chart, a tap apart. */
  readonly phoneScreen: PhoneScreen;
  /** The view is frozen; data keeps flowing into the buffers. */
  readonly paused: boolean;
  readonly metrics: FeedMetrics | null;
  /** Bumped once a second: countdowns, sparklines and sorting follow it rather than every tick. */
  readonly second: number;
  /** Wall clock (epoch ms) when the second last turned: what countdowns count from. */
  readonly secondAt: number;
  readonly error: string | null;

  setConnection: (info: Omit<ConnectionInfo, 'everOpen'>) => void;
  setMarket: (market: MarketInfo) => void;
  setDirectory: (symbols: readonly SymbolInfo[]) => void;
  /** Adds a ticker (and focuses it if nothing is); false if already there or the list is full. */
  addSymbol: (ticker: string) => boolean;
  removeSymbol: (ticker: string) => boolean;
  /** Replaces the watchlist (e.g. dropping tickers a new directory lacks). */
  setWatchlist: (tickers: readonly string[]) => void;
  focus: (ticker: string) => void;
  setLayout: (layout: Layout) => void;
  setTimeframe: (timeframe: Timeframe) => void;
  /** Shows a range: its interval, over its span. */
  setRange: (range: ChartRange) => void;
  setChartStyle: (style: ChartStyle) => void;
  setPriceScale: (scale: PriceScale) => void;
  setUtc: (utc: boolean) => void;
  setIndicators: (indicators: readonly IndicatorSpec[]) => void;
  /** Replaces the compared symbols (deduplicated, at most MAX_COMPARE). */
  setCompare: (tickers: readonly string[]) => void;
  setWindow: (window: ChartWindow) => void;
  /** Sorts by `key`; the same key again flips the direction. */
  sortBy: (key: SortOrder['key']) => void;
  setTheme: (theme: ThemeChoice) => void;
  setPaused: (paused: boolean) => void;
  setPanelOpen: (open: boolean) => void;
  setTapeOpen: (open: boolean) => void;
  setPhoneScreen: (screen: PhoneScreen) => void;
  /**
   * Applies one animation frame's changes in a single store update, so subscribers are notified
   * once per frame however many batches arrived. Tickers no longer watched are ignored.
   */
  commitFrame: (quotes: ReadonlyMap<string, QuoteUpdate>, charts: readonly string[]) => void;
  everySecond: (metrics: FeedMetrics | null, now: number) => void;
  setError: (message: string | null) => void;
}

export type DashboardStore = StoreApi<DashboardState>;

/** The view a store starts with; persistence fills it from the URL or localStorage. */
export interface InitialView {
  /** The user's symbols, in their order. */
  readonly watchlist: readonly string[];
  /** The symbol shown in detail (single layout). */
  readonly focused: string | null;
  readonly layout: Layout;
  readonly timeframe: Timeframe;
  /** The range last chosen (it set the timeframe and the span); null once another was picked. */
  readonly range: ChartRange | null;
  readonly chartStyle: ChartStyle;
  readonly priceScale: PriceScale;
  /** Times in UTC rather than the reader's zone. */
  readonly utc: boolean;
  /** The focused chart's indicators, in the order they were added. */
  readonly indicators: readonly IndicatorSpec[];
  /** Symbols drawn over the focused chart as percent change (at most MAX_COMPARE). */
  readonly compare: readonly string[];
  /** Grid tiles' span (the focused chart's follows its zoom). */
  readonly window: ChartWindow;
  /** Null keeps the watchlist in the user's order. */
  readonly sort: SortOrder | null;
  readonly theme: ThemeChoice;
  /** Whether the watchlist panel is shown beside the charts (collapsed: the charts take it all). */
  readonly panelOpen: boolean;
  /** Whether the focused chart shows its time and sales beside it. */
  readonly tapeOpen: boolean;
}

export const DEFAULT_VIEW: InitialView = {
  watchlist: ['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT', 'NVDA'],
  focused: 'BTC-USD',
  layout: 'single',
  timeframe: '1m',
  range: null,
  chartStyle: 'candles',
  priceScale: 'linear',
  utc: false,
  indicators: [],
  compare: [],
  window: '5m',
  sort: null,
  theme: null,
  panelOpen: true,
  tapeOpen: false,
};

const EMPTY_QUOTE: Quote = {
  version: 0,
  last: null,
  open: null,
  high: null,
  low: null,
  volume: 0,
  direction: 0,
  tradeCount: 0,
};

/**
 * Whether the prices on the page may be out of date: the server says its data is delayed, or the
 * connection that brought them is gone (reconnecting, or closed). Before the first connection
 * there are no prices to mark.
 */
export function pricesAreStale(state: Pick<DashboardState, 'connection' | 'market'>): boolean {
  const { state: connection, everOpen } = state.connection;
  return state.market.delayed || (everOpen && connection !== 'open');
}

/** The symbols whose charts are on screen for a given view. */
export function chartedTickers(
  state: Pick<DashboardState, 'layout' | 'watchlist' | 'focused'>,
): readonly string[] {
  if (state.layout === 'grid') return state.watchlist.slice(0, GRID_CHARTS);
  return state.focused !== null && state.watchlist.includes(state.focused) ? [state.focused] : [];
}

/**
 * Every symbol the page follows: the watchlist's, then the compared ones and those with an armed
 * alert that it lacks (they are subscribed too, in the quote view, for their live prices).
 */
export function watchedTickers(
  state: Pick<DashboardState, 'watchlist' | 'compare' | 'alerts'>,
): readonly string[] {
  const alerted = alertedTickers(state.alerts);
  if (state.compare.length === 0 && alerted.length === 0) return state.watchlist;
  return [...new Set([...state.watchlist, ...state.compare, ...alerted])];
}

/** Creates a dashboard store; the app makes one, each test makes its own. */
export function createDashboardStore(
  initial: Partial<InitialView> = {},
  alerts: InitialAlerts = NO_ALERTS,
): DashboardStore {
  const view = { ...DEFAULT_VIEW, ...initial };
  const watchlist = [...new Set(view.watchlist)].slice(0, MAX_WATCHLIST);
  return createStore<DashboardState>()((set, get) => ({
    ...createAlertsSlice(alerts, set, get),
    // The app connects as soon as it starts, so "connecting" is a truer first label than "closed".
    connection: {
      state: 'connecting',
      reason: 'starting',
      retryAt: null,
      closeCode: null,
      everOpen: false,
    },
    market: LIVE_MARKET,
    directory: [],
    symbolsByTicker: new Map(),
    watchlist,
    quotes: new Map(watchlist.map((ticker) => [ticker, EMPTY_QUOTE])),
    chartVersions: new Map(),
    focused:
      view.focused !== null && watchlist.includes(view.focused)
        ? view.focused
        : (watchlist[0] ?? null),
    layout: view.layout,
    timeframe: view.timeframe,
    range: view.range,
    chartStyle: view.chartStyle,
    priceScale: view.priceScale,
    utc: view.utc,
    indicators: view.indicators,
    compare: [...new Set(view.compare)].slice(0, MAX_COMPARE),
    window: view.window,
    sort: view.sort,
    theme: view.theme,
    panelOpen: view.panelOpen,
    tapeOpen: view.tapeOpen,
    phoneScreen: 'chart',
    paused: false,
    metrics: null,
    second: 0,
    secondAt: 0,
    error: null,

    setConnection: (info) => {
      set({
        connection: { ...info, everOpen: get().connection.everOpen || info.state === 'open' },
      });
    },
    setMarket: (market) => {
      const current = get().market;
      const same =
        current.delayed === market.delayed &&
        current.since === market.since &&
        current.reason === market.reason;
      if (!same) set({ market });
    },
    setDirectory: (symbols) => {
      set({
        directory: symbols,
        symbolsByTicker: new Map(symbols.map((symbol) => [symbol.ticker, symbol])),
      });
    },
    addSymbol: (ticker) => {
      const { watchlist, quotes, focused } = get();
      if (watchlist.includes(ticker) || watchlist.length >= MAX_WATCHLIST) return false;
      set({
        watchlist: [...watchlist, ticker],
        quotes: new Map(quotes).set(ticker, EMPTY_QUOTE),
        focused: focused ?? ticker,
      });
      return true;
    },
    removeSymbol: (ticker) => {
      const { watchlist } = get();
      if (!watchlist.includes(ticker)) return false;
      get().setWatchlist(watchlist.filter((t) => t !== ticker));
      return true;
    },
    setWatchlist: (tickers) => {
      const { quotes, chartVersions, focused, watchlist } = get();
      const next = [...new Set(tickers)].slice(0, MAX_WATCHLIST);
      const nextQuotes = new Map<string, Quote>();
      for (const ticker of next) nextQuotes.set(ticker, quotes.get(ticker) ?? EMPTY_QUOTE);
      const nextCharts = new Map([...chartVersions].filter(([ticker]) => next.includes(ticker)));
      // Focus moves to the neighbour of a removed symbol, as in any list.
      let nextFocused = focused;
      if (focused === null || !next.includes(focused)) {
        const index = focused === null ? 0 : Math.max(0, watchlist.indexOf(focused) - 1);
        nextFocused = next[Math.min(index, next.length - 1)] ?? null;
      }
      set({ watchlist: next, quotes: nextQuotes, chartVersions: nextCharts, focused: nextFocused });
    },
    focus: (ticker) => {
      // On a phone, showing a symbol means going to its chart.
      if (get().watchlist.includes(ticker)) set({ focused: ticker, phoneScreen: 'chart' });
    },
    setLayout: (layout) => {
      set({ layout });
    },
    setTimeframe: (timeframe) => {
      set({ timeframe, range: null });
    },
    setRange: (range) => {
      set({ range, timeframe: RANGES[range].interval });
    },
    setChartStyle: (chartStyle) => {
      set({ chartStyle });
    },
    setPriceScale: (priceScale) => {
      set({ priceScale });
    },
    setUtc: (utc) => {
      set({ utc });
    },
    setIndicators: (indicators) => {
      set({ indicators });
    },
    setCompare: (tickers) => {
      const compare = [...new Set(tickers)].slice(0, MAX_COMPARE);
      const current = get().compare;
      const same = compare.length === current.length && compare.every((t, i) => t === current[i]);
      if (!same) set({ compare });
    },
    setWindow: (window) => {
      set({ window });
    },
    sortBy: (key) => {
      const { sort } = get();
      const direction = sort?.key === key && sort.direction === 'asc' ? 'desc' : 'asc';
      set({ sort: { key, direction } });
    },
    setTheme: (theme) => {
      set({ theme });
    },
    setPaused: (paused) => {
      set({ paused });
    },
    setPanelOpen: (open) => {
      set({ panelOpen: open });
    },
    setTapeOpen: (open) => {
      set({ tapeOpen: open });
    },
    setPhoneScreen: (screen) => {
      set({ phoneScreen: screen });
    },
    commitFrame: (updates, charts) => {
      const { quotes, chartVersions } = get();
      let nextQuotes: Map<string, Quote> | null = null;
      for (const [ticker, update] of updates) {
        const current = quotes.get(ticker);
        if (!current) continue;
        // Untouched symbols keep their quote object, so their selectors see no change.
        nextQuotes ??= new Map(quotes);
        nextQuotes.set(ticker, { ...update, version: current.version + 1 });
      }
      let nextCharts: Map<string, number> | null = null;
      for (const ticker of charts) {
        if (!quotes.has(ticker)) continue;
        nextCharts ??= new Map(chartVersions);
        nextCharts.set(ticker, (chartVersions.get(ticker) ?? 0) + 1);
      }
      if (nextQuotes || nextCharts) {
        set({ quotes: nextQuotes ?? quotes, chartVersions: nextCharts ?? chartVersions });
      }
    },
    everySecond: (metrics, now) => {
      set({ metrics, second: get().second + 1, secondAt: now });
    },
    setError: (message) => {
      set({ error: message });
    },
  }));
}
