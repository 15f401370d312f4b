import type { DashboardState, DashboardStore, InitialView } from './dashboard-store';
import { RANGES, isChartRange } from '../chart/intervals';
import { formatIndicators, parseIndicators } from '../indicators';
import {
  MAX_COMPARE,
  MAX_WATCHLIST,
  isChartStyle,
  isChartWindow,
  isLayout,
  isPriceScale,
  isTimeframe,
} from './view-options';
import type { SortKey, SortOrder } from './view-options';

/** Bump the suffix when the stored shape changes incompatibly; old entries are then ignored. */
export const STORAGE_KEY = 'ticker.view.v1';

/** What is saved: the parts of the view a user would expect to find again. */
const SAVED_KEYS = [
  'watchlist',
  'focused',
  'layout',
  'timeframe',
  'range',
  'chartStyle',
  'priceScale',
  'utc',
  'indicators',
  'compare',
  'window',
  'sort',
  'theme',
  'panelOpen',
  'tapeOpen',
] as const;
type SavedView = Pick<DashboardState, (typeof SAVED_KEYS)[number]>;

const TICKER = /^[A-Za-z0-9.-]{1,24}$/;
const SORT_KEYS: readonly SortKey[] = [
  'ticker',
  'last',
  'change',
  'changePercent',
  'high',
  'low',
  'volume',
];

export interface RestoredView {
  readonly view: Partial<InitialView>;
  /** Things in the link that could not be used, to tell the user. */
  readonly problems: readonly string[];
}

/**
 * The view to start with: the link's parameters where present (a shared view wins), the saved
 * view for the rest, defaults otherwise. Link parameters: `symbols` (comma-separated tickers),
 * `chart` (the focused ticker), `layout` (single|grid), `tf` (1s|1m|5m|15m|1h|4h|1d), `range`
 * (1H|1D|1W|1M|1Y), `style` (candles|line|area), `scale` (linear|percent|log), `utc` (1|0),
 * `ind` (indicators, e.g. sma20,ema50,bb20-2,vwap,vma20), `cmp` (up to three compared tickers),
 * `window` (grid tiles: 1m|5m|15m|1h).
 */
export function restoreView(
  search: string,
  storage: Pick<Storage, 'getItem'> | null,
): RestoredView {
  const saved = readSaved(storage);
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const view: { -readonly [K in keyof InitialView]?: InitialView[K] } = { ...saved };

  const symbols = params.get('symbols');
  if (symbols !== null) {
    const tickers = symbols
      .split(',')
      .map((t) => t.trim().toUpperCase())
      .filter((t) => t !== '');
    const malformed = tickers.filter((t) => !TICKER.test(t));
    if (malformed.length > 0)
      problems.push(`Ignored malformed symbols in the link: ${malformed.join(', ')}`);
    const valid = [...new Set(tickers.filter((t) => TICKER.test(t)))];
    if (valid.length > MAX_WATCHLIST)
      problems.push(`The link lists ${valid.length} symbols; showing the first ${MAX_WATCHLIST}`);
    view.watchlist = valid.slice(0, MAX_WATCHLIST);
    view.focused = view.watchlist[0] ?? null;
  }
  const chart = params.get('chart');
  if (chart !== null) view.focused = chart.toUpperCase();
  readParam(params, 'layout', isLayout, problems, (v) => (view.layout = v));
  readTimeframe(params, view, problems);
  readParam(params, 'style', isChartStyle, problems, (v) => (view.chartStyle = v));
  readParam(params, 'scale', isPriceScale, problems, (v) => (view.priceScale = v));
  readParam(params, 'utc', isFlag, problems, (v) => (view.utc = v === '1'));
  readParam(params, 'window', isChartWindow, problems, (v) => (view.window = v));
  const compare = params.get('cmp');
  if (compare !== null) view.compare = readCompare(compare.split(','), problems);
  const indicators = params.get('ind');
  if (indicators !== null) {
    const parsed = parseIndicators(indicators);
    view.indicators = parsed.specs;
    problems.push(...parsed.problems);
  }
  return { view, problems };
}

/**
 * The link's interval and range, together: a link that names either sets both (a range without
 * its interval would be a view nobody made), and a range decides its interval.
 */
function readTimeframe(
  params: URLSearchParams,
  view: { timeframe?: InitialView['timeframe']; range?: InitialView['range'] },
  problems: string[],
): void {
  const tf = validParam(params, 'tf', isTimeframe, problems);
  const range = validParam(params, 'range', isChartRange, problems);
  if (range !== null) {
    const { interval } = RANGES[range];
    if (tf !== null && tf !== interval) {
      problems.push(
        `Ignored tf=${tf} in the link: the range ${range} is drawn in ${interval} candles`,
      );
    }
    view.range = range;
    view.timeframe = interval;
  } else if (tf !== null) {
    // An interval alone: the link's view has no range, whatever the saved one had.
    view.range = null;
    view.timeframe = tf;
  }
}

/** Compared tickers: well-formed, upper case, once each, at most MAX_COMPARE. */
function readCompare(items: readonly unknown[], problems: string[] | null): string[] {
  const tickers = items
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t !== '');
  const malformed = tickers.filter((t) => !TICKER.test(t));
  if (malformed.length > 0)
    problems?.push(`Ignored malformed compared symbols in the link: ${malformed.join(', ')}`);
  const valid = [...new Set(tickers.filter((t) => TICKER.test(t)))];
  if (valid.length > MAX_COMPARE)
    problems?.push(`The link compares ${valid.length} symbols; showing the first ${MAX_COMPARE}`);
  return valid.slice(0, MAX_COMPARE);
}

