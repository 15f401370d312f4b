import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  MessageType,
  decodeErrorReply,
  decodeHeartbeat,
  decodeHello,
  decodePong,
  decodeSnapshot,
  decodeTickBatch,
  encodePing,
  encodeSubscribe,
} from '@ticker/protocol';
import { configFromEnv } from '../src/config.js';
import { createServer } from '../src/transport/feed-server.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { TestSocket, typeOf } from './harness.js';

const BTC = 1;
const ETH = 2;
const AAPL = 13;
const FROZEN_AT = '2026-01-05T15:30:00Z'; // a Monday
const FROZEN_MS = Date.UTC(2026, 0, 5, 15, 30);
const MINUTE = 60_000;

const servers: FeedServer[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server configured only through the environment, as `FROZEN_AT=… npm start` would be. */
async function frozenServer(
  env: Record<string, string>,
): Promise<{ server: FeedServer; client: TestSocket }> {
  const server = createServer({
    ...configFromEnv({ LOG_LEVEL: 'silent', ...env }),
    port: 0,
    host: '127.0.0.1',
    staticDir: null,
  });
  servers.push(server);
  const port = await server.listen();
  const client = await TestSocket.open(`ws://127.0.0.1:${port}/ws`);
  sockets.push(client);
  return { server, client };
}

const isType = (type: number) => (frame: Uint8Array) => typeOf(frame) === type;

/** Subscribes to `symbolIds` and resolves with each one's snapshot frame, in that order. */
function snapshotFrames(client: TestSocket, symbolIds: readonly number[]): Promise<Uint8Array[]> {
  client.send(encodeSubscribe({ requestId: 1, symbolIds }));
  return Promise.all(
    symbolIds.map((id) =>
      client.next(
        (f) => typeOf(f) === MessageType.Snapshot && decodeSnapshot(f).symbolId === id,
        `the snapshot of symbol ${id}`,
      ),
    ),
  );
}

/** The first frame of `type` received after `after` (a frame already in `client.frames`). */
function nextAfter(client: TestSocket, after: Uint8Array, type: number): Promise<Uint8Array> {
  const from = client.frames.indexOf(after);
  return client.next(
    (f) => typeOf(f) === type && client.frames.indexOf(f) > from,
    `message type ${type} after frame #${from}`,
  );
}

const digest = (frame: Uint8Array): string => createHash('sha256').update(frame).digest('hex');

describe('a frozen market (FROZEN_AT)', () => {
  it('gives byte-identical snapshots, full from the first second, for the same SEED', async () => {
    const symbols = [BTC, AAPL];
    const first = await frozenServer({ FROZEN_AT, SEED: '7' });
    const a = await snapshotFrames(first.client, symbols);
    const second = await frozenServer({ FROZEN_AT, SEED: '7' });
    const b = await snapshotFrames(second.client, symbols);
    const reseeded = await frozenServer({ FROZEN_AT, SEED: '8' });
    const c = await snapshotFrames(reseeded.client, symbols);

    expect(b.map(digest)).toEqual(a.map(digest));
    for (const [i, frame] of c.entries()) expect(digest(frame)).not.toBe(digest(a[i] ?? frame));

    expect(decodeHello(first.client.frames[0] ?? new Uint8Array()).serverTime).toBe(FROZEN_MS);
    for (const frame of a) {
      const snapshot = decodeSnapshot(frame);
      const { history, session, candles } = snapshot;
      // The session is the UTC day so far; the market has traded since long before.
      expect(session.startTime).toBe(Date.UTC(2026, 0, 5));
      expect(history.count).toBe(2_048);
      expect(history.time[history.count - 1]).toBeLessThanOrEqual(FROZEN_MS);
      expect(history.time[history.count - 1]).toBeGreaterThan(FROZEN_MS - 5_000);
      expect(session.tradeCount).toBeGreaterThan(2_048);
      const [seconds, minutes] = candles;
      expect(seconds?.candles.length).toBeGreaterThan(550); // 10 minutes, a quiet second or two
      // Two hours; the minute starting at the instant has had no time to trade.
      expect(minutes?.candles.length).toBe(119);
      expect(seconds?.candles.at(-1)?.start).toBeLessThanOrEqual(FROZEN_MS);
      expect(minutes?.candles.at(-1)?.start).toBe(FROZEN_MS - MINUTE);
      expect(snapshot.nextSeq).toBe(0); // no batch yet: the market stands still
    }
  });

  it('starts as full at 100,000 ticks/s, its newest ticks those of the instant', async () => {
    const { client } = await frozenServer({ FROZEN_AT, TICK_RATE: '100000' });
    const [frame] = await snapshotFrames(client, [BTC]);
    const { history, candles } = decodeSnapshot(frame as Uint8Array);
    expect(history.count).toBe(2_048);
    // Hundreds of BTC trades a second: the newest 2,048 span a few seconds before the instant.
    expect(history.time[0]).toBeGreaterThan(FROZEN_MS - 30_000);
    expect(history.time[history.count - 1]).toBeLessThanOrEqual(FROZEN_MS);
    expect(candles[0]?.candles.length).toBeGreaterThanOrEqual(599);
  });

  it('sends no tick batch after the snapshot, while heartbeats and pongs keep the frozen time', async () => {
    const { server, client } = await frozenServer({
      FROZEN_AT,
      FLUSH_INTERVAL_MS: '20',
      HEARTBEAT_INTERVAL_MS: '100',
    });
    const [, last] = await snapshotFrames(client, [BTC, ETH]);
    if (!last) throw new Error('no snapshot');
    const generated = server.stats.ticksGenerated;

    // Two heartbeats after the snapshots have a whole interval, five flushes, between them.
    const firstBeat = await nextAfter(client, last, MessageType.Heartbeat);
    const secondBeat = await nextAfter(client, firstBeat, MessageType.Heartbeat);
    const since = client.frames.slice(client.frames.indexOf(last) + 1);
    expect(since.map(typeOf)).toEqual([MessageType.Heartbeat, MessageType.Heartbeat]);
    expect(decodeHeartbeat(secondBeat).serverTime).toBe(FROZEN_MS);
    expect(server.stats.ticksGenerated).toBe(generated);
    expect(server.stats.batchesPublished).toBe(0);

    client.send(encodePing({ nonce: 42 }));
    expect(decodePong(await client.next(isType(MessageType.Pong), 'pong'))).toEqual({
      nonce: 42,
      serverTime: FROZEN_MS,
    });
  });

  it('still refills the rate limit: only the market clock is frozen', async () => {
    const { client } = await frozenServer({
      FROZEN_AT,
      MAX_MESSAGES_PER_SECOND: '100', // bursts of 200
      HEARTBEAT_INTERVAL_MS: '100',
    });
    for (let nonce = 1; nonce <= 210; nonce++) client.send(encodePing({ nonce }));
    const refused = await client.next(isType(MessageType.Error), 'a rate-limit error');
    expect(decodeErrorReply(refused).code).toBe(ErrorCode.LimitExceeded);

    // Two heartbeats later at least 100 ms have passed: 10 tokens at 100 per second.
    const beat = await nextAfter(client, refused, MessageType.Heartbeat);
    const later = await nextAfter(client, beat, MessageType.Heartbeat);
    client.send(encodePing({ nonce: 999 }));
    const answer = await client.next(
      (f) =>
        client.frames.indexOf(f) > client.frames.indexOf(later) &&
        (typeOf(f) === MessageType.Pong || typeOf(f) === MessageType.Error),
      'the answer to a ping after the refill',
    );
    expect(typeOf(answer)).toBe(MessageType.Pong);
    expect(decodePong(answer).nonce).toBe(999);
  });

  it.each([
    // Saturday: stocks have not traded for a day; crypto trades on.
    ['2026-01-03T15:00:00Z', 0],
    // Monday, five minutes after the open: stocks have five minutes of ticks, none before it.
    ['2026-01-05T14:35:00Z', 1],
  ])(
    'works with STOCK_HOURS at %s (stock ticks within the session only)',
    async (frozenAt, stockTrades) => {
      const { client } = await frozenServer({ FROZEN_AT: frozenAt, STOCK_HOURS: '14:30-21:00' });
      const [btc, aapl] = (await snapshotFrames(client, [BTC, AAPL])).map((f) => decodeSnapshot(f));
      if (!btc || !aapl) throw new Error('missing snapshot');
      expect(btc.history.count).toBe(2_048);
      const stock = aapl.history;
      expect(Math.sign(stock.count)).toBe(stockTrades);
      expect(Math.sign(aapl.session.tradeCount)).toBe(stockTrades);
      const open = Date.UTC(2026, 0, 5, 14, 30);
      for (let i = 0; i < stock.count; i++) {
        expect(stock.time[i]).toBeGreaterThanOrEqual(open);
        expect(stock.time[i]).toBeLessThanOrEqual(Date.parse(frozenAt));
      }
    },
  );
});

describe('a live market', () => {
  it('sends full snapshots from its first second, and live batches continue from them', async () => {
    const { client } = await frozenServer({ TICK_RATE: '2000' });
    const [frame] = await snapshotFrames(client, [BTC]);
    const snapshot = decodeSnapshot(frame as Uint8Array);
    const now = Date.now();
    expect(snapshot.session.startTime).toBe(now - (now % (24 * 60 * MINUTE)));
    expect(snapshot.history.count).toBe(2_048); // the ring is full
    const seconds = snapshot.candles.find((series) => series.intervalMs === 1_000);
    expect(seconds?.candles.length).toBeGreaterThan(550);
    const next = decodeTickBatch(
      await nextAfter(client, frame as Uint8Array, MessageType.TickBatch),
    );
    expect(next.symbolId).toBe(BTC);
    expect(next.seq).toBe(snapshot.nextSeq);
    expect(next.time[0]).toBeGreaterThanOrEqual(snapshot.history.time[2_047] as number);
  });
});
