import { AssetClass } from '@ticker/protocol';
import type { SymbolInfo } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import type { Quote } from '../src/store/dashboard-store';
import {
  MAX_RESULTS,
  change,
  changePercent,
  searchSymbols,
  sortWatchlist,
} from '../src/store/symbol-selectors';
import type { SortKey, SortOrder } from '../src/store/view-options';

let nextId = 1;
function symbol(
  ticker: string,
  name: string,
  assetClass: AssetClass = AssetClass.Stock,
  decimals: { priceDecimals?: number; sizeDecimals?: number } = {},
): SymbolInfo {
  return {
    id: nextId++,
    ticker,
    name,
    assetClass,
    priceDecimals: decimals.priceDecimals ?? 2,
    sizeDecimals: decimals.sizeDecimals ?? 0,
    tickSize: 1,
    lotSize: 1,
  };
}

function quote(figures: Partial<Quote> = {}): Quote {
  return {
    version: 1,
    last: null,
    open: null,
    high: null,
    low: null,
    volume: 0,
    direction: 0,
    tradeCount: 0,
    ...figures,
  };
}

const DIRECTORY: readonly SymbolInfo[] = [
  symbol('AAPL', 'Apple Inc.'),
  symbol('MSFT', 'Microsoft Corp.'),
  symbol('BTC-USD', 'Bitcoin', AssetClass.Crypto),
  symbol('AMZN', 'Amazon.com Inc.'),
  symbol('PAPL', 'Pineapple Holdings'),
  symbol('ETH-USD', 'Ethereum', AssetClass.Crypto),
  symbol('MAAPX', 'Map Index Fund'),
  symbol('A', 'Agilent Technologies'),
];

const tickers = (symbols: readonly SymbolInfo[]) => symbols.map((s) => s.ticker);

describe('searchSymbols', () => {
  it('lists every unwatched symbol in directory order for an empty query', () => {
    expect(tickers(searchSymbols(DIRECTORY, ['MSFT', 'ETH-USD'], '', 'all'))).toEqual([
      'AAPL',
      'BTC-USD',
      'AMZN',
      'PAPL',
      'MAAPX',
      'A',
    ]);
  });

  it('ranks ticker-prefix matches before other ticker and name matches', () => {
    // "ap" starts no ticker; AAPL, PAPL and MAAPX contain it, in directory order.
    expect(tickers(searchSymbols(DIRECTORY, [], 'ap', 'all'))).toEqual(['AAPL', 'PAPL', 'MAAPX']);
    // "a": a prefix of AAPL, AMZN and A (in directory order), then the rest containing it.
    expect(tickers(searchSymbols(DIRECTORY, [], 'a', 'all'))).toEqual([
      'AAPL',
      'AMZN',
      'A',
      'PAPL',
      'MAAPX',
    ]);
  });

  it('matches names as well as tickers', () => {
    expect(tickers(searchSymbols(DIRECTORY, [], 'coin', 'all'))).toEqual(['BTC-USD']);
    expect(tickers(searchSymbols(DIRECTORY, [], 'holdings', 'all'))).toEqual(['PAPL']);
    expect(tickers(searchSymbols(DIRECTORY, [], '-usd', 'all'))).toEqual(['BTC-USD', 'ETH-USD']);
  });

  it('ignores case and surrounding spaces', () => {
    const expected = tickers(searchSymbols(DIRECTORY, [], 'apple', 'all'));
    expect(expected).toEqual(['AAPL', 'PAPL']);
    expect(tickers(searchSymbols(DIRECTORY, [], '  APPLE ', 'all'))).toEqual(expected);
    expect(tickers(searchSymbols(DIRECTORY, [], 'ApPlE', 'all'))).toEqual(expected);
  });

  it('leaves out watched symbols', () => {
    expect(tickers(searchSymbols(DIRECTORY, ['AAPL'], 'apple', 'all'))).toEqual(['PAPL']);
  });

  it('filters by asset class', () => {
    expect(tickers(searchSymbols(DIRECTORY, [], '', 'crypto'))).toEqual(['BTC-USD', 'ETH-USD']);
    expect(tickers(searchSymbols(DIRECTORY, [], 'e', 'stocks'))).not.toContain('ETH-USD');
    expect(tickers(searchSymbols(DIRECTORY, [], 'e', 'stocks'))).toEqual([
      'AAPL',
      'PAPL',
      'MAAPX',
      'A',
    ]);
    expect(tickers(searchSymbols(DIRECTORY, [], 'eth', 'stocks'))).toEqual([]);
  });

  it('finds nothing for an unmatched query', () => {
    expect(searchSymbols(DIRECTORY, [], 'zzz', 'all')).toEqual([]);
    expect(searchSymbols([], [], '', 'all')).toEqual([]);
  });

  it(`lists at most ${MAX_RESULTS}, prefix matches first`, () => {
    const many = [
      ...Array.from({ length: 40 }, (_, i) => symbol(`X${i}`, 'contains q')),
      ...Array.from({ length: 40 }, (_, i) => symbol(`Q${i}`, 'prefix')),
    ];
    const results = tickers(searchSymbols(many, [], 'q', 'all'));
    expect(results).toHaveLength(MAX_RESULTS);
    expect(results.slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, i) => `Q${i}`));
    expect(results.slice(40)).toEqual(Array.from({ length: 10 }, (_, i) => `X${i}`));
  });
});

