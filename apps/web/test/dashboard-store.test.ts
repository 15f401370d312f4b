import { AssetClass } from '@ticker/protocol';
import type { SymbolInfo } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import { createDashboardStore } from '../src/store/dashboard-store';
import { availableSymbols } from '../src/store/symbol-selectors';

const BTC: SymbolInfo = {
  id: 1,
  ticker: 'BTC-USD',
  name: 'Bitcoin',
  assetClass: AssetClass.Crypto,
  priceDecimals: 2,
  sizeDecimals: 8,
  tickSize: 1,
  lotSize: 1,
};
const AAPL: SymbolInfo = {
  id: 2,
  ticker: 'AAPL',
  name: 'Apple',
  assetClass: AssetClass.Stock,
  priceDecimals: 2,
  sizeDecimals: 0,
  tickSize: 1,
  lotSize: 1,
};

describe('dashboard store', () => {
  it('starts connecting, empty and without error', () => {
    const state = createDashboardStore().getState();
    expect(state.connection.state).toBe('connecting');
    expect(state.directory).toEqual([]);
    expect(state.selected).toEqual([]);
    expect(state.error).toBeNull();
  });

  it('indexes the directory by ticker', () => {
    const store = createDashboardStore();
    store.getState().setDirectory([BTC, AAPL]);
    expect(store.getState().symbolsByTicker.get('AAPL')).toBe(AAPL);
    expect(store.getState().directory).toEqual([BTC, AAPL]);
  });

  it('keeps selected tickers in order of addition, without duplicates', () => {
    const store = createDashboardStore();
    const { addSelected } = store.getState();
    expect(addSelected('AAPL')).toBe(true);
    expect(addSelected('BTC-USD')).toBe(true);
    expect(addSelected('AAPL')).toBe(false);
    expect(store.getState().selected).toEqual(['AAPL', 'BTC-USD']);
    expect(store.getState().stats.get('AAPL')).toEqual({
      version: 0,
      lastPrice: null,
      tickCount: 0,
    });
  });

  it('removes a ticker and its stats', () => {
    const store = createDashboardStore();
    store.getState().addSelected('AAPL');
    store.getState().addSelected('BTC-USD');
    expect(store.getState().removeSelected('AAPL')).toBe(true);
    expect(store.getState().removeSelected('AAPL')).toBe(false);
    expect(store.getState().selected).toEqual(['BTC-USD']);
    expect(store.getState().stats.has('AAPL')).toBe(false);
  });

  it('commits a frame in one update, bumping only the changed symbols', () => {
    const store = createDashboardStore();
    store.getState().addSelected('AAPL');
    store.getState().addSelected('BTC-USD');
    const untouched = store.getState().stats.get('BTC-USD');
    let notifications = 0;
    store.subscribe(() => {
      notifications += 1;
    });
    store.getState().commitFrame(new Map([['AAPL', { lastPrice: 18_950, tickCount: 4 }]]));
    expect(notifications).toBe(1);
    expect(store.getState().stats.get('AAPL')).toEqual({
      version: 1,
      lastPrice: 18_950,
      tickCount: 4,
    });
    // Same object: a selector on BTC-USD sees no change and its panel does not re-render.
    expect(store.getState().stats.get('BTC-USD')).toBe(untouched);
  });

  it('ignores frames for tickers that are not selected', () => {
    const store = createDashboardStore();
    let notifications = 0;
    store.subscribe(() => {
      notifications += 1;
    });
    store.getState().commitFrame(new Map([['AAPL', { lastPrice: 1, tickCount: 1 }]]));
    expect(notifications).toBe(0);
    expect(store.getState().stats.has('AAPL')).toBe(false);
  });

  it('lists only directory symbols that are not selected', () => {
    expect(availableSymbols([BTC, AAPL], ['BTC-USD'])).toEqual([AAPL]);
    expect(availableSymbols([BTC, AAPL], [])).toEqual([BTC, AAPL]);
  });
});
