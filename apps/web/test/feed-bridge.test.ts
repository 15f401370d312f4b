import { ClientErrorCode, FeedError } from '@ticker/client';
import { ErrorCode } from '@ticker/protocol';
import { createTickColumns } from '@ticker/protocol';
import type { Snapshot } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import {
  CHARTS_PER_FRAME,
  GRID_CHART_REFRESH_MS,
  CHART_REFRESH_MS,
  FeedBridge,
  QUOTE_REFRESH_MS,
} from '../src/feed/feed-bridge';
import { createDashboardStore } from '../src/store/dashboard-store';
import type { InitialView } from '../src/store/dashboard-store';
import {
  AAPL,
  BTC,
  DIRECTORY,
  ETH,
  FakeFeed,
  ManualScheduler,
  flushMicrotasks,
  serverError,
} from './fakes';

function setup(view: Partial<InitialView> = { watchlist: ['BTC-USD'], focused: 'BTC-USD' }) {
  const feed = new FakeFeed();
  const store = createDashboardStore(view);
  const scheduler = new ManualScheduler();
  let now = 1_000;
  let secondCallback: (() => void) | null = null;
  let secondStopped = false;
  const bridge = new FeedBridge({
    client: feed,
    store,
    scheduler,
    now: () => now,
    everySecond: (callback) => {
      secondCallback = callback;
      return () => {
        secondStopped = true;
      };
    },
  });
  let notifications = 0;
  store.subscribe(() => {
    notifications += 1;
  });
  return {
    feed,
    store,
    scheduler,
    bridge,
    notifications: () => notifications,
    advance: (ms: number) => {
      now += ms;
    },
    tickSecond: () => {
      secondCallback?.();
    },
    secondStopped: () => secondStopped,
  };
}

/** Started, with the directory delivered and the subscribe requests counted. */
function started(view?: Partial<InitialView>) {
  const context = setup(view);
  context.bridge.start();
  context.feed.sendDirectory(DIRECTORY);
  return context;
}

function snapshot(
  symbolId: number,
  prices: readonly number[],
  session: Partial<Snapshot['session']> = {},
): Snapshot {
  const history = createTickColumns(prices.length);
  prices.forEach((price, i) => {
    history.price[i] = price;
    history.size[i] = 1;
    history.time[i] = 10_000 + i * 100;
  });
  history.count = prices.length;
  return {
    requestId: 0,
    symbolId,
    nextSeq: 1,
    session: {
      startTime: 0,
      open: prices[0] ?? 0,
      high: Math.max(...prices),
      low: Math.min(...prices),
      last: prices.at(-1) ?? 0,
      volume: prices.length,
      tradeCount: prices.length,
      ...session,
    },
    history,
    candles: [],
  };
}

describe('FeedBridge lifecycle', () => {
  it('connects on start and mirrors connection state, countdown and close code into the store', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    expect(feed.connects).toBe(1);
    expect(store.getState().connection.state).toBe('connecting');
    const before = Date.now();
    feed.setState('reconnecting', 'closed by server: 1001', { retryInMs: 3_000, closeCode: 1001 });
    const { connection } = store.getState();
    expect(connection.state).toBe('reconnecting');
    expect(connection.closeCode).toBe(1001);
    expect(connection.retryAt).toBeGreaterThanOrEqual(before + 3_000);
    expect(connection.everOpen).toBe(false);
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().connection).toMatchObject({
      state: 'open',
      retryAt: null,
      everOpen: true,
    });
  });

  it('does not listen or connect twice when started twice', () => {
    const { feed, bridge } = setup();
    bridge.start();
    const listeners = feed.listenerCount();
    bridge.start();
    expect(feed.connects).toBe(1);
    expect(feed.listenerCount()).toBe(listeners);
  });

  it('stops listening, drops a pending commit, stops its timer and closes the client on stop', () => {
    const { feed, scheduler, bridge, secondStopped } = started();
    feed.sendTicks(BTC.id, [[1_000, 100]]);
    expect(scheduler.pending).toBe(1);
    bridge.stop();
    expect(scheduler.pending).toBe(0);
    expect(feed.listenerCount()).toBe(0);
    expect(feed.closes).toBe(1);
    expect(secondStopped()).toBe(true);
  });

  it('publishes the client metrics and turns the second once a second', () => {
    const { feed, store, tickSecond } = started();
    feed.currentMetrics = { ...feed.currentMetrics, ticksPerSecond: 1_234 };
    tickSecond();
    expect(store.getState().second).toBe(1);
    expect(store.getState().metrics?.ticksPerSecond).toBe(1_234);
  });
});

