import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ErrorCode,
  MessageType,
  decodeErrorReply,
  decodeSnapshot,
  decodeTickBatch,
  encodePing,
  encodeResync,
  encodeSubscribe,
} from '@ticker/protocol';
import { DEFAULT_CONNECTION_LIMITS } from '../src/config.js';
import type { ConnectionLimits, FeedServer } from '../src/transport/feed-server.js';
import { TestSocket, startServer, typeOf } from './harness.js';

let server: FeedServer | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await server?.close();
  server = null;
});

async function serverWith(
  limits: Partial<ConnectionLimits>,
  overrides: Parameters<typeof startServer>[0] = {},
): Promise<string> {
  const started = await startServer({
    limits: { ...DEFAULT_CONNECTION_LIMITS, ...limits },
    ...overrides,
  });
  server = started.server;
  return started.url;
}

/**
 * Reads one small batch (so the market is running), then stops reading.
 * Reading little first matters: Linux grows a socket's receive buffer (up to 32 MB here) for a
 * reader that keeps up, which would swallow what follows.
 */
async function stallAfterFirstBatch(client: TestSocket): Promise<void> {
  client.send(encodeSubscribe({ requestId: 1, symbolIds: [30] }));
  await client.next((f) => typeOf(f) === MessageType.TickBatch, 'first batch');
  client.pauseReading();
}

const snapshotsSent = (): number => (server?.stats.snapshotsSent ?? []).reduce((a, b) => a + b, 0);

/**
 * Fills a stalled reader's path with snapshots until the server pauses it: the kernel absorbs
 * ~4 MB on loopback before uWS buffers anything, and rounds of resyncs of full histories get
 * there in milliseconds, where a tick feed would need seconds of CPU. Each round waits for its
 * snapshots, since a resync of a snapshot still owed is answered by that one snapshot.
 */