function isFlag(value: unknown): value is '0' | '1' {
  return value === '0' || value === '1';
}

/** A parameter's value if present and valid (a bad one is reported), else null. */
function validParam<T>(
  params: URLSearchParams,
  name: string,
  valid: (value: unknown) => value is T,
  problems: string[],
): T | null {
  let found: T | null = null;
  readParam(params, name, valid, problems, (value) => {
    found = value;
  });
  return found;
}

function readParam<T>(
  params: URLSearchParams,
  name: string,
  valid: (value: unknown) => value is T,
  problems: string[],
  apply: (value: T) => void,
): void {
  const value = params.get(name);
  if (value === null) return;
  if (valid(value)) apply(value);
  else problems.push(`Ignored ${name}=${value} in the link`);
}

function readSaved(storage: Pick<Storage, 'getItem'> | null): Partial<InitialView> {
  let raw: string | null;
  try {
    raw = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return {}; // storage disabled (private mode, policy): start fresh
  }
  if (raw === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const saved = parsed as Record<string, unknown>;
  const view: { -readonly [K in keyof InitialView]?: InitialView[K] } = {};
  if (Array.isArray(saved.watchlist)) {
    view.watchlist = saved.watchlist
      .filter((t): t is string => typeof t === 'string' && TICKER.test(t))
      .slice(0, MAX_WATCHLIST);
  }
  if (typeof saved.focused === 'string' || saved.focused === null) view.focused = saved.focused;
  if (isLayout(saved.layout)) view.layout = saved.layout;
  if (isTimeframe(saved.timeframe)) view.timeframe = saved.timeframe;
  if (saved.range === null) view.range = null;
  else if (isChartRange(saved.range) && view.timeframe === RANGES[saved.range].interval)
    view.range = saved.range;
  if (isChartStyle(saved.chartStyle)) view.chartStyle = saved.chartStyle;
  if (isPriceScale(saved.priceScale)) view.priceScale = saved.priceScale;
  if (typeof saved.utc === 'boolean') view.utc = saved.utc;
  if (Array.isArray(saved.compare)) view.compare = readCompare(saved.compare, null);
  // Saved in the link's form, so one reader checks both.
  if (typeof saved.indicators === 'string') {
    view.indicators = parseIndicators(saved.indicators).specs;
  }
  if (isChartWindow(saved.window)) view.window = saved.window;
  if (saved.theme === 'light' || saved.theme === 'dark' || saved.theme === null)
    view.theme = saved.theme;
  if (isSortOrder(saved.sort) || saved.sort === null) view.sort = saved.sort;
  if (typeof saved.panelOpen === 'boolean') view.panelOpen = saved.panelOpen;
  if (typeof saved.tapeOpen === 'boolean') view.tapeOpen = saved.tapeOpen;
  return view;
}

function isSortOrder(value: unknown): value is SortOrder {
  if (typeof value !== 'object' || value === null) return false;
  const { key, direction } = value as Record<string, unknown>;
  return SORT_KEYS.includes(key as SortKey) && (direction === 'asc' || direction === 'desc');
}

/**
 * The link for a view: everything needed to open the same dashboard elsewhere. Whether the
 * watchlist panel is open is the reader's own preference, kept in storage only.
 */
export function viewSearch(view: SavedView): string {
  const params = new URLSearchParams();
  params.set('symbols', view.watchlist.join(','));
  if (view.focused !== null) params.set('chart', view.focused);
  params.set('layout', view.layout);
  params.set('tf', view.timeframe);
  if (view.range !== null) params.set('range', view.range);
  params.set('style', view.chartStyle);
  params.set('scale', view.priceScale);
  // Written even when off or empty, so the link shows its view over the reader's saved one.
  params.set('utc', view.utc ? '1' : '0');
  params.set('ind', formatIndicators(view.indicators));
  params.set('cmp', view.compare.join(','));
  params.set('window', view.window);
  // Commas stay readable in a shared link.
  return `?${params.toString().replaceAll('%2C', ',')}`;
}

/**
 * Keeps the saved view and the address bar in step with the store: the URL is replaced (not
 * pushed, so Back leaves the dashboard rather than undoing clicks) whenever the view changes.
 * Returns the unsubscribe function.
 */
export function persistView(
  store: DashboardStore,
  storage: Pick<Storage, 'setItem'> | null,
  replaceSearch: (search: string) => void,
): () => void {
  let previous: SavedView | null = null;
  // Runs on every store change (quotes commit several times a second), so the common case,
  // nothing saved changed, compares fields and allocates nothing.
  const save = (state: DashboardState) => {
    if (previous && SAVED_KEYS.every((key) => state[key] === previous?.[key])) return;
    const view: SavedView = {
      watchlist: state.watchlist,
      focused: state.focused,
      layout: state.layout,
      timeframe: state.timeframe,
      range: state.range,
      chartStyle: state.chartStyle,
      priceScale: state.priceScale,
      utc: state.utc,
      indicators: state.indicators,
      compare: state.compare,
      window: state.window,
      sort: state.sort,
      theme: state.theme,
      panelOpen: state.panelOpen,
      tapeOpen: state.tapeOpen,
    };
    previous = view;
    try {
      storage?.setItem(
        STORAGE_KEY,
        JSON.stringify({ ...view, indicators: formatIndicators(view.indicators) }),
      );
    } catch {
      // Full or disabled storage: the link still carries the view.
    }
    replaceSearch(viewSearch(view));
  };
  save(store.getState());
  return store.subscribe(save);
}
