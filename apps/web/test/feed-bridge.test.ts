import { ClientErrorCode, FeedError } from '@ticker/client';
import { describe, expect, it } from 'vitest';
import { FeedBridge } from '../src/feed/feed-bridge';
import type { FeedBridgeOptions } from '../src/feed/feed-bridge';
import type { RingBuffer } from '../src/feed/ring-buffer';
import { createDashboardStore } from '../src/store/dashboard-store';
import { createTickBatch } from '@ticker/protocol';
import type { Snapshot } from '@ticker/protocol';
import {
  AAPL,
  BTC,
  DIRECTORY,
  ETH,
  FakeFeed,
  ManualScheduler,
  fillBatch,
  serverError,
} from './fakes';

function setup(options: Partial<Omit<FeedBridgeOptions, 'client' | 'store' | 'scheduler'>> = {}) {
  const feed = new FakeFeed();
  const store = createDashboardStore();
  const scheduler = new ManualScheduler();
  const bridge = new FeedBridge({ client: feed, store, scheduler, ...options });
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
  };
}

/** A bridge that is started, has the directory and BTC-USD selected, with counters at zero. */
function started(options: Partial<Omit<FeedBridgeOptions, 'client' | 'store' | 'scheduler'>> = {}) {
  const context = setup(options);
  context.bridge.start();
  context.feed.sendDirectory(DIRECTORY);
  return context;
}

function points(buffer: RingBuffer | undefined): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!buffer) return out;
  for (let i = 0; i < buffer.size; i++) out.push([buffer.timeAt(i), buffer.valueAt(i)]);
  return out;
}

describe('FeedBridge lifecycle', () => {
  it('connects on start and mirrors connection state into the store', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    expect(feed.connects).toBe(1);
    expect(store.getState().connection.state).toBe('connecting');
    feed.setState('reconnecting', 'closed by server: 1006; retrying in 120 ms');
    expect(store.getState().connection).toEqual({
      state: 'reconnecting',
      reason: 'closed by server: 1006; retrying in 120 ms',
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

  it('stops listening, drops a pending commit and closes the client on stop', () => {
    const { feed, store, scheduler, bridge } = started();
    feed.sendTicks(BTC.id, [[1000, 100]]);
    expect(scheduler.pending).toBe(1);
    bridge.stop();
    expect(scheduler.pending).toBe(0);
    expect(feed.closes).toBe(1);
    expect(feed.listenerCount()).toBe(0);
    feed.sendTicks(BTC.id, [[2000, 200]]);
    expect(scheduler.pending).toBe(0);
    expect(store.getState().stats.get('BTC-USD')?.tickCount).toBe(0);
  });
});

describe('FeedBridge directory and default selection', () => {
  it('stores the directory and selects and subscribes BTC-USD once it arrives', () => {
    const { feed, store } = started();
    expect(store.getState().directory).toEqual(DIRECTORY);
    expect(store.getState().selected).toEqual(['BTC-USD']);
    expect(feed.subscribed).toEqual([['BTC-USD']]);
  });

  it('does not select a default the directory lacks', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    feed.sendDirectory([ETH, AAPL]);
    expect(store.getState().selected).toEqual([]);
    expect(feed.subscribed).toEqual([]);
  });

  it('keeps an existing selection when the directory arrives', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    store.getState().setDirectory(DIRECTORY);
    bridge.select('ETH-USD');
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().selected).toEqual(['ETH-USD']);
  });

  it('does not re-add the default after a reconnect if the user removed everything', () => {
    const { feed, store, bridge } = started();
    bridge.remove('BTC-USD');
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().selected).toEqual([]);
    expect(feed.subscribed).toEqual([['BTC-USD']]);
  });

  it('follows a symbol whose id changed in a new directory', () => {
    const { feed, store, scheduler } = started();
    const renumbered = { ...BTC, id: 42 };
    feed.sendDirectory([renumbered, ETH, AAPL]);
    feed.sendTicks(BTC.id, [[1000, 1]]);
    feed.sendTicks(42, [[2000, 2]]);
    scheduler.runFrame();
    expect(store.getState().stats.get('BTC-USD')).toMatchObject({ tickCount: 1, lastPrice: 2 });
  });
});