async function fillUntilPaused(client: TestSocket, symbolIds: readonly number[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  let requestId = 100;
  while (pauses(server) === 0) {
    if (Date.now() > deadline) throw new Error('timed out filling the slow client');
    const before = snapshotsSent();
    for (const symbolId of symbolIds)
      client.send(encodeResync({ requestId: requestId++, symbolId }));
    await waitFor(
      () => pauses(server) > 0 || snapshotsSent() >= before + symbolIds.length,
      'a round of snapshots, or the pause',
    );
  }
}

async function connect(url: string): Promise<TestSocket> {
  const socket = await TestSocket.open(url);
  sockets.push(socket);
  return socket;
}

const errors = (socket: TestSocket) =>
  socket.frames
    .filter((f) => typeOf(f) === MessageType.Error)
    .map((frame) => decodeErrorReply(frame));
const allIds = Array.from({ length: 30 }, (_, i) => i + 1);

describe('limits', () => {
  it('refuses subscriptions past the per-connection limit, applying nothing, and counts it', async () => {
    const url = await serverWith({ maxSubscriptions: 2 });
    const client = await connect(url);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [1, 2, 3] }));
    const reply = decodeErrorReply(
      await client.next((f) => typeOf(f) === MessageType.Error, 'error'),
    );
    expect(reply).toMatchObject({ requestId: 1, code: ErrorCode.LimitExceeded });
    expect(reply.message).toMatch(/at most 2 subscriptions per connection/);
    client.send(encodeSubscribe({ requestId: 2, symbolIds: [1, 2] }));
    await client.next((f) => typeOf(f) === MessageType.Ack, 'ack');
    client.send(encodeSubscribe({ requestId: 3, symbolIds: [2, 1] })); // already held: fine
    client.send(encodeSubscribe({ requestId: 4, symbolIds: [3] }));
    await client.next(
      (f) => typeOf(f) === MessageType.Error && decodeErrorReply(f).requestId === 4,
      'second error',
    );
    expect(server?.stats.subscriptions).toEqual([2, 0]);
    expect(server?.stats.rejectedRequests.get('subscription_limit')).toBe(2);
  });

  it('answers messages over the rate with errors carrying their request ids, and closes a client that floods for over a second (1008)', async () => {
    // A slow rate, so a server slowed by load cannot refill a token while it reads these.
    const url = await serverWith({ maxMessagesPerSecond: 2 }); // bursts of 4
    const client = await connect(url);
    for (let i = 0; i < 4; i++) client.send(encodePing({ nonce: i }));
    client.send(encodeResync({ requestId: 77, symbolId: 1 }));
    client.send(encodePing({ nonce: 99 }));
    await client.next(
      (f) => typeOf(f) === MessageType.Error && decodeErrorReply(f).requestId === 0,
      'the ping refused',
    );
    expect(errors(client)).toEqual([
      { requestId: 77, code: ErrorCode.LimitExceeded, message: 'at most 2 messages per second' },
      { requestId: 0, code: ErrorCode.LimitExceeded, message: 'at most 2 messages per second' },
    ]);
    expect(client.frames.filter((f) => typeOf(f) === MessageType.Pong)).toHaveLength(4);
    // A burst refused within one read is not a flood yet: the client is still open. (On a fresh
    // connection: on this one, a server slowed by load could read the burst over a second after
    // the refusals above, and that is a flood.)
    const burst = await connect(url);
    for (let i = 0; i < 54; i++) burst.send(encodePing({ nonce: i }));
    const answers = () =>
      burst.frames.filter((f) => typeOf(f) === MessageType.Pong || typeOf(f) === MessageType.Error)
        .length;
    await burst.next(() => answers() === 54, 'an answer to each of the 54');
    // Four from the burst allowance (a token more for each 500 ms the server took to read them).
    expect(errors(burst).length).toBeGreaterThanOrEqual(45);
    expect(server?.stats.rejectedRequests.get('rate_limit_close')).toBeUndefined();
    // Refused without a break for over a second: closed.
    const flood = setInterval(() => {
      burst.send(encodePing({ nonce: 1 }));
    }, 20);
    try {
      expect(await burst.closed).toEqual({ code: 1008, reason: 'message rate limit exceeded' });
    } finally {
      clearInterval(flood);
    }
    expect(server?.stats.rejectedRequests.get('rate_limit_close')).toBe(1);
  });

  it('never refuses a client that keeps under the rate, even when its messages arrive together', async () => {
    const url = await serverWith({ maxMessagesPerSecond: 20 }); // bursts of 40
    const client = await connect(url);
    // More than a second's worth at once (as when the server was busy and read them together),
    // then under the rate. Ten tokens are left over: the server itself may stall under load and
    // read a few of the later pings together with the burst (the bucket counts arrival times).
    for (let i = 0; i < 30; i++) client.send(encodePing({ nonce: i }));
    for (let i = 0; i < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      client.send(encodePing({ nonce: 100 + i }));
    }
    // Every ping is answered once, with a pong or an error: all 60 answers, then none an error.
    const answered = (): number =>
      client.frames.filter((f) => typeOf(f) === MessageType.Pong || typeOf(f) === MessageType.Error)
        .length;
    await client.next(() => answered() === 60, 'an answer to every ping');
    expect(errors(client)).toEqual([]);
  });

  it('refuses connections past the per-address limit with HTTP 429, and admits again when one leaves', async () => {
    const url = await serverWith({ maxConnectionsPerIp: 2 });
    const first = await connect(url);
    await connect(url);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
      });
      socket.on('open', () => {
        reject(new Error('a third connection was accepted'));
      });
      socket.on('error', () => undefined);
    });
    expect(status).toBe(429);
    expect(server?.stats.refusedConnections.get('per_ip_connections')).toBe(1);
    sockets.splice(sockets.indexOf(first), 1);
    await first.close();
    await connect(url);
  });
});

describe('idle timeout', () => {
  it('closes a client that stays silent, even to pings, while one that answers stays open', async () => {
    const url = await serverWith({ idleTimeoutSeconds: 8 }); // uWS's minimum
    const answering = await connect(url);
    const silent = new WebSocket(url, { autoPong: false });
    const closed = new Promise<number>((resolve) => {
      silent.on('close', (code) => {
        resolve(code);
      });
    });
    // uWS drops an idle peer without a close frame: it may well be dead.
    expect(await closed).toBe(1006);
    expect(server?.stats.connections).toBe(1);
    expect(server?.stats.closesByCode.get('1006')).toBe(1);
    answering.send(encodePing({ nonce: 1 }));
    await answering.next((f) => typeOf(f) === MessageType.Pong, 'pong from the server');
  });
});

