import { View } from '@ticker/client';
import { describe, expect, it } from 'vitest';
import { AlertMonitor } from '../src/alerts/alert-monitor';
import type { AlertFiring, AlertDraft, PriceAlert } from '../src/alerts/price-alert';
import { FeedBridge } from '../src/feed/feed-bridge';
import { createDashboardStore } from '../src/store/dashboard-store';
import type { InitialView } from '../src/store/dashboard-store';
import { DIRECTORY, FakeFeed, ManualScheduler, flushMicrotasks } from './fakes';
import { quote, quoteSnapshot, session, snapshot } from './series-fixtures';

/** The real bridge and monitor on a fake feed, with BTC-USD charted and ETH-USD as a row. */
function started(
  view: Partial<InitialView> = { watchlist: ['BTC-USD', 'ETH-USD'], focused: 'BTC-USD' },
) {
  const feed = new FakeFeed();
  const store = createDashboardStore(view);
  const bridge = new FeedBridge({
    client: feed,
    store,
    scheduler: new ManualScheduler(),
    now: () => 0,
    everySecond: () => () => undefined,
  });
  const announced: Array<{ alert: PriceAlert; firing: AlertFiring }> = [];
  const monitor = new AlertMonitor(store, bridge, (alert, firing) => {
    announced.push({ alert, firing });
  });
  monitor.start();
  bridge.start();
  feed.sendDirectory(DIRECTORY);
  const add = (draft: AlertDraft) => {
    expect(store.getState().addAlert(draft, 1)).toBe(true);
    return store.getState().alerts.at(-1) as PriceAlert;
  };
  return { feed, store, bridge, monitor, announced, add };
}

/** A session that has traded: open, high, low, last and how many trades. */
const traded = (open: number, high: number, low: number, last: number, tradeCount: number) =>
  session({ open, high, low, last, tradeCount });

const above = (ticker: string, price: number): AlertDraft => ({
  ticker,
  direction: 'above',
  condition: { kind: 'price', price },
});
const below = (ticker: string, price: number): AlertDraft => ({
  ticker,
  direction: 'below',
  condition: { kind: 'price', price },
});

describe('AlertMonitor on the chart view (every tick)', () => {
  it('fires on the trade inside a batch that reaches the level, once, however often it is crossed again', async () => {
    const { feed, store, announced, add } = started();
    const btc = feed.sub('BTC-USD');
    btc.sendSnapshot(
      snapshot({
        ticks: [[1_000, 100, 1]],
        session: traded(100, 100, 100, 100, 1),
      }),
    );
    const alert = add(above('BTC-USD', 105));
    // The batch crosses and comes back inside one flush: the crossing is still seen.
    btc.sendTicks([
      [1_100, 103, 1],
      [1_150, 106, 2],
      [1_200, 102, 1],
    ]);
    await flushMicrotasks();
    expect(announced).toEqual([{ alert, firing: { time: 1_150, price: 106 } }]);
    expect(store.getState().alerts[0]?.fired).toEqual({ time: 1_150, price: 106 });
    expect(store.getState().alertNotices.map((n) => n.alert.id)).toEqual([alert.id]);
    btc.sendTicks([[1_300, 107, 1]]);
    btc.sendTicks([
      [1_400, 101, 1],
      [1_500, 110, 1],
    ]);
    await flushMicrotasks();
    expect(announced).toHaveLength(1);
    expect(store.getState().alertNotices).toHaveLength(1);
  });

  it('does not fire on trades short of the level, and fires a below alert on the way down', async () => {
    const { feed, announced, add } = started();
    const btc = feed.sub('BTC-USD');
    btc.sendSnapshot(
      snapshot({
        ticks: [[1_000, 100, 1]],
        session: traded(100, 100, 100, 100, 1),
      }),
    );
    add(above('BTC-USD', 105));
    const falling = add(below('BTC-USD', 95));
    btc.sendTicks([
      [1_100, 104, 1],
      [1_200, 96, 1],
    ]);
    await flushMicrotasks();
    expect(announced).toEqual([]);
    btc.sendTicks([[1_300, 95, 1]]);
    await flushMicrotasks();
    expect(announced.map((a) => a.alert)).toEqual([falling]);
  });

  it('fires a change alert at open × (1 + percent / 100)', async () => {
    const { feed, announced, add } = started();
    const btc = feed.sub('BTC-USD');
    btc.sendSnapshot(
      snapshot({
        ticks: [[1_000, 200, 1]],
        session: traded(200, 200, 200, 200, 1),
      }),
    );
    add({ ticker: 'BTC-USD', direction: 'above', condition: { kind: 'change', percent: 2.5 } });
    btc.sendTicks([[1_100, 204, 1]]);
    await flushMicrotasks();
    expect(announced).toEqual([]);
    btc.sendTicks([[1_200, 205, 1]]);
    await flushMicrotasks();
    expect(announced.map((a) => a.firing.price)).toEqual([205]);
  });

  it('fires after a reconnect whose snapshot shows the level was passed meanwhile', async () => {
    const { feed, announced, add } = started();
    const btc = feed.sub('BTC-USD');
    btc.sendSnapshot(
      snapshot({
        ticks: [[1_000, 100, 1]],
        session: traded(100, 100, 100, 100, 1),
      }),
    );
    add(above('BTC-USD', 105));
    // The high went past the level while the page was away; the price is back under it.
    btc.sendSnapshot(
      snapshot({
        ticks: [[9_000, 101, 1]],
        session: traded(100, 108, 99, 101, 9),
      }),
    );
    await flushMicrotasks();
    expect(announced.map((a) => a.firing.price)).toEqual([108]);
  });
});

