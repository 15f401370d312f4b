import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeMarketStatus } from '@ticker/protocol';
import { FeedClient, MarketState } from '../src/index.js';
import type { MarketStatus } from '../src/index.js';
import { FakeSocket } from './fake-socket.js';

beforeEach(() => {
  FakeSocket.created.length = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('market status', () => {
  it('is reported as an event and kept until the connection ends', () => {
    const client = new FeedClient({
      url: 'ws://a/ws',
      WebSocket: FakeSocket,
      pingIntervalMs: 0,
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const seen: MarketStatus[] = [];
    client.on('marketStatus', (status) => seen.push(status));
    client.connect();
    FakeSocket.last.greet();
    expect(client.marketStatus).toBeNull();
    const delayed = { state: MarketState.Delayed, lastDataTime: 1_767_627_000_000, reason: 'x' };
    FakeSocket.last.deliver(encodeMarketStatus(delayed));
    expect(client.marketStatus).toEqual(delayed);
    const live = { state: MarketState.Live, lastDataTime: 1_767_627_005_000, reason: '' };
    FakeSocket.last.deliver(encodeMarketStatus(live));
    expect(seen).toEqual([delayed, live]);
    FakeSocket.last.deliver(encodeMarketStatus(delayed));
    FakeSocket.last.drop();
    expect(client.marketStatus).toBeNull(); // a new connection says again if it is delayed
    client.close();
  });
});
