import { describe, expect, it, vi } from 'vitest';
import { createDashboardStore } from '../src/store/dashboard-store';
import type { DashboardState, QuoteUpdate } from '../src/store/dashboard-store';
import type { IndicatorSpec } from '../src/indicators';
import { STORAGE_KEY, persistView, restoreView, viewSearch } from '../src/store/persistence';
import { MAX_COMPARE, MAX_WATCHLIST } from '../src/store/view-options';
import { MemoryStorage } from './fakes';

function storageWith(saved: unknown): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem(STORAGE_KEY, typeof saved === 'string' ? saved : JSON.stringify(saved));
  return storage;
}

const SMA20: IndicatorSpec = { kind: 'sma', period: 20 };
const BB20_2: IndicatorSpec = { kind: 'bb', period: 20, width: 2 };

/** A saved view as storage holds it: the indicators in the link's text form. */
const SAVED = {
  watchlist: ['AAPL', 'MSFT'],
  focused: 'MSFT',
  layout: 'grid',
  timeframe: '1d',
  range: '1Y',
  chartStyle: 'area',
  priceScale: 'log',
  utc: true,
  indicators: 'sma20,bb20-2',
  compare: ['ETH-USD', 'NVDA'],
  window: '1h',
  sort: { key: 'volume', direction: 'desc' },
  theme: 'dark',
  panelOpen: false,
  tapeOpen: true,
} as const;

/** `SAVED` as restoreView reads it. */
const SAVED_VIEW = { ...SAVED, indicators: [SMA20, BB20_2] };

type SavedFields = Pick<
  DashboardState,
  | 'watchlist'
  | 'focused'
  | 'layout'
  | 'timeframe'
  | 'range'
  | 'chartStyle'
  | 'priceScale'
  | 'utc'
  | 'indicators'
  | 'compare'
  | 'window'
  | 'sort'
  | 'theme'
  | 'panelOpen'
  | 'tapeOpen'
>;

/** The fields a link carries (sort, theme and the panel stay in storage). */
function linkedFields(view: SavedFields) {
  return {
    watchlist: view.watchlist,
    focused: view.focused,
    layout: view.layout,
    timeframe: view.timeframe,
    range: view.range,
    chartStyle: view.chartStyle,
    priceScale: view.priceScale,
    utc: view.utc,
    indicators: view.indicators,
    compare: view.compare,
    window: view.window,
  };
}

/** What storage holds: the saved fields, the indicators as their link text. */
type StoredFields = Omit<SavedFields, 'indicators'> & { readonly indicators: string };

function savedFields(view: SavedFields): SavedFields {
  return {
    ...linkedFields(view),
    sort: view.sort,
    theme: view.theme,
    panelOpen: view.panelOpen,
    tapeOpen: view.tapeOpen,
  };
}

