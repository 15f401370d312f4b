import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, chartedTickers, createDashboardStore } from '../src/store/dashboard-store';
import type { QuoteUpdate } from '../src/store/dashboard-store';
import { GRID_CHARTS, MAX_WATCHLIST } from '../src/store/view-options';
import { DIRECTORY } from './fakes';

const update = (last: number): QuoteUpdate => ({
  last,
  open: 100,
  high: last,
  low: 100,
  volume: 1,
  direction: 1,
  tradeCount: 1,
});

describe('dashboard store', () => {
  it('starts connecting, with the default view and no error', () => {
    const state = createDashboardStore().getState();
    expect(state.connection.state).toBe('connecting');
    expect(state.watchlist).toEqual(DEFAULT_VIEW.watchlist);
    expect(state.focused).toBe('BTC-USD');
    expect(state.error).toBeNull();
    expect([...state.quotes.keys()]).toEqual(DEFAULT_VIEW.watchlist);
  });

  it('takes an initial view, deduplicated, capped, with a focus that is on the list', () => {
    const many = Array.from({ length: MAX_WATCHLIST + 5 }, (_, i) => `T${i}`);
    const state = createDashboardStore({
      watchlist: ['A', 'A', ...many],
      focused: 'ZZZ',
    }).getState();
    expect(state.watchlist).toHaveLength(MAX_WATCHLIST);
    expect(state.watchlist.slice(0, 2)).toEqual(['A', 'T0']);
    expect(state.focused).toBe('A');
  });

  it('indexes the directory by ticker', () => {
    const store = createDashboardStore();
    store.getState().setDirectory(DIRECTORY);
    expect(store.getState().symbolsByTicker.get('ETH-USD')?.name).toBe('Ethereum');
  });

  it('adds symbols once, focusing the first, and refuses past the limit', () => {
    const store = createDashboardStore({ watchlist: [], focused: null });
    expect(store.getState().addSymbol('ETH-USD')).toBe(true);
    expect(store.getState().addSymbol('ETH-USD')).toBe(false);
    expect(store.getState().addSymbol('AAPL')).toBe(true);
    expect(store.getState().watchlist).toEqual(['ETH-USD', 'AAPL']);
    expect(store.getState().focused).toBe('ETH-USD');
    const full = createDashboardStore({
      watchlist: Array.from({ length: MAX_WATCHLIST }, (_, i) => `T${i}`),
    });
    expect(full.getState().addSymbol('ONE-MORE')).toBe(false);
  });

  it('moves the focus to a neighbour when the focused symbol is removed', () => {
    const store = createDashboardStore({ watchlist: ['A', 'B', 'C'], focused: 'B' });
    expect(store.getState().removeSymbol('B')).toBe(true);
    expect(store.getState().focused).toBe('A');
    expect(store.getState().quotes.has('B')).toBe(false);
    expect(store.getState().removeSymbol('B')).toBe(false);
    store.getState().removeSymbol('A');
    store.getState().removeSymbol('C');
    expect(store.getState().focused).toBeNull();
  });

  it('commits a frame in one update, bumping only changed quotes and the given charts', () => {
    const store = createDashboardStore({ watchlist: ['A', 'B'] });
    const untouched = store.getState().quotes.get('B');
    let notifications = 0;
    store.subscribe(() => {
      notifications += 1;
    });
    store.getState().commitFrame(
      new Map([
        ['A', update(105)],
        ['GONE', update(1)],
      ]),
      ['A', 'GONE'],
    );
    expect(notifications).toBe(1);
    expect(store.getState().quotes.get('A')).toMatchObject({ version: 1, last: 105 });
    expect(store.getState().quotes.get('B')).toBe(untouched);
    expect(store.getState().quotes.has('GONE')).toBe(false);
    expect([...store.getState().chartVersions]).toEqual([['A', 1]]);
    store.getState().commitFrame(new Map(), []);
    expect(notifications).toBe(1); // nothing to say, nothing notified
  });

  it('flips the sort direction on the same key and starts ascending on a new one', () => {
    const store = createDashboardStore();
    store.getState().sortBy('last');
    expect(store.getState().sort).toEqual({ key: 'last', direction: 'asc' });
    store.getState().sortBy('last');
    expect(store.getState().sort).toEqual({ key: 'last', direction: 'desc' });
    store.getState().sortBy('volume');
    expect(store.getState().sort).toEqual({ key: 'volume', direction: 'asc' });
  });

  it('charts the focused symbol, or the first twelve in the grid', () => {
    const watchlist = Array.from({ length: 20 }, (_, i) => `T${i}`);
    expect(chartedTickers({ layout: 'single', watchlist, focused: 'T5' })).toEqual(['T5']);
    expect(chartedTickers({ layout: 'single', watchlist, focused: null })).toEqual([]);
    expect(chartedTickers({ layout: 'grid', watchlist, focused: 'T5' })).toEqual(
      watchlist.slice(0, GRID_CHARTS),
    );
  });
});
