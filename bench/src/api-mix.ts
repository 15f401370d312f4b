// What the history API scenario asks for: the requests a page of dashboards makes of
// GET /api/v1/candles (docs/API.md), as a seeded, shuffled list with exact shares of each kind.
import { HISTORY_INTERVALS } from '@ticker/protocol';
import type { HistoryInterval } from '@ticker/protocol';
import { seededRandom } from './seeded-random.js';

/**
 * - `recent-1m`: a chart's first page, the last 500 minutes up to the open candle (no `end`);
 * - `recent-1d`: a year of daily candles, the open day last (no `end`);
 * - `scroll-back`: one of the few pages just before those, as everyone scrolling back asks them
 *   (`end` in the past, the same for every viewer of a symbol: kept in the server's cache);
 * - `deep`: a page at a random `end` between 2016 and now, of any symbol (never cached: the
 *   server reads the market path for it, a few ms each).
 */
export const API_REQUEST_KINDS = ['recent-1m', 'recent-1d', 'scroll-back', 'deep'] as const;
export type ApiRequestKind = (typeof API_REQUEST_KINDS)[number];

/** Each kind's share of the requests; the shares add up to 1. */
export type ApiMixShares = Readonly<Record<ApiRequestKind, number>>;

/** Mostly the recent windows a dashboard opens with, a fifth scrolling back, a tenth deep. */
export const DASHBOARD_MIX: ApiMixShares = {
  'recent-1m': 0.45,
  'recent-1d': 0.25,
  'scroll-back': 0.2,
  deep: 0.1,
};

/** The recent windows only, in the dashboard mix's proportions: what a server can answer fastest. */
export const RECENT_MIX: ApiMixShares = {
  'recent-1m': 0.45 / 0.7,
  'recent-1d': 0.25 / 0.7,
  'scroll-back': 0,
  deep: 0,
};

export interface ApiRequest {
  readonly kind: ApiRequestKind;
  /** Path and query, e.g. /api/v1/candles?symbol=SYM001&interval=1m&limit=500. */
  readonly path: string;
  /**
   * A reload: the browser holds an earlier answer (max-age=1, expired) and asks with its
   * If-None-Match; the load sends the ETag of the last 200 to the same path.
   */
  readonly revalidate: boolean;
}

/**
 * Of the recent windows, the share asked again by a browser that holds an earlier answer (a
 * page reloaded, a chart's interval switched back). Pages with an `end` in the past are
 * immutable: whoever holds one never asks for it again.
 */
export const RELOAD_SHARE = 0.1;

export interface ApiMixOptions {
  readonly shares: ApiMixShares;
  /** Requests in the list; a phase takes them in order, so as many as it sends keeps deep ones unique. */
  readonly count: number;
  readonly seed: number;
  /** The market's clock when the list is made: scroll-back pages end before it, deep ones too. */
  readonly now: number;
  /** The dashboards' symbols: their recent windows and the pages just before them. */
  readonly symbols: readonly string[];
  /** Symbols a deep page may be of: every symbol of the market. */
  readonly deepSymbols: readonly string[];
}

/** Where the market starts (2016-01-01T00:00:00Z): no `end` may be earlier (docs/API.md). */
export const MARKET_START_MS = Date.UTC(2016, 0, 1);
/** A page of an interval: what the dashboard asks for each. */
export interface Page {
  readonly interval: HistoryInterval;
  readonly ms: number;
  readonly limit: number;
}

const page = (interval: HistoryInterval, limit: number): Page => ({
  interval,
  ms: HISTORY_INTERVALS[interval],
  limit,
});

export const MINUTES: Page = page('1m', 500);
export const DAYS: Page = page('1d', 365);
/** Deep pages: a chart zoomed anywhere from minutes to days. */
const DEEP_PAGES: readonly Page[] = [MINUTES, page('1h', 500), DAYS];
/** How far back the shared scroll-back pages go, in pages before the recent one. */
export const SCROLL_BACK_PAGES = 4;

export const candlesPath = (symbol: string, page: Page, end: number | null): string =>
  `/api/v1/candles?symbol=${encodeURIComponent(symbol)}&interval=${page.interval}` +
  `${end === null ? '' : `&end=${end}`}&limit=${page.limit}`;

/**
 * `count` requests with each kind's share of them (rounded by largest remainder, so the counts
 * add up to `count`), in a seeded random order: the same list for the same options.
 */
export function buildApiMix(options: ApiMixOptions): ApiRequest[] {
  const { symbols, deepSymbols, now } = options;
  if (symbols.length === 0 || deepSymbols.length === 0)
    throw new Error('the API mix needs at least one symbol of each list');
  const random = seededRandom(options.seed);
  const any = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const counts = kindCounts(options.shares, options.count);
  // A scroll-back page is of minutes or days as often as the recent windows are.
  const minuteShare =
    options.shares['recent-1m'] / (options.shares['recent-1m'] + options.shares['recent-1d'] || 1);
  const make: Record<ApiRequestKind, () => string> = {
    'recent-1m': () => candlesPath(any(symbols), MINUTES, null),
    'recent-1d': () => candlesPath(any(symbols), DAYS, null),
    'scroll-back': () => {
      const page = random() < minuteShare ? MINUTES : DAYS;
      const back = 1 + Math.floor(random() * SCROLL_BACK_PAGES);
      return candlesPath(any(symbols), page, scrollBackEnd(page, now, back));
    },
    deep: () => {
      const page = any(DEEP_PAGES);
      const earliest = MARKET_START_MS + page.limit * page.ms;
      return candlesPath(
        any(deepSymbols),
        page,
        earliest + Math.floor(random() * (now - earliest)),
      );
    },
  };
  const requests = API_REQUEST_KINDS.flatMap((kind) => {
    const reloads = kind.startsWith('recent-') ? Math.round(counts[kind] * RELOAD_SHARE) : 0;
    return Array.from({ length: counts[kind] }, (_, i) => ({
      kind,
      path: make[kind](),
      revalidate: i < reloads,
    }));
  });
  // Fisher-Yates: each kind spread over the whole list, not in runs.
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requests[i], requests[j]] = [requests[j] as ApiRequest, requests[i] as ApiRequest];
  }
  return requests;
}

/**
 * The `end` of the page `back` pages before the recent one (open candle last): each page's
 * `end` is the start of the oldest candle of the page after it (docs/API.md, "Scrolling back").
 */
export function scrollBackEnd(page: Page, now: number, back: number): number {
  return Math.floor(now / page.ms) * page.ms - (back * page.limit - 1) * page.ms;
}

/** Requests of each kind out of `count`: shares × count, rounded so that they add up to count. */
export function kindCounts(shares: ApiMixShares, count: number): Record<ApiRequestKind, number> {
  const total = API_REQUEST_KINDS.reduce((sum, kind) => sum + shares[kind], 0);
  if (!(total > 0) || API_REQUEST_KINDS.some((kind) => !(shares[kind] >= 0)))
    throw new Error(
      `API mix shares must be non-negative and not all 0 (got ${JSON.stringify(shares)})`,
    );
  const exact = API_REQUEST_KINDS.map((kind) => (shares[kind] / total) * count);
  const counts = exact.map(Math.floor);
  const left = count - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (let k = 0; k < left; k++) {
    const i = (byRemainder[k] as { i: number }).i;
    counts[i] = (counts[i] as number) + 1;
  }
  return Object.fromEntries(
    API_REQUEST_KINDS.map((kind, i) => [kind, counts[i] as number]),
  ) as Record<ApiRequestKind, number>;
}