describe('restoreView', () => {
  it('is empty without a link or a saved view', () => {
    expect(restoreView('', null)).toEqual({ view: {}, problems: [] });
    expect(restoreView('', new MemoryStorage())).toEqual({ view: {}, problems: [] });
  });

  it('restores every saved field', () => {
    expect(restoreView('', storageWith(SAVED))).toEqual({ view: SAVED_VIEW, problems: [] });
  });

  it('reads the link: symbols, chart, layout, timeframe, range, style, scale, utc, indicators, compared symbols and window', () => {
    const { view, problems } = restoreView(
      '?symbols=BTC-USD,ETH-USD&chart=ETH-USD&layout=grid&tf=1d&range=1Y&style=line' +
        '&scale=percent&utc=1&ind=sma20,bb20-2&cmp=AAPL,NVDA&window=15m',
      null,
    );
    expect(problems).toEqual([]);
    expect(view).toEqual({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'ETH-USD',
      layout: 'grid',
      timeframe: '1d',
      range: '1Y',
      chartStyle: 'line',
      priceScale: 'percent',
      utc: true,
      indicators: [SMA20, BB20_2],
      compare: ['AAPL', 'NVDA'],
      window: '15m',
    });
  });

  it('reads utc=0 as local time, over a saved utc', () => {
    const { view, problems } = restoreView('?utc=0', storageWith(SAVED));
    expect(problems).toEqual([]);
    expect(view.utc).toBe(false);
  });

  it("takes the link's indicators instead of the saved ones", () => {
    expect(restoreView('?ind=vwap', storageWith(SAVED)).view.indicators).toEqual([
      { kind: 'vwap' },
    ]);
  });

  it('focuses the first linked symbol without a chart parameter', () => {
    expect(restoreView('?symbols=NVDA,AAPL', null).view.focused).toBe('NVDA');
  });

  it('normalizes linked tickers: upper case, trimmed, no blanks or repeats', () => {
    const { view, problems } = restoreView(
      '?symbols=%20aapl%20,,msft,AAPL,brk.b,&chart=msft',
      null,
    );
    expect(problems).toEqual([]);
    expect(view.watchlist).toEqual(['AAPL', 'MSFT', 'BRK.B']);
    expect(view.focused).toBe('MSFT');
  });

  it('lets the link win over the saved view, keeping saved fields it does not set', () => {
    const { view } = restoreView(
      '?symbols=NVDA&layout=single&style=candles&scale=linear&window=1m',
      storageWith(SAVED),
    );
    expect(view).toEqual({
      ...SAVED_VIEW,
      watchlist: ['NVDA'],
      focused: 'NVDA',
      layout: 'single',
      chartStyle: 'candles',
      priceScale: 'linear',
      window: '1m',
    });
  });

  it('keeps the saved symbols when the link only changes the chart', () => {
    const { view } = restoreView('?chart=aapl', storageWith(SAVED));
    expect(view.watchlist).toEqual(['AAPL', 'MSFT']);
    expect(view.focused).toBe('AAPL');
  });

  it('reports and drops malformed linked tickers', () => {
    const { view, problems } = restoreView(
      `?symbols=AAPL,<script>,MS FT,${'X'.repeat(25)},ETH-USD`,
      null,
    );
    expect(view.watchlist).toEqual(['AAPL', 'ETH-USD']);
    expect(problems).toEqual([
      `Ignored malformed symbols in the link: <SCRIPT>, MS FT, ${'X'.repeat(25)}`,
    ]);
  });

  it('starts with no symbols when the link lists none that are usable', () => {
    const { view, problems } = restoreView('?symbols=%3F%3F', storageWith(SAVED));
    expect(view.watchlist).toEqual([]);
    expect(view.focused).toBeNull();
    expect(problems).toHaveLength(1);
  });

  it(`keeps the first ${MAX_WATCHLIST} linked symbols and says so`, () => {
    const tickers = Array.from({ length: MAX_WATCHLIST + 5 }, (_, i) => `S${i}`);
    const { view, problems } = restoreView(`?symbols=${tickers.join(',')}`, null);
    expect(view.watchlist).toEqual(tickers.slice(0, MAX_WATCHLIST));
    expect(problems).toEqual([
      `The link lists ${MAX_WATCHLIST + 5} symbols; showing the first ${MAX_WATCHLIST}`,
    ]);
  });

  it('counts repeated symbols once against the limit', () => {
    const tickers = Array.from({ length: MAX_WATCHLIST }, (_, i) => `S${i}`);
    const { view, problems } = restoreView(`?symbols=${[...tickers, 'S0', 'S1'].join(',')}`, null);
    expect(view.watchlist).toHaveLength(MAX_WATCHLIST);
    expect(problems).toEqual([]);
  });

  it('clears a saved range when the link sets only the timeframe', () => {
    const { view, problems } = restoreView(
      '?tf=5m',
      storageWith({ ...SAVED, timeframe: '1d', range: '1Y' }),
    );
    expect(problems).toEqual([]);
    expect(view.timeframe).toBe('5m');
    expect(view.range).toBeNull();
  });

  it('lets a linked range decide the timeframe, reporting a tf that disagrees', () => {
    const { view, problems } = restoreView('?range=1Y&tf=1m', null);
    expect(view).toEqual({ range: '1Y', timeframe: '1d' });
    expect(problems).toEqual(['Ignored tf=1m in the link: the range 1Y is drawn in 1d candles']);
  });

  it.each([
    ['nothing saved', null],
    ['a saved view', storageWith(SAVED)],
  ])("takes a linked range's interval without a tf, over %s", (_, storage) => {
    const { view, problems } = restoreView('?range=1W', storage);
    expect(problems).toEqual([]);
    expect(view.range).toBe('1W');
    expect(view.timeframe).toBe('1h');
  });

  it('reports and ignores bad parameter values, keeping saved ones', () => {
    const { view, problems } = restoreView(
      '?layout=diagonal&tf=5s&range=2Y&style=bars&scale=sqrt&utc=yes&window=2h',
      storageWith(SAVED),
    );
    expect(view).toEqual(SAVED_VIEW);
    expect(problems).toEqual([
      'Ignored layout=diagonal in the link',
      'Ignored tf=5s in the link',
      'Ignored range=2Y in the link',
      'Ignored style=bars in the link',
      'Ignored scale=sqrt in the link',
      'Ignored utc=yes in the link',
      'Ignored window=2h in the link',
    ]);
  });

  it("reports a linked indicator that cannot be used with the parser's reason, keeping the rest", () => {
    const { view, problems } = restoreView('?ind=sma20,sma1,bb20-2', storageWith(SAVED));
    expect(view.indicators).toEqual([SMA20, BB20_2]);
    expect(problems).toEqual([
      'Ignored indicator in the link: sma1 (period must be a whole number from 2 to 500)',
    ]);
  });

  it('reports an empty parameter value', () => {
    const { view, problems } = restoreView('?layout=', null);
    expect(view.layout).toBeUndefined();
    expect(problems).toEqual(['Ignored layout= in the link']);
  });

  describe('compared symbols (cmp)', () => {
    it('reads them in order', () => {
      expect(restoreView('?cmp=ETH-USD,BRK.B', null)).toEqual({
        view: { compare: ['ETH-USD', 'BRK.B'] },
        problems: [],
      });
    });

    it('normalizes them: upper case, trimmed, no blanks or repeats', () => {
      const { view, problems } = restoreView('?cmp=%20eth-usd%20,,aapl,ETH-USD,Aapl,', null);
      expect(problems).toEqual([]);
      expect(view.compare).toEqual(['ETH-USD', 'AAPL']);
    });

    it('reports and drops malformed ones, keeping the rest', () => {
      const { view, problems } = restoreView(
        `?cmp=AAPL,<b>,MS FT,${'X'.repeat(25)},nvda`,
        storageWith(SAVED),
      );
      expect(view.compare).toEqual(['AAPL', 'NVDA']);
      expect(problems).toEqual([
        `Ignored malformed compared symbols in the link: <B>, MS FT, ${'X'.repeat(25)}`,
      ]);
    });

    it(`keeps the first ${MAX_COMPARE} and says so`, () => {
      const tickers = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'];
      const { view, problems } = restoreView(`?cmp=${tickers.join(',')}`, null);
      expect(view.compare).toEqual(tickers.slice(0, MAX_COMPARE));
      expect(problems).toEqual([
        `The link compares ${tickers.length} symbols; showing the first ${MAX_COMPARE}`,
      ]);
    });

    it('counts repeated and malformed ones once against the limit, after cleaning', () => {
      const { view, problems } = restoreView('?cmp=AAPL,aapl,MSFT,%3F,NVDA,msft', null);
      expect(view.compare).toEqual(['AAPL', 'MSFT', 'NVDA']);
      expect(problems).toEqual(['Ignored malformed compared symbols in the link: ?']);
    });

    it('takes an empty cmp as comparing nothing, over the saved ones', () => {
      const { view, problems } = restoreView('?cmp=', storageWith(SAVED));
      expect(problems).toEqual([]);
      expect(view.compare).toEqual([]);
    });

    it('keeps the saved ones when the link has no cmp', () => {
      expect(restoreView('?layout=single', storageWith(SAVED)).view.compare).toEqual([
        'ETH-USD',
        'NVDA',
      ]);
    });

    it('compares nothing when the link names none that are usable, and says why', () => {
      const { view, problems } = restoreView('?cmp=%3F%3F', storageWith(SAVED));
      expect(view.compare).toEqual([]);
      expect(problems).toEqual(['Ignored malformed compared symbols in the link: ??']);
    });
  });

  describe('saved view', () => {
    it.each([
      ['garbage JSON', '{"watchlist": ['],
      ['a number', '42'],
      ['a string', '"grid"'],
      ['null', 'null'],
      ['an array', '["AAPL"]'],
    ])('is ignored when it is %s', (_, raw) => {
      expect(restoreView('', storageWith(raw))).toEqual({ view: {}, problems: [] });
    });

    it('still applies the link when it is unreadable', () => {
      expect(restoreView('?layout=grid', storageWith('not json')).view).toEqual({
        layout: 'grid',
      });
    });

    it('keeps only the fields with a valid shape', () => {
      const { view, problems } = restoreView(
        '',
        storageWith({
          watchlist: 'AAPL',
          focused: 3,
          layout: 'diagonal',
          timeframe: '1m',
          range: '2Y',
          chartStyle: 'bars',
          priceScale: 'sqrt',
          utc: 'yes',
          indicators: [SMA20],
          compare: 'AAPL',
          window: 60_000,
          sort: { key: 'price', direction: 'asc' },
          theme: 'sepia',
          panelOpen: 'no',
        }),
      );
      expect(view).toEqual({ timeframe: '1m' });
      expect(problems).toEqual([]);
    });

    it.each([
      ['range', { range: '1y' }],
      ['range', { range: 1 }],
      ['chartStyle', { chartStyle: 'Candles' }],
      ['priceScale', { priceScale: null }],
      ['utc', { utc: 1 }],
      ['utc', { utc: null }],
      ['indicators', { indicators: null }],
      ['indicators', { indicators: { kind: 'sma', period: 20 } }],
      ['compare', { compare: 'AAPL' }],
      ['compare', { compare: null }],
      ['compare', { compare: { 0: 'AAPL' } }],
    ])('ignores a bad saved %s: %j', (_, saved) => {
      expect(restoreView('', storageWith(saved)).view).toEqual({});
    });

    it('drops a saved range that disagrees with the saved timeframe, keeping the rest', () => {
      const { view, problems } = restoreView('', storageWith({ ...SAVED, timeframe: '1h' }));
      expect(problems).toEqual([]);
      expect(view.timeframe).toBe('1h');
      expect(view).not.toHaveProperty('range');
      expect(view).toEqual({ ...SAVED_VIEW, timeframe: '1h', range: undefined });
    });

    it('drops a saved range without a saved timeframe', () => {
      expect(restoreView('', storageWith({ range: '1Y' })).view).toEqual({});
    });

    it('drops malformed saved indicators silently, keeping the rest', () => {
      const { view, problems } = restoreView(
        '',
        storageWith({ indicators: 'sma20,sma1,sma20,foo,bb20-9,bb20-2' }),
      );
      expect(view.indicators).toEqual([SMA20, BB20_2]);
      expect(problems).toEqual([]);
    });

    it('drops malformed saved tickers and keeps at most the limit', () => {
      const many = Array.from({ length: MAX_WATCHLIST + 3 }, (_, i) => `S${i}`);
      expect(
        restoreView('', storageWith({ watchlist: ['AAPL', 7, 'bad ticker', null, 'MSFT'] })).view
          .watchlist,
      ).toEqual(['AAPL', 'MSFT']);
      expect(restoreView('', storageWith({ watchlist: many })).view.watchlist).toEqual(
        many.slice(0, MAX_WATCHLIST),
      );
    });

    it('cleans saved compared symbols as the link does, reporting nothing', () => {
      const { view, problems } = restoreView(
        '',
        storageWith({
          compare: [' eth-usd ', 7, null, 'bad ticker', 'ETH-USD', '', 'aapl', 'MSFT', 'NVDA'],
        }),
      );
      expect(view).toEqual({ compare: ['ETH-USD', 'AAPL', 'MSFT'] });
      expect(problems).toEqual([]);
    });

    it('accepts an empty saved compare', () => {
      expect(restoreView('', storageWith({ compare: [] })).view).toEqual({ compare: [] });
    });

    it('accepts explicit nulls for focus, range, sort and theme, and false flags', () => {
      const { view } = restoreView(
        '',
        storageWith({
          focused: null,
          range: null,
          sort: null,
          theme: null,
          utc: false,
          panelOpen: false,
          indicators: '',
        }),
      );
      expect(view).toEqual({
        focused: null,
        range: null,
        sort: null,
        theme: null,
        utc: false,
        panelOpen: false,
        indicators: [],
      });
    });

    it.each([
      [{ key: 'last', direction: 'up' }],
      [{ key: 'last' }],
      [{ direction: 'asc' }],
      ['last'],
    ])('rejects the sort %j', (sort) => {
      expect(restoreView('', storageWith({ sort })).view).toEqual({});
    });

    it('survives a storage that throws', () => {
      const storage = {
        getItem: () => {
          throw new DOMException('denied', 'SecurityError');
        },
      };
      expect(restoreView('?tf=1m', storage)).toEqual({
        view: { timeframe: '1m', range: null },
        problems: [],
      });
    });
  });
});