describe('FeedBridge commits', () => {
  it('turns several batches before a frame into exactly one store commit', () => {
    const { feed, store, scheduler, bridge, notifications } = started();
    const before = notifications();
    feed.sendTicks(BTC.id, [
      [1000, 6_500_000],
      [1001, 6_500_100],
    ]);
    feed.sendTicks(BTC.id, [[1050, 6_500_200]]);
    feed.sendTicks(BTC.id, [
      [1100, 6_499_900],
      [1101, 6_499_800],
    ]);
    expect(notifications()).toBe(before);
    expect(scheduler.requests).toBe(1);
    scheduler.runFrame();
    expect(notifications()).toBe(before + 1);
    expect(store.getState().stats.get('BTC-USD')).toEqual({
      version: 1,
      lastPrice: 6_499_800,
      tickCount: 5,
    });
    expect(points(bridge.series('BTC-USD'))).toEqual([
      [1000, 6_500_000],
      [1001, 6_500_100],
      [1050, 6_500_200],
      [1100, 6_499_900],
      [1101, 6_499_800],
    ]);
  });

  it('commits all dirty symbols together and leaves the others untouched', () => {
    const { feed, store, scheduler, bridge, notifications } = started();
    bridge.select('ETH-USD');
    bridge.select('AAPL');
    const aaplStats = store.getState().stats.get('AAPL');
    const before = notifications();
    feed.sendTicks(BTC.id, [[1000, 1]]);
    feed.sendTicks(ETH.id, [[1000, 2]]);
    scheduler.runFrame();
    expect(notifications()).toBe(before + 1);
    expect(store.getState().stats.get('BTC-USD')?.version).toBe(1);
    expect(store.getState().stats.get('ETH-USD')?.version).toBe(1);
    expect(store.getState().stats.get('AAPL')).toBe(aaplStats);
  });

  it('requests no frame and commits nothing without ticks for a selected symbol', () => {
    const { feed, scheduler, notifications } = started();
    const before = notifications();
    feed.sendTicks(ETH.id, [[1000, 1]]);
    feed.sendTicks(BTC.id, []);
    expect(scheduler.requests).toBe(0);
    scheduler.runFrame();
    expect(notifications()).toBe(before);
  });

  it('bumps the version once per frame that had ticks', () => {
    const { feed, store, scheduler } = started();
    feed.sendTicks(BTC.id, [[1000, 1]]);
    scheduler.runFrame();
    scheduler.runFrame();
    expect(store.getState().stats.get('BTC-USD')?.version).toBe(1);
    feed.sendTicks(BTC.id, [[2000, 2]]);
    scheduler.runFrame();
    expect(store.getState().stats.get('BTC-USD')).toEqual({
      version: 2,
      lastPrice: 2,
      tickCount: 2,
    });
    expect(scheduler.requests).toBe(2);
  });

  it('copies ticks out of the reused batch object', () => {
    const { feed, bridge } = started();
    feed.sendTicks(BTC.id, [[1000, 123]]);
    feed.batch.time[0] = 9999;
    feed.batch.price[0] = 9999;
    expect(points(bridge.series('BTC-USD'))).toEqual([[1000, 123]]);
  });

  it('keeps at most `capacity` points per symbol, newest last', () => {
    const { feed, store, scheduler, bridge } = started({ capacity: 3 });
    feed.sendTicks(BTC.id, [
      [1, 10],
      [2, 20],
    ]);
    feed.sendTicks(BTC.id, [
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
    scheduler.runFrame();
    expect(points(bridge.series('BTC-USD'))).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
    expect(store.getState().stats.get('BTC-USD')?.tickCount).toBe(5);
  });
});

describe('FeedBridge selection', () => {
  it('selects in order of addition and subscribes each ticker', () => {
    const { feed, store, bridge } = started();
    bridge.select('AAPL');
    bridge.select('ETH-USD');
    bridge.select('AAPL');
    expect(store.getState().selected).toEqual(['BTC-USD', 'AAPL', 'ETH-USD']);
    expect(feed.subscribed).toEqual([['BTC-USD'], ['AAPL'], ['ETH-USD']]);
  });

  it('reports an unknown ticker instead of subscribing', () => {
    const { feed, store, bridge } = started();
    bridge.select('NOPE');
    expect(store.getState().selected).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Unknown symbol NOPE');
    expect(feed.subscribed).toEqual([['BTC-USD']]);
  });

  it('removes a ticker: unsubscribes, frees its buffer and ignores its later ticks', () => {
    const { feed, store, scheduler, bridge, notifications } = started();
    feed.sendTicks(BTC.id, [[1000, 1]]);
    bridge.remove('BTC-USD');
    expect(feed.unsubscribed).toEqual([['BTC-USD']]);
    expect(bridge.series('BTC-USD')).toBeUndefined();
    expect(store.getState().selected).toEqual([]);
    expect(store.getState().stats.has('BTC-USD')).toBe(false);
    const before = notifications();
    scheduler.runFrame();
    feed.sendTicks(BTC.id, [[2000, 2]]);
    expect(scheduler.pending).toBe(0);
    expect(notifications()).toBe(before);
  });

  it('starts a re-added ticker from an empty buffer', () => {
    const { feed, store, scheduler, bridge } = started();
    feed.sendTicks(BTC.id, [[1000, 1]]);
    scheduler.runFrame();
    bridge.remove('BTC-USD');
    bridge.select('BTC-USD');
    expect(bridge.series('BTC-USD')?.size).toBe(0);
    expect(store.getState().stats.get('BTC-USD')).toEqual({
      version: 0,
      lastPrice: null,
      tickCount: 0,
    });
  });
});

describe('FeedBridge errors', () => {
  it('shows a failed subscription in the error slot', async () => {
    const { feed, store, bridge } = started();
    const failure = Promise.reject(serverError('symbol 2 is not in the directory'));
    feed.subscribeResult = () => failure;
    bridge.select('ETH-USD');
    // The bridge's handler was attached first, so it has run once this one has.
    await failure.catch(() => undefined);
    expect(store.getState().error).toBe(
      'Could not subscribe to ETH-USD: symbol 2 is not in the directory',
    );
  });

  it('does not alert for a subscription cut short by a lost connection', async () => {
    const { feed, store, bridge } = started();
    const failure = Promise.reject(new FeedError(ClientErrorCode.ConnectionLost, 'lost'));
    feed.subscribeResult = () => failure;
    bridge.select('ETH-USD');
    await failure.catch(() => undefined);
    expect(store.getState().error).toBeNull();
    expect(store.getState().selected).toContain('ETH-USD');
  });

  it('does not alert for a failure of a symbol the user already removed', async () => {
    const { feed, store, bridge } = started();
    const failure = Promise.reject(serverError('nope'));
    feed.subscribeResult = () => failure;
    bridge.select('ETH-USD');
    bridge.remove('ETH-USD');
    await failure.catch(() => undefined);
    expect(store.getState().error).toBeNull();
  });

  it('shows a failed unsubscription in the error slot', async () => {
    const { feed, store, bridge } = started();
    const failure = Promise.reject(serverError('server unhappy'));
    feed.unsubscribeResult = () => failure;
    bridge.remove('BTC-USD');
    await failure.catch(() => undefined);
    expect(store.getState().error).toBe('Could not unsubscribe from BTC-USD: server unhappy');
  });

  it('shows client error events in the error slot', () => {
    const { feed, store } = started();
    feed.emit('error', new FeedError(1, 'undecodable frame from server: truncated'));
    expect(store.getState().error).toBe('Feed error: undecodable frame from server: truncated');
  });
});

describe('FeedBridge snapshots', () => {
  function snapshotOf(symbolId: number, ticks: ReadonlyArray<readonly [number, number]>): Snapshot {
    const filled = fillBatch(createTickBatch(16), symbolId, ticks);
    return {
      requestId: 1,
      symbolId,
      nextSeq: 10,
      session: {
        startTime: 0,
        open: 1,
        high: 9,
        low: 1,
        last: ticks.at(-1)?.[1] ?? 0,
        volume: 5,
        tradeCount: ticks.length,
      },
      history: filled,
      candles: [],
    };
  }

  it('fills a new chart from the snapshot at once, then appends live ticks, in one commit per frame', () => {
    const { feed, store, scheduler, bridge } = started();
    feed.emit(
      'snapshot',
      snapshotOf(BTC.id, [
        [1_000, 500],
        [2_000, 510],
        [3_000, 505],
      ]),
    );
    feed.sendTicks(BTC.id, [[4_000, 507]]);
    expect(scheduler.pending).toBe(1);
    scheduler.runFrame();
    expect(points(bridge.series('BTC-USD'))).toEqual([
      [1_000, 500],
      [2_000, 510],
      [3_000, 505],
      [4_000, 507],
    ]);
    expect(store.getState().stats.get('BTC-USD')).toMatchObject({
      version: 1,
      lastPrice: 507,
      tickCount: 4,
    });
  });

  it('replaces stale points with a later snapshot (after a reconnect) and ignores unselected symbols', () => {
    const { feed, scheduler, bridge } = started();
    feed.sendTicks(BTC.id, [[1_000, 500]]);
    feed.emit(
      'snapshot',
      snapshotOf(BTC.id, [
        [5_000, 600],
        [6_000, 601],
      ]),
    );
    feed.emit('snapshot', snapshotOf(ETH.id, [[5_000, 42]]));
    scheduler.runFrame();
    expect(points(bridge.series('BTC-USD'))).toEqual([
      [5_000, 600],
      [6_000, 601],
    ]);
    expect(bridge.series('ETH-USD')).toBeUndefined();
  });
});
