import type { SymbolInfo } from '@ticker/protocol';
import { AssetClass } from '@ticker/protocol';
import type { Quote } from './dashboard-store';
import type { SortOrder } from './view-options';

export type AssetFilter = 'all' | 'stocks' | 'crypto';

/** The most results a search lists; typing narrows it. */
export const MAX_RESULTS = 50;

/**
 * Directory symbols not yet watched that match `query` (ticker or name, case-insensitive) and
 * the asset filter. Ticker matches that start with the query rank first, then other matches,
 * each in directory order.
 */
export function searchSymbols(
  directory: readonly SymbolInfo[],
  watched: readonly string[],
  query: string,
  filter: AssetFilter,
): SymbolInfo[] {
  const taken = new Set(watched);
  const needle = query.trim().toLowerCase();
  const prefix: SymbolInfo[] = [];
  const other: SymbolInfo[] = [];
  for (const symbol of directory) {
    if (taken.has(symbol.ticker)) continue;
    if (filter === 'stocks' && symbol.assetClass !== AssetClass.Stock) continue;
    if (filter === 'crypto' && symbol.assetClass !== AssetClass.Crypto) continue;
    const ticker = symbol.ticker.toLowerCase();
    if (needle === '' || ticker.startsWith(needle)) prefix.push(symbol);
    else if (ticker.includes(needle) || symbol.name.toLowerCase().includes(needle))
      other.push(symbol);
  }
  return [...prefix, ...other].slice(0, MAX_RESULTS);
}

/** Change since the session open, as a scaled integer, or null before the first trade. */
export function change(quote: Quote | undefined): number | null {
  if (quote?.last == null || quote.open == null) return null;
  return quote.last - quote.open;
}

/** Change since the session open in percent, or null. */
export function changePercent(quote: Quote | undefined): number | null {
  const delta = change(quote);
  if (delta === null || !quote?.open) return null;
  return (delta / quote.open) * 100;
}

function sortValue(
  ticker: string,
  quote: Quote | undefined,
  key: SortOrder['key'],
): number | string | null {
  switch (key) {
    case 'ticker':
      return ticker;
    case 'last':
      return quote?.last ?? null;
    case 'change':
      return change(quote);
    case 'changePercent':
      return changePercent(quote);
    case 'high':
      return quote?.high ?? null;
    case 'low':
      return quote?.low ?? null;
    case 'volume':
      return quote?.volume ?? null;
  }
}

/**
 * The watchlist in display order. Quotes are scaled integers, so each value is divided by its
 * own symbol's scale before symbols are compared.
 */
export function sortWatchlist(
  watchlist: readonly string[],
  quotes: ReadonlyMap<string, Quote>,
  sort: SortOrder | null,
  symbolOf: (ticker: string) => SymbolInfo | undefined,
): readonly string[] {
  if (!sort) return watchlist;
  const sign = sort.direction === 'asc' ? 1 : -1;
  const keyed = watchlist.map((ticker) => {
    const raw = sortValue(ticker, quotes.get(ticker), sort.key);
    if (typeof raw !== 'number' || sort.key === 'changePercent') return { ticker, value: raw };
    const symbol = symbolOf(ticker);
    const decimals = sort.key === 'volume' ? symbol?.sizeDecimals : symbol?.priceDecimals;
    return { ticker, value: raw / 10 ** (decimals ?? 0) };
  });
  keyed.sort((a, b) => {
    // Symbols without a value yet go last in either direction.
    if (a.value === null) return b.value === null ? 0 : 1;
    if (b.value === null) return -1;
    if (typeof a.value === 'string' || typeof b.value === 'string') {
      return sign * String(a.value).localeCompare(String(b.value));
    }
    return sign * (a.value - b.value);
  });
  return keyed.map((entry) => entry.ticker);
}