describe('change', () => {
  it('is last minus open, in scaled units', () => {
    expect(change(quote({ open: 10_000, last: 10_250 }))).toBe(250);
    expect(change(quote({ open: 10_000, last: 9_900 }))).toBe(-100);
    expect(change(quote({ open: 10_000, last: 10_000 }))).toBe(0);
  });

  it('is null before the first trade', () => {
    expect(change(undefined)).toBeNull();
    expect(change(quote())).toBeNull();
    expect(change(quote({ open: 10_000 }))).toBeNull();
    expect(change(quote({ last: 10_000 }))).toBeNull();
  });
});

describe('changePercent', () => {
  it('is the change relative to the open, in percent', () => {
    expect(changePercent(quote({ open: 20_000, last: 21_000 }))).toBeCloseTo(5, 10);
    expect(changePercent(quote({ open: 20_000, last: 19_500 }))).toBeCloseTo(-2.5, 10);
  });

  it('is null without a trade or with a zero open', () => {
    expect(changePercent(undefined)).toBeNull();
    expect(changePercent(quote({ last: 5 }))).toBeNull();
    expect(changePercent(quote({ open: 0, last: 5 }))).toBeNull();
  });
});

describe('sortWatchlist', () => {
  // Scaled integers mean different things per symbol: HI has 2 price decimals, LO 4, CHEAP 0,
  // so each key below orders differently by raw value than by display value.
  const SYMBOLS = new Map<string, SymbolInfo>([
    ['HI', symbol('HI', 'Hi', AssetClass.Stock, { priceDecimals: 2, sizeDecimals: 0 })],
    ['LO', symbol('LO', 'Lo', AssetClass.Stock, { priceDecimals: 4, sizeDecimals: 3 })],
    ['CHEAP', symbol('CHEAP', 'Cheap', AssetClass.Stock, { priceDecimals: 0, sizeDecimals: 6 })],
    ['NEW', symbol('NEW', 'New', AssetClass.Stock, { priceDecimals: 2 })],
  ]);
  const symbolOf = (ticker: string) => SYMBOLS.get(ticker);
  const QUOTES = new Map<string, Quote>([
    // open 100.50, last 100.00, high 105.00, low 98.00, volume 700
    ['HI', quote({ open: 10_050, last: 10_000, high: 10_500, low: 9_800, volume: 700 })],
    // open 98.0000, last 99.0000, high 102.0000, low 95.0000, volume 2,000.000
    [
      'LO',
      quote({ open: 980_000, last: 990_000, high: 1_020_000, low: 950_000, volume: 2_000_000 }),
    ],
    // open 4, last 3, high 4, low 1, volume 5.000000
    ['CHEAP', quote({ open: 4, last: 3, high: 4, low: 1, volume: 5_000_000 })],
    ['NEW', quote()],
  ]);
  // GONE has neither a quote nor a directory entry.
  const WATCHLIST = ['NEW', 'LO', 'CHEAP', 'GONE', 'HI'];
  const sorted = (key: SortKey, direction: SortOrder['direction']) =>
    sortWatchlist(WATCHLIST, QUOTES, { key, direction }, symbolOf);

  it('keeps the user order without a sort', () => {
    expect(sortWatchlist(WATCHLIST, QUOTES, null, symbolOf)).toBe(WATCHLIST);
  });

  it('does not reorder its input', () => {
    sorted('last', 'asc');
    expect(WATCHLIST).toEqual(['NEW', 'LO', 'CHEAP', 'GONE', 'HI']);
  });

  it('sorts by ticker', () => {
    expect(sorted('ticker', 'asc')).toEqual(['CHEAP', 'GONE', 'HI', 'LO', 'NEW']);
    expect(sorted('ticker', 'desc')).toEqual(['NEW', 'LO', 'HI', 'GONE', 'CHEAP']);
  });

  it.each([
    // Ascending order of the symbols with a value; by raw value it would differ.
    ['last', ['CHEAP', 'LO', 'HI']], // 3, 99, 100 (raw: 3, 10_000, 990_000)
    ['change', ['CHEAP', 'HI', 'LO']], // −1, −0.5, +1 (raw: −50 first)
    ['changePercent', ['CHEAP', 'HI', 'LO']], // −25 %, −0.5 %, +1.02 %
    ['high', ['CHEAP', 'LO', 'HI']], // 4, 102, 105
    ['low', ['CHEAP', 'LO', 'HI']], // 1, 95, 98
  ] as const)('sorts by %s in display units, symbols without one last', (key, ascending) => {
    // Nulls keep the user's order (NEW before GONE) at the end in both directions.
    expect(sorted(key, 'asc')).toEqual([...ascending, 'NEW', 'GONE']);
    expect(sorted(key, 'desc')).toEqual([...[...ascending].reverse(), 'NEW', 'GONE']);
  });

  it('sorts by volume in size units; a quote before any trade has volume 0', () => {
    // 5, 700, 2,000 by size decimals (raw: 700, 2_000_000, 5_000_000; by price decimals: 7, 200,
    // 5_000_000). NEW's quote has volume 0; GONE has no quote at all.
    expect(sorted('volume', 'asc')).toEqual(['NEW', 'CHEAP', 'HI', 'LO', 'GONE']);
    expect(sorted('volume', 'desc')).toEqual(['LO', 'HI', 'CHEAP', 'NEW', 'GONE']);
  });

  it('compares percentages as they are, not rescaled by decimals', () => {
    const quotes = new Map<string, Quote>([
      ['HI', quote({ open: 10_000, last: 10_050 })], // +0.5 %
      ['LO', quote({ open: 1_000_000, last: 1_010_000 })], // +1 %
    ]);
    const order = sortWatchlist(
      ['LO', 'HI'],
      quotes,
      { key: 'changePercent', direction: 'asc' },
      symbolOf,
    );
    expect(order).toEqual(['HI', 'LO']);
  });

  it('keeps the user order among equal values', () => {
    const quotes = new Map<string, Quote>([
      ['B', quote({ last: 500 })],
      ['A', quote({ last: 500 })],
      ['C', quote({ last: 100 })],
    ]);
    const sort = (direction: SortOrder['direction']) =>
      sortWatchlist(['B', 'A', 'C'], quotes, { key: 'last', direction }, () => undefined);
    expect(sort('asc')).toEqual(['C', 'B', 'A']);
    expect(sort('desc')).toEqual(['B', 'A', 'C']);
  });

  it('treats a symbol missing from the directory as having no decimals', () => {
    const quotes = new Map<string, Quote>([
      ['HI', quote({ last: 10_000 })], // 100.00
      ['UNKNOWN', quote({ last: 150 })], // 150
    ]);
    const order = sortWatchlist(
      ['UNKNOWN', 'HI'],
      quotes,
      { key: 'last', direction: 'asc' },
      symbolOf,
    );
    expect(order).toEqual(['HI', 'UNKNOWN']);
  });
});
