import { describe, expect, it } from 'vitest';
import { MAX_ALERTS } from '../src/alerts/price-alert';
import type { AlertDraft, PriceAlert } from '../src/alerts/price-alert';
import { createDashboardStore, watchedTickers } from '../src/store/dashboard-store';

const draft = (ticker: string, price: number): AlertDraft => ({
  ticker,
  direction: 'above',
  condition: { kind: 'price', price },
});

describe('price alerts in the store', () => {
  it('sets alerts armed, with ids of their own', () => {
    const store = createDashboardStore();
    store.getState().addAlert(draft('BTC-USD', 100), 10);
    store.getState().addAlert(draft('BTC-USD', 200), 11);
    const [first, second] = store.getState().alerts as [PriceAlert, PriceAlert];
    expect(first).toMatchObject({ ...draft('BTC-USD', 100), createdAt: 10, fired: null });
    expect(second.id).not.toBe(first.id);
  });

  it('refuses an alert beyond MAX_ALERTS', () => {
    const store = createDashboardStore();
    for (let i = 0; i < MAX_ALERTS; i++)
      expect(store.getState().addAlert(draft('A', i + 1), i)).toBe(true);
    expect(store.getState().addAlert(draft('A', 999), 99)).toBe(false);
    expect(store.getState().alerts).toHaveLength(MAX_ALERTS);
  });

  it('fires an alert once, with a notice, and not again', () => {
    const store = createDashboardStore();
    store.getState().addAlert(draft('BTC-USD', 100), 10);
    const alert = store.getState().alerts[0] as PriceAlert;
    expect(store.getState().fireAlert(alert, { time: 50, price: 101 })).toBe(true);
    expect(store.getState().fireAlert(alert, { time: 60, price: 102 })).toBe(false);
    const firedAlert = store.getState().alerts[0] as PriceAlert;
    expect(firedAlert.fired).toEqual({ time: 50, price: 101 });
    expect(store.getState().fireAlert(firedAlert, { time: 70, price: 103 })).toBe(false);
    expect(store.getState().alertNotices).toEqual([
      { alert: firedAlert, firing: { time: 50, price: 101 } },
    ]);
    store.getState().dismissNotice(alert.id);
    expect(store.getState().alertNotices).toEqual([]);
  });

  it('arms an edited alert again, and drops its notice', () => {
    const store = createDashboardStore();
    store.getState().addAlert(draft('BTC-USD', 100), 10);
    const alert = store.getState().alerts[0] as PriceAlert;
    store.getState().fireAlert(alert, { time: 50, price: 101 });
    store.getState().updateAlert(alert.id, draft('BTC-USD', 150), 60);
    expect(store.getState().alerts).toEqual([
      { ...draft('BTC-USD', 150), id: alert.id, createdAt: 60, fired: null },
    ]);
    expect(store.getState().alertNotices).toEqual([]);
  });

  it('removes an alert with its notice', () => {
    const store = createDashboardStore();
    store.getState().addAlert(draft('BTC-USD', 100), 10);
    const alert = store.getState().alerts[0] as PriceAlert;
    store.getState().fireAlert(alert, { time: 50, price: 101 });
    store.getState().removeAlert(alert.id);
    expect(store.getState().alerts).toEqual([]);
    expect(store.getState().alertNotices).toEqual([]);
  });

  it('follows the symbols of armed alerts beyond the watchlist, once each', () => {
    const store = createDashboardStore({ watchlist: ['BTC-USD'], compare: ['ETH-USD'] });
    store.getState().addAlert(draft('AAPL', 100), 1);
    store.getState().addAlert(draft('AAPL', 200), 2);
    store.getState().addAlert(draft('BTC-USD', 300), 3);
    expect(watchedTickers(store.getState())).toEqual(['BTC-USD', 'ETH-USD', 'AAPL']);
    for (const alert of store.getState().alerts.filter((a) => a.ticker === 'AAPL')) {
      store.getState().fireAlert(alert, { time: 9, price: 999 });
    }
    expect(watchedTickers(store.getState())).toEqual(['BTC-USD', 'ETH-USD']);
  });
});