describe('viewSearch', () => {
  const VIEW: SavedFields = {
    watchlist: ['BTC-USD', 'BRK.B', 'AAPL'],
    focused: 'BRK.B',
    layout: 'grid',
    timeframe: '1m',
    range: null,
    chartStyle: 'candles',
    priceScale: 'linear',
    utc: false,
    indicators: [],
    compare: [],
    window: '15m',
    sort: { key: 'last', direction: 'asc' },
    theme: 'light',
    panelOpen: false,
    tapeOpen: true,
  };

  it('writes a readable link, commas unescaped, without sort, theme or the panel', () => {
    expect(viewSearch(VIEW)).toBe(
      '?symbols=BTC-USD,BRK.B,AAPL&chart=BRK.B&layout=grid&tf=1m&style=candles&scale=linear' +
        '&utc=0&ind=&cmp=&window=15m',
    );
  });

  it('adds the range when set, and writes utc on and the indicators', () => {
    expect(
      viewSearch({
        ...VIEW,
        timeframe: '1d',
        range: '1Y',
        utc: true,
        indicators: [SMA20, { kind: 'bb', period: 20, width: 2.5 }],
      }),
    ).toBe(
      '?symbols=BTC-USD,BRK.B,AAPL&chart=BRK.B&layout=grid&tf=1d&range=1Y&style=candles' +
        '&scale=linear&utc=1&ind=sma20,bb20-2.5&cmp=&window=15m',
    );
  });

  it('writes the compared symbols after the indicators, commas unescaped', () => {
    expect(viewSearch({ ...VIEW, indicators: [SMA20], compare: ['ETH-USD', 'BRK.B'] })).toBe(
      '?symbols=BTC-USD,BRK.B,AAPL&chart=BRK.B&layout=grid&tf=1m&style=candles&scale=linear' +
        '&utc=0&ind=sma20&cmp=ETH-USD,BRK.B&window=15m',
    );
  });

  it('reproduces utc off, no indicators and no compared symbols over a saved view with them', () => {
    const { view, problems } = restoreView(viewSearch(VIEW), storageWith(SAVED));
    expect(problems).toEqual([]);
    expect(view.utc).toBe(false);
    expect(view.indicators).toEqual([]);
    expect(view.compare).toEqual([]);
    // Every field the link carries is the link's, none the reader's saved one.
    expect(linkedFields(createDashboardStore(view).getState())).toEqual(linkedFields(VIEW));
  });

  it('leaves the panel out of the link, open or not', () => {
    expect(viewSearch({ ...VIEW, panelOpen: true })).toBe(viewSearch(VIEW));
  });

  it('leaves the chart out when nothing is focused', () => {
    expect(viewSearch({ ...VIEW, watchlist: [], focused: null })).toBe(
      '?symbols=&layout=grid&tf=1m&style=candles&scale=linear&utc=0&ind=&cmp=&window=15m',
    );
  });

  it.each<SavedFields>([
    VIEW,
    { ...VIEW, layout: 'single', timeframe: '1s', window: '1m' },
    { ...VIEW, focused: 'AAPL', window: '1h', chartStyle: 'line', priceScale: 'percent' },
    {
      ...VIEW,
      timeframe: '1d',
      range: '1Y',
      chartStyle: 'area',
      priceScale: 'log',
      utc: true,
      indicators: [SMA20, BB20_2],
    },
    {
      ...VIEW,
      timeframe: '5m',
      range: '1D',
      indicators: [{ kind: 'vwap' }, { kind: 'ema', period: 50 }],
    },
    { ...VIEW, watchlist: ['ETH-USD'], focused: 'ETH-USD', window: '5m' },
    { ...VIEW, watchlist: [], focused: null },
    { ...VIEW, compare: ['NVDA'] },
    // Compared symbols need not be on the watchlist, nor does the watchlist need any.
    { ...VIEW, watchlist: [], focused: null, compare: ['ETH-USD', 'TSLA', 'BRK.B'] },
  ])('round-trips through restoreView into the same view (%#)', (view) => {
    const { view: restored, problems } = restoreView(viewSearch(view), null);
    expect(problems).toEqual([]);
    // Opened elsewhere, with nothing saved: what the link leaves out is the default.
    expect(linkedFields(createDashboardStore(restored).getState())).toEqual(linkedFields(view));
  });
});

