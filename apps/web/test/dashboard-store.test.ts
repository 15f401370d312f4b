import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  chartedTickers,
  createDashboardStore,
  watchedTickers,
} from '../src/store/dashboard-store';
import type { QuoteUpdate } from '../src/store/dashboard-store';
import { CHART_RANGES, RANGES } from '../src/chart/intervals';
import { GRID_CHARTS, MAX_COMPARE, MAX_WATCHLIST } from '../src/store/view-options';
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

  it('starts with one-minute candles, no range, local time, no indicators and the panel open', () => {
    const state = createDashboardStore().getState();
    expect(state).toMatchObject({
      timeframe: '1m',
      range: null,
      chartStyle: 'candles',
      priceScale: 'linear',
      utc: false,
      indicators: [],
      panelOpen: true,
      phoneScreen: 'chart',
    });
  });

  it("takes the initial view's chart settings", () => {
    const indicators = [
      { kind: 'ema', period: 50 },
      { kind: 'bb', period: 20, width: 2 },
    ] as const;
    const state = createDashboardStore({
      timeframe: '4h',
      range: '1M',
      chartStyle: 'area',
      priceScale: 'log',
      utc: true,
      indicators,
      panelOpen: false,
    }).getState();
    expect(state).toMatchObject({
      timeframe: '4h',
      range: '1M',
      chartStyle: 'area',
      priceScale: 'log',
      utc: true,
      panelOpen: false,
    });
    expect(state.indicators).toEqual(indicators);
  });

  it('sets a range and its interval in one update', () => {
    const store = createDashboardStore();
    let notifications = 0;
    store.subscribe(() => {
      notifications += 1;
    });
    store.getState().setRange('1Y');
    expect(store.getState()).toMatchObject({ range: '1Y', timeframe: '1d' });
    expect(notifications).toBe(1);
  });

  it.each(CHART_RANGES)('sets the range %s with its own interval', (range) => {
    const store = createDashboardStore({ timeframe: '1s' });
    store.getState().setRange(range);
    expect(store.getState().range).toBe(range);
    expect(store.getState().timeframe).toBe(RANGES[range].interval);
  });

  it('clears the range when a timeframe is picked, even the interval the range chose', () => {
    const store = createDashboardStore();
    store.getState().setRange('1W');
    store.getState().setTimeframe('15m');
    expect(store.getState()).toMatchObject({ range: null, timeframe: '15m' });
    store.getState().setRange('1Y');
    store.getState().setTimeframe('1d');
    expect(store.getState()).toMatchObject({ range: null, timeframe: '1d' });
  });

  it('sets the chart style, price scale, time zone, indicators and panel', () => {
    const store = createDashboardStore();
    const indicators = [{ kind: 'vwap' }, { kind: 'sma', period: 20 }] as const;
    const state = store.getState();
    state.setChartStyle('line');
    state.setPriceScale('percent');
    state.setUtc(true);
    state.setIndicators(indicators);
    state.setPanelOpen(false);
    expect(store.getState()).toMatchObject({
      chartStyle: 'line',
      priceScale: 'percent',
      utc: true,
      panelOpen: false,
    });
    expect(store.getState().indicators).toBe(indicators);
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

  it('takes a phone to the chart screen when a symbol is shown, not for one off the list', () => {
    const store = createDashboardStore({ watchlist: ['A', 'B'], focused: 'A' });
    store.getState().setPhoneScreen('watchlist');
    store.getState().focus('Z');
    expect(store.getState().phoneScreen).toBe('watchlist');
    store.getState().focus('B');
    expect(store.getState()).toMatchObject({ focused: 'B', phoneScreen: 'chart' });
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

  describe('compared symbols', () => {
    it('starts comparing nothing, or the initial ones deduplicated and capped', () => {
      expect(createDashboardStore().getState().compare).toEqual([]);
      const state = createDashboardStore({
        compare: ['A', 'B', 'A', 'C', 'D'],
      }).getState();
      expect(state.compare).toEqual(['A', 'B', 'C']);
      expect(state.compare).toHaveLength(MAX_COMPARE);
    });

    it(`sets them in one update, deduplicated and capped at ${MAX_COMPARE}`, () => {
      const store = createDashboardStore();
      let notifications = 0;
      store.subscribe(() => {
        notifications += 1;
      });
      store.getState().setCompare(['ETH-USD', 'AAPL', 'ETH-USD', 'MSFT', 'NVDA']);
      expect(store.getState().compare).toEqual(['ETH-USD', 'AAPL', 'MSFT']);
      expect(notifications).toBe(1);
    });

    it('keeps the same array, notifying nothing, when the cleaned list is the same', () => {
      const store = createDashboardStore({ compare: ['ETH-USD', 'AAPL'] });
      const before = store.getState().compare;
      let notifications = 0;
      store.subscribe(() => {
        notifications += 1;
      });
      store.getState().setCompare(['ETH-USD', 'AAPL']);
      store.getState().setCompare(['ETH-USD', 'AAPL', 'AAPL']);
      expect(store.getState().compare).toBe(before);
      expect(notifications).toBe(0);
      // Order is the user's, so a new order is a change.
      store.getState().setCompare(['AAPL', 'ETH-USD']);
      expect(store.getState().compare).toEqual(['AAPL', 'ETH-USD']);
      expect(notifications).toBe(1);
      store.getState().setCompare([]);
      expect(store.getState().compare).toEqual([]);
      expect(notifications).toBe(2);
    });

    it('keeps a compared symbol that leaves the watchlist', () => {
      const store = createDashboardStore({ watchlist: ['A', 'B'], compare: ['B'] });
      store.getState().removeSymbol('B');
      expect(store.getState().compare).toEqual(['B']);
      expect(watchedTickers(store.getState())).toEqual(['A', 'B']);
    });

    it('watches the watchlist, then the compared symbols it lacks, once each', () => {
      expect(watchedTickers({ watchlist: ['A', 'B'], compare: [], alerts: [] })).toEqual([
        'A',
        'B',
      ]);
      expect(
        watchedTickers({ watchlist: ['A', 'B'], compare: ['C', 'B', 'D'], alerts: [] }),
      ).toEqual(['A', 'B', 'C', 'D']);
      expect(watchedTickers({ watchlist: [], compare: ['C'], alerts: [] })).toEqual(['C']);
    });
  });
});