describe('AlertMonitor on the quote view (conflated)', () => {
  it('sees a crossing between two quotes through the session high', async () => {
    const { feed, announced, add } = started();
    const eth = feed.sub('ETH-USD');
    expect(eth.view).toBe(View.Quote);
    eth.sendQuoteSnapshot(
      quoteSnapshot({
        session: traded(2_000, 2_010, 1_990, 2_000, 5),
      }),
    );
    add(above('ETH-USD', 2_050));
    eth.sendQuote(quote(5_000, 2_020, { high: 2_030, low: 1_990 }));
    await flushMicrotasks();
    expect(announced).toEqual([]);
    // The last is back under the level, but the high says the market traded at 2,060 meanwhile.
    eth.sendQuote(quote(5_250, 2_040, { high: 2_060, low: 1_990 }));
    await flushMicrotasks();
    expect(announced.map((a) => a.firing)).toEqual([{ time: 5_250, price: 2_060 }]);
  });

  it('does not take a session high made before the alert was set for a crossing', async () => {
    const { feed, announced, add } = started();
    const eth = feed.sub('ETH-USD');
    eth.sendQuoteSnapshot(
      quoteSnapshot({
        session: traded(2_000, 2_100, 1_990, 2_000, 5),
      }),
    );
    add(above('ETH-USD', 2_050));
    eth.sendQuote(quote(5_000, 2_020, { high: 2_100, low: 1_990 }));
    await flushMicrotasks();
    expect(announced).toEqual([]);
    eth.sendQuote(quote(5_250, 2_050, { high: 2_100, low: 1_990 }));
    await flushMicrotasks();
    expect(announced.map((a) => a.firing.price)).toEqual([2_050]);
  });

  it('follows a symbol off the watchlist in the quote view while it has an armed alert', async () => {
    const { feed, store, announced, add } = started();
    add(above('AAPL', 200));
    expect(feed.inView(View.Quote)).toContain('AAPL');
    const aapl = feed.sub('AAPL');
    aapl.sendQuoteSnapshot(
      quoteSnapshot({
        session: traded(190, 195, 185, 190, 3),
      }),
    );
    aapl.sendQuote(quote(3_000, 201, { high: 201, low: 185 }));
    await flushMicrotasks();
    expect(announced.map((a) => a.alert.ticker)).toEqual(['AAPL']);
    // Fired, it no longer needs the symbol: the subscription goes, the alert stays listed.
    expect(feed.wanted().map(([ticker]) => ticker)).not.toContain('AAPL');
    expect(store.getState().alerts.map((a) => a.ticker)).toEqual(['AAPL']);
  });

  it('stops checking an alert once it is removed', async () => {
    const { feed, store, announced, add } = started();
    const eth = feed.sub('ETH-USD');
    eth.sendQuoteSnapshot(
      quoteSnapshot({
        session: traded(2_000, 2_000, 2_000, 2_000, 1),
      }),
    );
    const alert = add(above('ETH-USD', 2_050));
    store.getState().removeAlert(alert.id);
    eth.sendQuote(quote(5_000, 2_080, { high: 2_080 }));
    await flushMicrotasks();
    expect(announced).toEqual([]);
  });

  it('announces nothing for an alert edited after its crossing was seen but before it was recorded', async () => {
    const { feed, store, announced, add } = started();
    const eth = feed.sub('ETH-USD');
    eth.sendQuoteSnapshot(
      quoteSnapshot({
        session: traded(2_000, 2_000, 2_000, 2_000, 1),
      }),
    );
    const alert = add(above('ETH-USD', 2_050));
    eth.sendQuote(quote(5_000, 2_080, { high: 2_080 }));
    store.getState().updateAlert(alert.id, above('ETH-USD', 2_200), 2);
    await flushMicrotasks();
    expect(announced).toEqual([]);
    expect(store.getState().alerts[0]?.fired).toBeNull();
  });
});

describe('alerts on symbols the feed does not know', () => {
  it('are removed with the message naming them, once the directory is known', () => {
    const feed = new FakeFeed();
    const store = createDashboardStore(
      { watchlist: ['BTC-USD'], focused: 'BTC-USD' },
      {
        alerts: [
          {
            id: 'gone-1',
            ticker: 'GONE',
            direction: 'above',
            condition: { kind: 'price', price: 5 },
            createdAt: 1,
            fired: null,
          },
        ],
        alertSound: false,
      },
    );
    const bridge = new FeedBridge({
      client: feed,
      store,
      scheduler: new ManualScheduler(),
      everySecond: () => () => undefined,
    });
    bridge.start();
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().alerts).toEqual([]);
    expect(store.getState().error).toBe('Unknown symbol: GONE');
    expect(feed.wanted().map(([ticker]) => ticker)).toEqual(['BTC-USD']);
  });
});
