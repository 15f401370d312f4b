import { describe, expect, it, vi } from 'vitest';
import { createDashboardStore } from '../src/store/dashboard-store';
import type { DashboardState, QuoteUpdate } from '../src/store/dashboard-store';
import { STORAGE_KEY, persistView, restoreView, viewSearch } from '../src/store/persistence';
import { MAX_WATCHLIST } from '../src/store/view-options';

/** An in-memory Storage with only what persistence uses. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

function storageWith(saved: unknown): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem(STORAGE_KEY, typeof saved === 'string' ? saved : JSON.stringify(saved));
  return storage;
}

const SAVED = {
  watchlist: ['AAPL', 'MSFT'],
  focused: 'MSFT',
  layout: 'grid',
  timeframe: '1m',
  window: '1h',
  sort: { key: 'volume', direction: 'desc' },
  theme: 'dark',
} as const;

type SavedFields = Pick<
  DashboardState,
  'watchlist' | 'focused' | 'layout' | 'timeframe' | 'window' | 'sort' | 'theme'
>;

describe('restoreView', () => {
  it('is empty without a link or a saved view', () => {
    expect(restoreView('', null)).toEqual({ view: {}, problems: [] });
    expect(restoreView('', new MemoryStorage())).toEqual({ view: {}, problems: [] });
  });

  it('restores every saved field', () => {
    expect(restoreView('', storageWith(SAVED))).toEqual({ view: SAVED, problems: [] });
  });

  it('reads the link: symbols, chart, layout, timeframe and window', () => {
    const { view, problems } = restoreView(
      '?symbols=BTC-USD,ETH-USD&chart=ETH-USD&layout=grid&tf=1m&window=15m',
      null,
    );
    expect(problems).toEqual([]);
    expect(view).toEqual({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'ETH-USD',
      layout: 'grid',
      timeframe: '1m',
      window: '15m',
    });
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
    const { view } = restoreView('?symbols=NVDA&layout=single&window=1m', storageWith(SAVED));
    expect(view).toEqual({
      watchlist: ['NVDA'],
      focused: 'NVDA',
      layout: 'single',
      timeframe: '1m',
      window: '1m',
      sort: SAVED.sort,
      theme: 'dark',
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

  it('reports and ignores bad layout, timeframe and window values, keeping saved ones', () => {
    const { view, problems } = restoreView('?layout=diagonal&tf=5s&window=2h', storageWith(SAVED));
    expect(view.layout).toBe('grid');
    expect(view.timeframe).toBe('1m');
    expect(view.window).toBe('1h');
    expect(problems).toEqual([
      'Ignored layout=diagonal in the link',
      'Ignored tf=5s in the link',
      'Ignored window=2h in the link',
    ]);
  });

  it('reports an empty parameter value', () => {
    const { view, problems } = restoreView('?layout=', null);
    expect(view.layout).toBeUndefined();
    expect(problems).toEqual(['Ignored layout= in the link']);
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
          window: 60_000,
          sort: { key: 'price', direction: 'asc' },
          theme: 'sepia',
        }),
      );
      expect(view).toEqual({ timeframe: '1m' });
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

    it('accepts explicit nulls for focus, sort and theme', () => {
      const { view } = restoreView('', storageWith({ focused: null, sort: null, theme: null }));
      expect(view).toEqual({ focused: null, sort: null, theme: null });
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
      expect(restoreView('?tf=1m', storage)).toEqual({ view: { timeframe: '1m' }, problems: [] });
    });
  });
});

describe('viewSearch', () => {
  const VIEW: SavedFields = {
    watchlist: ['BTC-USD', 'BRK.B', 'AAPL'],
    focused: 'BRK.B',
    layout: 'grid',
    timeframe: '1m',
    window: '15m',
    sort: { key: 'last', direction: 'asc' },
    theme: 'light',
  };

  it('writes a readable link, commas unescaped, without sort or theme', () => {
    expect(viewSearch(VIEW)).toBe(
      '?symbols=BTC-USD,BRK.B,AAPL&chart=BRK.B&layout=grid&tf=1m&window=15m',
    );
  });

  it('leaves the chart out when nothing is focused', () => {
    expect(viewSearch({ ...VIEW, watchlist: [], focused: null })).toBe(
      '?symbols=&layout=grid&tf=1m&window=15m',
    );
  });

  it.each<SavedFields>([
    VIEW,
    { ...VIEW, layout: 'single', timeframe: '1s', window: '1m' },
    { ...VIEW, focused: 'AAPL', window: '1h' },
    { ...VIEW, watchlist: ['ETH-USD'], focused: 'ETH-USD', window: '5m' },
    { ...VIEW, watchlist: [], focused: null },
  ])('round-trips through restoreView (%#)', (view) => {
    const { view: restored, problems } = restoreView(viewSearch(view), null);
    expect(problems).toEqual([]);
    expect(restored).toEqual({
      watchlist: view.watchlist,
      focused: view.focused,
      layout: view.layout,
      timeframe: view.timeframe,
      window: view.window,
    });
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

  it('saves the starting view and puts it in the address bar at once', () => {
    const storage = new MemoryStorage();
    const { replaceSearch } = setup(storage);
    expect(saved(storage)).toEqual({
      watchlist: ['AAPL', 'MSFT'],
      focused: 'AAPL',
      layout: 'single',
      timeframe: '1s',
      window: '5m',
      sort: null,
      theme: null,
    });
    expect(replaceSearch).toHaveBeenCalledTimes(1);
    expect(replaceSearch).toHaveBeenLastCalledWith(
      '?symbols=AAPL,MSFT&chart=AAPL&layout=single&tf=1s&window=5m',
    );
  });

  it.each<[string, (state: DashboardState) => void, Partial<SavedFields>]>([
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
        s.setTimeframe('1m');
      },
      { timeframe: '1m' },
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
    expect(restoreView('', storage).view).toEqual({
      watchlist: state.watchlist,
      focused: state.focused,
      layout: state.layout,
      timeframe: state.timeframe,
      window: state.window,
      sort: state.sort,
      theme: state.theme,
    });
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

    expect(store.getState().quotes.get('AAPL')?.last).toBe(100);
    expect(replaceSearch).not.toHaveBeenCalled();
    expect(setItem).not.toHaveBeenCalled();
  });

  it('ignores actions that leave the view as it was', () => {
    const { store, replaceSearch } = setup();
    replaceSearch.mockClear();
    const state = store.getState();

    state.setLayout('single');
    state.setWindow('5m');
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
    expect(replaceSearch).toHaveBeenCalledTimes(3);
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
