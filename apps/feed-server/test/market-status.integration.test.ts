import { afterEach, describe, expect, it } from 'vitest';
import { MarketState, MessageType, decodeMarketStatus } from '@ticker/protocol';
import { configFromEnv } from '../src/config.js';
import { createLocalFeed } from '../src/feeds/local-feed.js';
import type { MarketFeed } from '../src/feeds/market-feed.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { TestSocket, startServer, typeOf } from './harness.js';

/*
 * The market status (docs/PROTOCOL.md "Market status"): delayed while the feed cannot serve,
 * live again when it can, told to every connection on a change and to a new one while delayed.
 * The scale-out case (a source that stops writing) is in test/scale-out.integration.test.ts.
 */

let server: FeedServer | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await server?.close();
  server = null;
});

/** The in-process market, with a reason to be unavailable that the test sets. */
function switchableFeed(): { feed: MarketFeed; set: (reason: string | null) => void } {
  const config = configFromEnv({ LOG_LEVEL: 'silent' });
  const local = createLocalFeed({ ...config, tickRate: 2_000, flushIntervalMs: 20 });
  let reason: string | null = null;
  return {
    feed: {
      histories: local.histories,
      stats: local.stats,
      broker: local.broker,
      start: (sink) => {
        local.start(sink);
      },
      stop: () => local.stop(),
      isSynced: (index) => local.isSynced(index),
      unavailableReason: () => reason,
    },
    set: (next) => {
      reason = next;
    },
  };
}

const statusOf = (client: TestSocket, state: number) =>
  client.next(
    (f) => typeOf(f) === MessageType.MarketStatus && decodeMarketStatus(f).state === state,
    `a market status ${state}`,
  );

describe('market status', () => {
  it('tells every connection when the data is delayed, a new one at once, and when it is live again', async () => {
    const { feed, set } = switchableFeed();
    const started = await startServer({}, feed);
    server = started.server;
    const watcher = await TestSocket.open(started.url);
    sockets.push(watcher);
    await watcher.next((f) => typeOf(f) === MessageType.SymbolDirectory, 'the directory');
    expect(watcher.frames.some((f) => typeOf(f) === MessageType.MarketStatus)).toBe(false);

    const before = Date.now();
    set('Redis unreachable at redis://127.0.0.1:6379');
    const delayed = decodeMarketStatus(await statusOf(watcher, MarketState.Delayed));
    // Plain words: the feed's reason names the Redis address, which is for operators only.
    expect(delayed.reason).toBe('the server is not receiving market data');
    expect(delayed.lastDataTime).toBeGreaterThanOrEqual(before - 1_000);

    const late = await TestSocket.open(started.url);
    sockets.push(late);
    const first = await late.next((f) => typeOf(f) === MessageType.MarketStatus, 'its status');
    expect(late.frames.map((f) => typeOf(f)).slice(0, 3)).toEqual([
      MessageType.Hello,
      MessageType.SymbolDirectory,
      MessageType.MarketStatus,
    ]);
    expect(decodeMarketStatus(first)).toEqual(delayed);

    set(null);
    const live = decodeMarketStatus(await statusOf(watcher, MarketState.Live));
    expect(live.reason).toBe('');
    await statusOf(late, MarketState.Live);
  });
});