describe('FeedBridge subscriptions follow the watchlist', () => {
  it('subscribes the watchlist once the directory arrives, not before', () => {
    const { feed, bridge } = setup({ watchlist: ['BTC-USD', 'AAPL'] });
    bridge.start();
    expect(feed.subscribed).toEqual([]);
    feed.sendDirectory(DIRECTORY);
    expect(feed.subscribed).toEqual([['BTC-USD', 'AAPL']]);
  });

  it('drops tickers the directory lacks and says so, keeping the rest', () => {
    const { feed, store } = started({ watchlist: ['BTC-USD', 'NOPE', 'ZZZ'] });
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Unknown symbols: NOPE, ZZZ');
    expect(feed.subscribed).toEqual([['BTC-USD']]);
  });

  it('leaves resubscribing after a reconnect to the client, and follows ids that changed', () => {
    const { feed, store, scheduler } = started();
    feed.sendDirectory([{ ...BTC, id: 42 }, ETH, AAPL]);
    expect(feed.subscribed).toHaveLength(1);
    feed.sendTicks(42, [[1_000, 777]]);
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(777);
  });

  it('subscribes an added symbol and unsubscribes a removed one, ignoring its later ticks', () => {
    const { feed, store, scheduler, bridge } = started();
    store.getState().addSymbol('ETH-USD');
    expect(feed.subscribed.at(-1)).toEqual(['ETH-USD']);
    store.getState().removeSymbol('BTC-USD');
    expect(feed.unsubscribed).toEqual([['BTC-USD']]);
    expect(bridge.series('BTC-USD')).toBeUndefined();
    scheduler.runFrame(); // the focus moved to ETH-USD, whose chart draws at once
    feed.sendTicks(BTC.id, [[1_000, 100]]);
    expect(scheduler.pending).toBe(0);
  });

  it('removes a symbol the server does not know and reports it', async () => {
    const { feed, store } = started();
    feed.subscribeResult = () => Promise.reject(serverError('unknown symbol id(s): 2'));
    store.getState().addSymbol('ETH-USD');
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Could not subscribe to ETH-USD: unknown symbol id(s): 2');
  });

  it('keeps the symbols an access token covers and drops the others with one message', async () => {
    const { feed, store, bridge } = setup({ watchlist: ['BTC-USD', 'ETH-USD', 'AAPL'] });
    // The token covers BTC-USD only: a request naming anything else is refused whole.
    feed.subscribeResult = () =>
      feed.subscribed.at(-1)?.join() === 'BTC-USD'
        ? Promise.resolve()
        : Promise.reject(new FeedError(ErrorCode.Forbidden, 'not covered', 1));
    bridge.start();
    feed.sendDirectory(DIRECTORY);
    await flushMicrotasks();
    expect(feed.subscribed).toEqual([
      ['BTC-USD', 'ETH-USD', 'AAPL'],
      ['BTC-USD'],
      ['ETH-USD'],
      ['AAPL'],
    ]);
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Your access link does not cover ETH-USD, AAPL');
  });

  it('does not alert for a request cut short by a lost connection or by close()', async () => {
    const { feed, store } = started();
    feed.subscribeResult = () =>
      Promise.reject(new FeedError(ClientErrorCode.ConnectionLost, 'lost'));
    store.getState().addSymbol('ETH-USD');
    feed.unsubscribeResult = () => Promise.reject(new FeedError(ClientErrorCode.Closed, 'closed'));
    store.getState().removeSymbol('BTC-USD');
    await flushMicrotasks();
    expect(store.getState().error).toBeNull();
    expect(store.getState().watchlist).toEqual(['ETH-USD']);
  });

  it('shows client error events in the error slot', () => {
    const { feed, store } = started();
    feed.emit('error', new FeedError(1, 'undecodable frame'));
    expect(store.getState().error).toBe('Feed error: undecodable frame');
  });
});

