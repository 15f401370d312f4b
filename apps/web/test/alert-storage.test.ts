import { describe, expect, it } from 'vitest';
import { ALERTS_STORAGE_KEY, persistAlerts, restoreAlerts } from '../src/alerts/alert-storage';
import { MAX_ALERTS } from '../src/alerts/price-alert';
import type { PriceAlert } from '../src/alerts/price-alert';
import { createDashboardStore } from '../src/store/dashboard-store';
import { MemoryStorage } from './fakes';

const armed: PriceAlert = {
  id: 'k1-1-abc',
  ticker: 'BTC-USD',
  direction: 'above',
  condition: { kind: 'price', price: 6_500_000 },
  createdAt: 1_700_000_000_000,
  fired: null,
};
const fired: PriceAlert = {
  id: 'k1-2-def',
  ticker: 'AAPL',
  direction: 'below',
  condition: { kind: 'change', percent: -2.5 },
  createdAt: 1_700_000_000_500,
  fired: { time: 1_700_000_100_000, price: 18_000 },
};

describe('alert storage', () => {
  it('saves the alerts and the sound setting as they change, and restores them as they were', () => {
    const storage = new MemoryStorage();
    const store = createDashboardStore({ watchlist: ['BTC-USD'] });
    persistAlerts(store, storage);
    expect(storage.items.has(ALERTS_STORAGE_KEY)).toBe(false);
    store
      .getState()
      .addAlert(
        { ticker: 'BTC-USD', direction: 'above', condition: { kind: 'price', price: 7_000_000 } },
        5,
      );
    store.getState().setAlertSound(true);
    const restored = restoreAlerts(storage);
    expect(restored.problems).toEqual([]);
    expect(restored.alerts.alertSound).toBe(true);
    expect(restored.alerts.alerts).toEqual(store.getState().alerts);
  });

  it('keeps fired alerts fired, so a reload does not fire them again', () => {
    const storage = new MemoryStorage();
    storage.setItem(ALERTS_STORAGE_KEY, JSON.stringify({ alerts: [armed, fired], sound: false }));
    const { alerts, problems } = restoreAlerts(storage);
    expect(problems).toEqual([]);
    expect(alerts.alerts).toEqual([armed, fired]);
  });

  it('drops malformed entries, says how many, and keeps the rest', () => {
    const storage = new MemoryStorage();
    const bad = [
      { ...armed, id: 'has spaces' },
      { ...armed, ticker: '<script>' },
      { ...armed, direction: 'sideways' },
      { ...armed, condition: { kind: 'price', price: -5 } },
      { ...armed, condition: { kind: 'price', price: 1.5 } },
      { ...armed, condition: { kind: 'change', percent: 0 } },
      { ...armed, condition: { kind: 'change', percent: -100 } },
      { ...armed, fired: { time: 'yesterday', price: 1 } },
      { ...armed, createdAt: null },
      'not an alert',
      { ...armed }, // the same id again
    ];
    storage.setItem(ALERTS_STORAGE_KEY, JSON.stringify({ alerts: [armed, ...bad], sound: 1 }));
    const { alerts, problems } = restoreAlerts(storage);
    expect(alerts.alerts).toEqual([armed]);
    expect(alerts.alertSound).toBe(false);
    expect(problems).toEqual([`${bad.length} saved alerts could not be read and were dropped`]);
  });

  it('keeps at most MAX_ALERTS', () => {
    const storage = new MemoryStorage();
    const many = Array.from({ length: MAX_ALERTS + 3 }, (_, i) => ({ ...armed, id: `a-${i}` }));
    storage.setItem(ALERTS_STORAGE_KEY, JSON.stringify({ alerts: many }));
    const { alerts, problems } = restoreAlerts(storage);
    expect(alerts.alerts).toHaveLength(MAX_ALERTS);
    expect(problems).toEqual(['3 saved alerts could not be read and were dropped']);
  });

  it('starts without alerts on unreadable or missing storage, saying so only for the unreadable', () => {
    const storage = new MemoryStorage();
    storage.setItem(ALERTS_STORAGE_KEY, '{not json');
    expect(restoreAlerts(storage)).toEqual({
      alerts: { alerts: [], alertSound: false },
      problems: ['The saved alerts were unreadable and were dropped'],
    });
    expect(restoreAlerts(new MemoryStorage()).problems).toEqual([]);
    expect(restoreAlerts(null).alerts.alerts).toEqual([]);
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(restoreAlerts(throwing).problems).toEqual([]);
  });
});
