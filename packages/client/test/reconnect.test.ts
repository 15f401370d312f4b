import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeGoingAway, encodeHeartbeat } from '@ticker/protocol';
import { ClientErrorCode, FeedClient, FeedError } from '../src/index.js';
import type { FeedClientOptions, StateChange } from '../src/index.js';
import { FakeSocket } from './fake-socket.js';

/** Timers and both clocks are fake: every delay below is exact, and no test waits in real time. */
beforeEach(() => {
  FakeSocket.created.length = 0;
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function startClient(options: Partial<FeedClientOptions> = {}) {
  const client = new FeedClient({
    url: 'ws://a/ws',
    WebSocket: FakeSocket,
    reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
    pingIntervalMs: 0,
    ...options,
  });
  const changes: StateChange[] = [];
  client.on('state', (change) => changes.push(change));
  client.connect();
  return { client, changes };
}

/** Drops the current socket and returns the delay the client announced for its next attempt. */
function dropAndReadDelay(changes: StateChange[], code = 1006, reason = ''): number {
  FakeSocket.last.drop(code, reason);
  const change = changes.at(-1);
  expect(change?.newState).toBe('reconnecting');
  if (change?.retryInMs === undefined) throw new Error('no retry delay announced');
  return change.retryInMs;
}

describe('reconnect backoff (fake clock)', () => {
  it('waits a full-jitter delay within [0, min(max, min * 2^n)) and reconnects exactly then', () => {
    const { client } = startClient();
    const changes: StateChange[] = [];
    client.on('state', (change) => changes.push(change));
    const delays: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const delay = dropAndReadDelay(changes);
      delays.push(delay);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(1_000, 100 * 2 ** attempt));
      const sockets = FakeSocket.created.length;
      if (delay > 0) {
        vi.advanceTimersByTime(delay - 1);
        expect(FakeSocket.created).toHaveLength(sockets);
      }
      vi.advanceTimersByTime(1);
      expect(FakeSocket.created).toHaveLength(sockets + 1);
    }
    // Jittered, not a fixed schedule: twelve random delays are not all alike.
    expect(new Set(delays).size).toBeGreaterThan(1);
    expect(client.metrics().reconnects).toBe(12);
    client.close();
  });

  it('uses the upper bound exactly when the random draw is at its top', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99999);
    const { client, changes } = startClient();
    const delays = [0, 1, 2, 3, 4, 5].map(() => {
      const delay = dropAndReadDelay(changes);
      vi.advanceTimersByTime(delay);
      return delay;
    });
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
    client.close();
  });

  it('rotates through every url, one per attempt', () => {
    const { client, changes } = startClient({ url: ['ws://a/ws', 'ws://b/ws', 'ws://c/ws'] });
    for (let attempt = 0; attempt < 4; attempt++) {
      vi.advanceTimersByTime(dropAndReadDelay(changes));
    }
    expect(FakeSocket.created.map((socket) => socket.url)).toEqual([
      'ws://a/ws',
      'ws://b/ws',
      'ws://c/ws',
      'ws://a/ws',
      'ws://b/ws',
    ]);
    expect(client.url).toBe('ws://b/ws');
    client.close();
  });

  it('restarts the backoff only after a connection stayed up stableAfterMs', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99999);
    const { client, changes } = startClient({
      reconnect: { minDelayMs: 100, maxDelayMs: 10_000, stableAfterMs: 3_000 },
    });
    vi.advanceTimersByTime(dropAndReadDelay(changes)); // 99
    vi.advanceTimersByTime(dropAndReadDelay(changes)); // 199

    FakeSocket.last.greet();
    vi.advanceTimersByTime(1_000); // open, but not for long: the backoff keeps growing
    expect(dropAndReadDelay(changes)).toBe(399);
    vi.advanceTimersByTime(399);

    FakeSocket.last.greet();
    vi.advanceTimersByTime(3_000); // stable
    expect(dropAndReadDelay(changes)).toBe(99);
    client.close();
  });

  it("adds the server's going-away hint to the delay", () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { client, changes } = startClient();
    FakeSocket.last.greet();
    FakeSocket.last.deliver(encodeGoingAway({ reconnectAfterMs: 1_500, reason: 'restart' }));
    expect(dropAndReadDelay(changes, 1001, 'server shutting down')).toBe(1_500);
    expect(changes.at(-1)?.closeCode).toBe(1001);
    client.close();
  });

  it('stays closed after a do-not-reconnect close code and fails what was pending', async () => {
    const { client, changes } = startClient();
    FakeSocket.last.greet();
    const pending = client.subscribe(['BTC-USD']).catch((e: unknown) => e);
    await Promise.resolve();
    FakeSocket.last.drop(1008, 'message rate limit exceeded');
    expect(client.state).toBe('closed');
    expect(changes.at(-1)?.reason).toMatch(/1008 message rate limit exceeded.*not reconnecting/);
    expect(changes.at(-1)?.closeCode).toBe(1008);
    const error = await pending;
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ClientErrorCode.Closed);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.created).toHaveLength(1);
  });

  it('reconnects after a slow-consumer close (4001)', () => {
    const { client, changes } = startClient();
    FakeSocket.last.greet();
    vi.advanceTimersByTime(dropAndReadDelay(changes, 4001, 'slow consumer'));
    expect(FakeSocket.created).toHaveLength(2);
    client.close();
  });
});

describe('watchdog (fake clock)', () => {
  it('reconnects when nothing arrives for twice the heartbeat interval', () => {
    const { client, changes } = startClient();
    const first = FakeSocket.last;
    first.greet(1_000);
    vi.advanceTimersByTime(1_500);
    first.deliver(encodeHeartbeat({ serverTime: Date.now() }));
    vi.advanceTimersByTime(1_999); // 3.5 s since hello, but under 2 s since the heartbeat
    expect(client.state).toBe('open');

    vi.advanceTimersByTime(1);
    expect(client.state).toBe('reconnecting');
    expect(changes.at(-1)?.reason).toMatch(/no frame from the server for 2000 ms/);
    expect(first.closedWith).toBe(4000);
    // At least 1 ms: a zero jitter delay set inside a timer runs 1 ms later, as in Node.
    vi.advanceTimersByTime(Math.max(1, changes.at(-1)?.retryInMs ?? 0));
    expect(FakeSocket.created).toHaveLength(2);
    client.close();
  });

  it('honours an explicit silenceTimeoutMs', () => {
    const { client } = startClient({ silenceTimeoutMs: 300 });
    FakeSocket.last.greet(5_000);
    vi.advanceTimersByTime(299);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(client.state).toBe('reconnecting');
    client.close();
  });

  it('gives up on a connection that never sends its hello', () => {
    const { client, changes } = startClient({ connectTimeoutMs: 3_000 });
    vi.advanceTimersByTime(2_999);
    expect(client.state).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(client.state).toBe('reconnecting');
    expect(changes.at(-1)?.reason).toMatch(/no frame from the server for 3000 ms/);
    client.close();
  });

  it('stops watching once closed', () => {
    const { client } = startClient();
    FakeSocket.last.greet(1_000);
    client.close();
    vi.advanceTimersByTime(60_000);
    expect(client.state).toBe('closed');
    expect(FakeSocket.created).toHaveLength(1);
  });
});