describe('persistView', () => {
  function setup(storage: Pick<Storage, 'setItem'> | null = new MemoryStorage()) {
    const store = createDashboardStore({ watchlist: ['AAPL', 'MSFT'], focused: 'AAPL' });
    const replaceSearch = vi.fn<(search: string) => void>();
    const stop = persistView(store, storage, replaceSearch);
    return { store, replaceSearch, stop };
  }

  function saved(storage: MemoryStorage): unknown {
    return JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
  }

  const START_LINK =
    '?symbols=AAPL,MSFT&chart=AAPL&layout=single&tf=1m&style=candles&scale=linear' +
    '&utc=0&ind=&cmp=&window=5m';

  it('saves the starting view and puts it in the address bar at once', () => {
    const storage = new MemoryStorage();
    const { replaceSearch } = setup(storage);
    expect(saved(storage)).toEqual({
      watchlist: ['AAPL', 'MSFT'],
      focused: 'AAPL',
      layout: 'single',
      timeframe: '1m',
      range: null,
      chartStyle: 'candles',
      priceScale: 'linear',
      utc: false,
      indicators: '',
      compare: [],
      window: '5m',
      sort: null,
      theme: null,
      panelOpen: true,
      tapeOpen: false,
    });
    expect(replaceSearch).toHaveBeenCalledTimes(1);
    expect(replaceSearch).toHaveBeenLastCalledWith(START_LINK);
  });

  it.each<[string, (state: DashboardState) => void, Partial<StoredFields>]>([
    [
      'addSymbol',
      (s) => {
        s.addSymbol('NVDA');
      },
      { watchlist: ['AAPL', 'MSFT', 'NVDA'] },
    ],
    [
      'removeSymbol',
      (s) => {
        s.removeSymbol('AAPL');
      },
      { watchlist: ['MSFT'], focused: 'MSFT' },
    ],
    [
      'focus',
      (s) => {
        s.focus('MSFT');
      },
      { focused: 'MSFT' },
    ],
    [
      'setLayout',
      (s) => {
        s.setLayout('grid');
      },
      { layout: 'grid' },
    ],
    [
      'setTimeframe',
      (s) => {
        s.setTimeframe('15m');
      },
      { timeframe: '15m', range: null },
    ],
    [
      'setRange',
      (s) => {
        s.setRange('1W');
      },
      { range: '1W', timeframe: '1h' },
    ],
    [
      'setChartStyle',
      (s) => {
        s.setChartStyle('line');
      },
      { chartStyle: 'line' },
    ],
    [
      'setPriceScale',
      (s) => {
        s.setPriceScale('percent');
      },
      { priceScale: 'percent' },
    ],
    [
      'setUtc',
      (s) => {
        s.setUtc(true);
      },
      { utc: true },
    ],
    [
      'setIndicators',
      (s) => {
        s.setIndicators([SMA20, BB20_2]);
      },
      // Saved as the link's text, not as objects.
      { indicators: 'sma20,bb20-2' },
    ],
    [
      'setCompare',
      (s) => {
        s.setCompare(['ETH-USD', 'NVDA']);
      },
      { compare: ['ETH-USD', 'NVDA'] },
    ],
    [
      'setWindow',
      (s) => {
        s.setWindow('1h');
      },
      { window: '1h' },
    ],
    [
      'sortBy',
      (s) => {
        s.sortBy('change');
      },
      { sort: { key: 'change', direction: 'asc' } },
    ],
    [
      'setTheme',
      (s) => {
        s.setTheme('dark');
      },
      { theme: 'dark' },
    ],
    [
      'setPanelOpen',
      (s) => {
        s.setPanelOpen(false);
      },
      { panelOpen: false },
    ],
  ])('saves and links the view once after %s', (_, act, changed) => {
    const storage = new MemoryStorage();
    const { store, replaceSearch } = setup(storage);
    replaceSearch.mockClear();

    act(store.getState());

    expect(replaceSearch).toHaveBeenCalledTimes(1);
    expect(saved(storage)).toMatchObject(changed);
    const state = store.getState();
    expect(replaceSearch).toHaveBeenLastCalledWith(viewSearch(state));
    // What was saved restores the store's view.
    expect(restoreView('', storage).view).toEqual(savedFields(state));
  });

  it('keeps the panel in storage only: closing it leaves the link as it was', () => {
    const storage = new MemoryStorage();
    const { store, replaceSearch } = setup(storage);

    store.getState().setPanelOpen(false);

    expect(saved(storage)).toMatchObject({ panelOpen: false });
    expect(replaceSearch).toHaveBeenLastCalledWith(START_LINK);
  });

  it('drops the range from the link once a timeframe is picked', () => {
    const { store, replaceSearch } = setup();
    store.getState().setRange('1Y');
    expect(replaceSearch).toHaveBeenLastCalledWith(expect.stringContaining('tf=1d&range=1Y&'));
    store.getState().setTimeframe('1h');
    expect(replaceSearch).toHaveBeenLastCalledWith(expect.not.stringContaining('range='));
  });

  it('ignores store changes outside the view', () => {
    const storage = new MemoryStorage();
    const setItem = vi.spyOn(storage, 'setItem');
    const { store, replaceSearch } = setup(storage);
    replaceSearch.mockClear();
    setItem.mockClear();

    const state = store.getState();
    const update: QuoteUpdate = {
      last: 100,
      open: 99,
      high: 101,
      low: 98,
      volume: 5,
      direction: 1,
      tradeCount: 3,
    };
    state.commitFrame(new Map([['AAPL', update]]), ['AAPL']);
    state.everySecond(null, 0);
    state.setPaused(true);
    state.setError('boom');
    state.setConnection({ state: 'open', reason: 'connected', retryAt: null, closeCode: null });
    state.setDirectory([]);
    state.setPhoneScreen('watchlist');

    expect(store.getState().quotes.get('AAPL')?.last).toBe(100);
    expect(store.getState().phoneScreen).toBe('watchlist');
    expect(replaceSearch).not.toHaveBeenCalled();
    expect(setItem).not.toHaveBeenCalled();
  });

  it('ignores actions that leave the view as it was', () => {
    const { store, replaceSearch } = setup();
    replaceSearch.mockClear();
    const state = store.getState();

    state.setLayout('single');
    state.setTimeframe('1m');
    state.setChartStyle('candles');
    state.setPriceScale('linear');
    state.setUtc(false);
    state.setWindow('5m');
    state.setCompare([]);
    state.setPanelOpen(true);
    state.focus('AAPL');
    state.focus('NOT-WATCHED');
    expect(state.addSymbol('AAPL')).toBe(false);

    expect(replaceSearch).not.toHaveBeenCalled();
  });

  it('follows a sequence of changes, once each', () => {
    const { store, replaceSearch } = setup();
    replaceSearch.mockClear();
    const state = store.getState();
    state.setLayout('grid');
    state.sortBy('last');
    state.sortBy('last');
    state.setLayout('grid');
    state.setRange('1H');
    state.setRange('1H');
    expect(replaceSearch).toHaveBeenCalledTimes(4);
    expect(store.getState().sort).toEqual({ key: 'last', direction: 'desc' });
  });

  it('keeps the link in step when storage is full or disabled', () => {
    const storage = {
      setItem: vi.fn(() => {
        throw new DOMException('full', 'QuotaExceededError');
      }),
    };
    const { store, replaceSearch } = setup(storage);
    expect(replaceSearch).toHaveBeenCalledTimes(1);

    store.getState().setLayout('grid');

    expect(storage.setItem).toHaveBeenCalledTimes(2);
    expect(replaceSearch).toHaveBeenCalledTimes(2);
    expect(replaceSearch).toHaveBeenLastCalledWith(expect.stringContaining('layout=grid'));
  });

  it('works without storage', () => {
    const { store, replaceSearch } = setup(null);
    store.getState().setWindow('1m');
    expect(replaceSearch).toHaveBeenCalledTimes(2);
    expect(replaceSearch).toHaveBeenLastCalledWith(expect.stringContaining('window=1m'));
  });

  it('stops when unsubscribed', () => {
    const storage = new MemoryStorage();
    const { store, replaceSearch, stop } = setup(storage);
    stop();
    store.getState().setLayout('grid');
    expect(replaceSearch).toHaveBeenCalledTimes(1);
    expect(saved(storage)).toMatchObject({ layout: 'single' });
  });
});