describe('slow consumers', () => {
  // Snapshot budgets out of the way: these tests fill a stalled reader with snapshots.
  const slowLimits = {
    slowConsumerBytes: 64 * 1024,
    maxMessagesPerSecond: 10_000,
    snapshotBytesPerSecond: 1024 ** 3,
    snapshotBytesPerSecondPerIp: 1024 ** 3,
  };

  it('pause a client that stops reading, keep others gapless, and close it after the timeout (4001)', async () => {
    const url = await serverWith({ ...slowLimits, slowConsumerTimeoutMs: 1_500 });
    const healthy = await connect(url);
    healthy.send(encodeSubscribe({ requestId: 1, symbolIds: [1] }));

    const slow = await connect(url);
    await stallAfterFirstBatch(slow);
    slow.send(encodeSubscribe({ requestId: 2, symbolIds: allIds }));
    await fillUntilPaused(slow, allIds);
    expect(server?.stats.slowConsumerPauses.get('buffer')).toBe(1);
    await waitFor(
      () => server?.stats.slowConsumerCloses === 1,
      'the server to close the slow client',
    );
    expect(pauses(server)).toBe(1);

    // The close frame waits behind what the client never read: it sees 4001 once it reads on.
    slow.resumeReading();
    expect(await slow.closed).toEqual({
      code: 4001,
      reason: 'slow consumer: could not keep up with the feed',
    });

    const seqs = healthy.frames
      .filter((f) => typeOf(f) === MessageType.TickBatch)
      .map((f) => decodeTickBatch(f).seq);
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs.slice(1)).toEqual(seqs.slice(0, -1).map((seq) => seq + 1));
  });

  it('resume a client that drains, with fresh snapshots its batches continue from', async () => {
    const url = await serverWith(
      { ...slowLimits, slowConsumerTimeoutMs: 60_000 },
      { tickRate: 20_000 },
    );
    const slow = await connect(url);
    await stallAfterFirstBatch(slow);
    slow.send(encodeSubscribe({ requestId: 2, symbolIds: allIds }));
    await fillUntilPaused(slow, allIds);
    // Paused, it is sent nothing: what the server holds for it stays put while the market runs on.
    const held = server?.stats.bufferedBytes ?? 0;
    // 40,000 ticks would be ~140 KB in batches to a subscriber of every symbol.
    const generated = server?.stats.ticksGenerated ?? 0;
    await waitFor(
      () => (server?.stats.ticksGenerated ?? 0) > generated + 40_000,
      '40,000 more ticks',
    );
    expect((server?.stats.bufferedBytes ?? 0) - held).toBeLessThan(4 * 1024);
    slow.send(encodeResync({ requestId: 999, symbolId: 1 }));
    slow.resumeReading();
    const refusal = await slow.next(
      (f) => typeOf(f) === MessageType.Error && decodeErrorReply(f).requestId === 999,
      'the answer to a resync sent while paused',
    );
    expect(decodeErrorReply(refusal).code).toBe(ErrorCode.Unavailable);

    // A fresh snapshot of every symbol it holds: unasked (request id 0), or answering a resync
    // that was still owed when it was paused. The refusal was written while paused, behind all
    // the client had not read yet, so what follows it was sent after the resume.
    const afterResume = (f: Uint8Array): boolean =>
      slow.frames.indexOf(f) > slow.frames.indexOf(refusal) && typeOf(f) === MessageType.Snapshot;
    const resumeFrames = await Promise.all(
      allIds.map((id) =>
        slow.next(
          (f) => afterResume(f) && decodeSnapshot(f).symbolId === id,
          `a resume snapshot of ${id}`,
        ),
      ),
    );
    for (const frame of resumeFrames) {
      const { requestId } = decodeSnapshot(frame);
      expect(requestId === 0 || requestId >= 100).toBe(true);
    }
    const resumeFrame = resumeFrames[0] as Uint8Array;
    const resumed = decodeSnapshot(resumeFrame);
    const next = decodeTickBatch(
      await slow.next(
        (f) =>
          slow.frames.indexOf(f) > slow.frames.indexOf(resumeFrame) &&
          typeOf(f) === MessageType.TickBatch &&
          decodeTickBatch(f).symbolId === resumed.symbolId,
        'a batch after the resume snapshot',
      ),
    );
    expect(next.seq).toBe(resumed.nextSeq);
    expect(server?.stats.pausedConnections).toBe(0);
  });
});

/** Polls a condition that has no event of its own (a server counter), within a generous bound. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Pauses for any reason. */
function pauses(feed: FeedServer | null): number {
  return [...(feed?.stats.slowConsumerPauses.values() ?? [])].reduce((sum, n) => sum + n, 0);
}