describe('FeedBridge commits', () => {
  it('turns several batches before a frame into exactly one store commit with session figures', () => {
    const { feed, store, scheduler, notifications } = started();
    const before = notifications();
    feed.sendTicks(BTC.id, [[1_000, 100, 2]]);
    feed.sendTicks(BTC.id, [
      [1_050, 120, 3],
      [1_060, 90, 1],
    ]);
    feed.sendTicks(BTC.id, [[1_070, 95, 4]]);
    expect(notifications()).toBe(before);
    expect(scheduler.requests).toBe(1);
    scheduler.runFrame();
    expect(notifications()).toBe(before + 1);
    expect(store.getState().quotes.get('BTC-USD')).toEqual({
      version: 1,
      last: 95,
      open: 100,
      high: 120,
      low: 90,
      volume: 10,
      direction: 1,
      tickCount: 4,
    });
  });

  it('starts from the snapshot session and keeps untouched quotes as the same object', () => {
    const { feed, store, scheduler } = started({ watchlist: ['BTC-USD', 'ETH-USD'] });
    scheduler.runFrame();
    const eth = store.getState().quotes.get('ETH-USD');
    feed.emit('snapshot', snapshot(BTC.id, [500, 510, 505], { open: 480, volume: 99 }));
    feed.sendTicks(BTC.id, [[20_000, 490]]);
    scheduler.runFrame();
    const btc = store.getState().quotes.get('BTC-USD');
    expect(btc).toMatchObject({
      open: 480,
      high: 510,
      last: 490,
      low: 490,
      volume: 100,
      direction: -1,
    });
    expect(store.getState().quotes.get('ETH-USD')).toBe(eth);
  });

  it('commits nothing while paused, then everything at once on resume', () => {
    const { feed, store, scheduler, notifications } = started();
    store.getState().setPaused(true);
    const before = notifications();
    feed.sendTicks(BTC.id, [[1_000, 100]]);
    scheduler.runFrame();
    feed.sendTicks(BTC.id, [[1_100, 101]]);
    scheduler.runFrame();
    expect(notifications()).toBe(before);
    expect(store.getState().quotes.get('BTC-USD')?.last).toBeNull();
    expect(scheduler.pending).toBe(0); // no frames spent while paused

    store.getState().setPaused(false);
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')).toMatchObject({
      last: 101,
      tickCount: 2,
      version: 1,
    });
  });
});

describe('FeedBridge chart throttling', () => {
  it(`updates quotes and redraws a chart at most every ${CHART_REFRESH_MS} ms, catching up once due`, () => {
    const { feed, store, scheduler, advance } = started();
    const version = () => store.getState().chartVersions.get('BTC-USD') ?? 0;
    feed.sendTicks(BTC.id, [[1_000, 100]]);
    scheduler.runFrame();
    expect(version()).toBe(1);

    advance(16);
    feed.sendTicks(BTC.id, [[1_016, 101]]);
    scheduler.runFrame();
    expect(version()).toBe(1); // too soon: the chart and the quote wait
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(100);
    expect(scheduler.pending).toBe(1); // and a frame is booked to catch up

    advance(Math.max(CHART_REFRESH_MS, QUOTE_REFRESH_MS));
    scheduler.runFrame();
    expect(version()).toBe(2);
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(101);
    expect(scheduler.pending).toBe(0);
  });

  it(`redraws at most ${CHARTS_PER_FRAME} charts per frame in the grid, the rest in later frames`, () => {
    const tickers = DIRECTORY.map((s) => s.ticker);
    const many = [
      ...DIRECTORY,
      { ...AAPL, id: 9, ticker: 'MSFT' },
      { ...AAPL, id: 10, ticker: 'NVDA' },
    ];
    const { feed, store, scheduler, bridge } = setup({
      watchlist: [...tickers, 'MSFT', 'NVDA'],
      layout: 'grid',
    });
    bridge.start();
    feed.sendDirectory(many);
    for (const symbol of many) feed.sendTicks(symbol.id, [[1_000, 100]]);
    scheduler.runFrame();
    expect(store.getState().chartVersions.size).toBe(CHARTS_PER_FRAME);
    expect(store.getState().quotes.get('NVDA')?.last).toBe(100); // quotes are never held back
    const frames = Math.ceil(many.length / CHARTS_PER_FRAME);
    for (let frame = 1; frame < frames; frame++) scheduler.runFrame();
    expect(store.getState().chartVersions.size).toBe(many.length);
    expect(scheduler.pending).toBe(0);
  });

  it('takes grid charts in turn, so slow frames never starve the last one', () => {
    const many = [
      ...DIRECTORY,
      { ...AAPL, id: 9, ticker: 'MSFT' },
      { ...AAPL, id: 10, ticker: 'NVDA' },
    ];
    const { feed, store, scheduler, bridge, advance } = setup({
      watchlist: many.map((s) => s.ticker),
      layout: 'grid',
    });
    bridge.start();
    feed.sendDirectory(many);
    const last = many[many.length - 1]?.ticker ?? '';
    // Frames so slow that the first charts are due again before the last has had a turn,
    // and every chart has new ticks in every frame.
    const frameMs = GRID_CHART_REFRESH_MS / 2;
    for (let frame = 0; frame < many.length; frame++) {
      for (const symbol of many)
        feed.sendTicks(symbol.id, [[1_000 + frame * frameMs, 100 + frame]]);
      scheduler.runFrame();
      advance(frameMs);
    }
    expect(store.getState().chartVersions.get(last) ?? 0).toBeGreaterThan(0);
  });

  it('draws only charted symbols: the focused one in the single layout', () => {
    const { feed, store, scheduler } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'ETH-USD',
    });
    feed.sendTicks(BTC.id, [[1_000, 100]]);
    feed.sendTicks(ETH.id, [[1_000, 100]]);
    scheduler.runFrame();
    expect([...store.getState().chartVersions.keys()]).toEqual(['ETH-USD']);
  });
});
