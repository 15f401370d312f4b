import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AssetClass,
  ByteWriter,
  MessageType,
  createTickColumns,
  MarketState,
  decodeMarketStatus,
  decodeSnapshot,
  decodeTickBatch,
  encodeResync,
  encodeSnapshot,
  encodeSubscribe,
} from '@ticker/protocol';
import type { TickBatch } from '@ticker/protocol';
import { createRedisFeed } from '../src/broker/redis-feed.js';
import { IDLE_ENTRY_MS, createRedisSource } from '../src/broker/redis-source.js';
import { LEASE_KEY } from '../src/broker/source-lease.js';
import type { RedisSource } from '../src/broker/redis-source.js';
import { configFromEnv } from '../src/config.js';
import { Market } from '../src/domain/market.js';
import { TradingHours } from '../src/domain/trading-hours.js';
import { SymbolHistory } from '../src/domain/symbol-history.js';
import type { SymbolSpec } from '../src/domain/universe.js';
import { encodeDirectory } from '../src/domain/directory.js';
import { HistoryAnswers } from '../src/history/history-answers.js';
import { marketIdentity } from '../src/market-path/market-identity.js';
import { OPEN_GRANT } from '../src/transport/admission.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { TestSocket, startServer, typeOf } from './harness.js';
import { RedisServer } from './redis-server.js';

const BTC = 1;
const ETH = 2;
const FLUSH_MS = 20;
const TICK_RATE = 2_000;
const { universe: everySymbol, logger } = configFromEnv({ LOG_LEVEL: 'silent' });
/**
 * Forty symbols, crypto and stocks (BTC and ETH among them): what these tests check holds
 * symbol by symbol, and a source announcing a smaller market keeps them quick on a busy machine.
 */
const universe = everySymbol.slice(0, 40);
/** Generous bounds for what happens within milliseconds when all is well. */
const WAIT = { timeout: 15_000, interval: 10 };

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startRedis(): Promise<RedisServer> {
  const redis = await RedisServer.start();
  cleanups.push(() => redis.kill());
  return redis;
}

/**
 * The source role with a hand-driven clock: each `flush` moves the market one flush interval on,
 * so a test knows exactly which batches exist.
 */
async function startSource(
  url: string,
  seed = 7,
  {
    symbols = universe,
    stockHours = null,
    startTime = Date.UTC(2026, 0, 5, 15, 0),
  }: { symbols?: readonly SymbolSpec[]; stockHours?: TradingHours | null; startTime?: number } = {},
): Promise<TestSource> {
  let clock = startTime;
  const market = new Market({
    universe: symbols,
    seed,
    tickRate: TICK_RATE,
    startTime,
    stockHours,
  });
  const source = createRedisSource({
    url,
    market,
    directory: encodeDirectory(symbols),
    marketIdentity: marketIdentity({ universe: symbols, seed, tickRate: TICK_RATE, stockHours }),
    flushIntervalMs: FLUSH_MS,
    replayMs: 15_000,
    logger,
    now: () => clock,
  });
  cleanups.push(() => source.close());
  await vi.waitFor(() => {
    expect(source.unavailableReason()).toBeNull();
  }, WAIT);
  return {
    market,
    source,
    async flush(count: number) {
      const written = source.stats.entries;
      for (let i = 0; i < count; i++) {
        clock += FLUSH_MS;
        source.flush();
      }
      await vi.waitFor(() => {
        expect(source.stats.entries).toBe(written + count);
      }, WAIT);
    },
    flushUnconfirmed(count: number) {
      for (let i = 0; i < count; i++) {
        clock += FLUSH_MS;
        source.flush();
      }
    },
  };
}

interface TestSource {
  readonly market: Market;
  readonly source: RedisSource;
  /** Flushes `count` times and waits until Redis has every entry. */
  readonly flush: (count: number) => Promise<void>;
  /** Flushes without waiting for Redis: while it is away, the source drops them (and numbers them). */
  readonly flushUnconfirmed: (count: number) => void;
}

/** A gateway of the market `startSource` plays by default (or of the one given). */
async function startGateway(
  url: string,
  gatewayUniverse: readonly SymbolSpec[] = universe,
  { seed = 7, stockHours = null }: { seed?: number; stockHours?: TradingHours | null } = {},
): Promise<{ server: FeedServer; port: number; url: string }> {
  const settings = { universe: gatewayUniverse, seed, tickRate: TICK_RATE, stockHours };
  const feed = createRedisFeed({
    url,
    universe: gatewayUniverse,
    directory: encodeDirectory(gatewayUniverse),
    marketIdentity: marketIdentity(settings),
    logger,
  });
  const started = await startServer(settings, feed);
  cleanups.push(() => started.server.close());
  return started;
}

async function waitUntilLive(server: FeedServer): Promise<void> {
  await vi.waitFor(() => {
    expect(server.feed.unavailableReason()).toBeNull();
  }, WAIT);
}

/** Waits until the gateway holds every batch the source made, for every symbol. */
async function waitUntilCaughtUp(server: FeedServer, market: Market): Promise<void> {
  await vi.waitFor(() => {
    expect(server.feed.histories.map((h) => h.nextSeq)).toEqual(
      market.histories.map((h) => h.nextSeq),
    );
  }, WAIT);
}

const scratch = createTickColumns(2_048);
const writer = new ByteWriter(16 * 1024);

/**
 * The encoded snapshot of one symbol's history, as its SHA-256: comparable byte for byte across
 * processes (a digest, as comparing hundreds of 40 KB buffers element by element is slow).
 */
function snapshotBytes(
  histories: Market['histories'],
  symbolId: number,
  requestId = 0,
  index = universe.findIndex((s) => s.id === symbolId),
): string {
  const history = histories[index];
  if (!history) throw new Error(`no symbol ${symbolId}`);
  const bytes = encodeSnapshot({ requestId, ...history.snapshot(symbolId, scratch) }, writer);
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * What a client holds after `snapshotFrame` and the batches that follow it, up to `nextSeq`:
 * the snapshot restored into a history, with each of those batches appended.
 */
async function historyAfter(
  client: TestSocket,
  snapshotFrame: Uint8Array,
  nextSeq: number,
): Promise<SymbolHistory> {
  const snapshot = decodeSnapshot(snapshotFrame);
  const history = new SymbolHistory(0);
  history.restore(snapshot);
  const from = client.frames.indexOf(snapshotFrame);
  const batchAfter = (seq: number) => (f: Uint8Array) =>
    client.frames.indexOf(f) > from &&
    typeOf(f) === MessageType.TickBatch &&
    decodeTickBatch(f).symbolId === snapshot.symbolId &&
    decodeTickBatch(f).seq === seq;
  while (history.nextSeq < nextSeq) {
    const frame = await client.next(batchAfter(history.nextSeq), `batch ${history.nextSeq}`);
    history.append(decodeTickBatch(frame));
  }
  return history;
}

async function connect(url: string): Promise<TestSocket> {
  const socket = await TestSocket.open(url);
  cleanups.push(() => socket.close());
  return socket;
}

async function subscribe(socket: TestSocket, symbolIds: number[]): Promise<void> {
  socket.send(encodeSubscribe({ requestId: 1, symbolIds }));
  await socket.next((f) => typeOf(f) === MessageType.Ack, 'ack');
}

/** The batch frames of one symbol a socket has received, in order. */
function batchesOf(socket: TestSocket, symbolId: number): Uint8Array[] {
  return socket.frames.filter(
    (f) => typeOf(f) === MessageType.TickBatch && decodeTickBatch(f).symbolId === symbolId,
  );
}

function snapshotsOf(socket: TestSocket, symbolId: number) {
  return socket.frames
    .filter((f) => typeOf(f) === MessageType.Snapshot)
    .map((f) => decodeSnapshot(f))
    .filter((s) => s.symbolId === symbolId);
}

async function waitForBatch(socket: TestSocket, symbolId: number, seq: number): Promise<void> {
  await socket.next(
    (f) =>
      typeOf(f) === MessageType.TickBatch &&
      decodeTickBatch(f).symbolId === symbolId &&
      decodeTickBatch(f).seq === seq,
    `batch ${seq} of symbol ${symbolId}`,
  );
}

/** Where a client's series of the symbol stands: the seq it expects next, by what it received. */
function clientNextSeq(socket: TestSocket, symbolId: number): number {
  let next = -1;
  for (const frame of socket.frames) {
    if (typeOf(frame) === MessageType.Snapshot) {
      const snapshot = decodeSnapshot(frame);
      if (snapshot.symbolId === symbolId) next = snapshot.nextSeq;
    } else if (typeOf(frame) === MessageType.TickBatch) {
      const batch = decodeTickBatch(frame);
      if (batch.symbolId === symbolId) next = batch.seq + 1;
    }
  }
  return next;
}

type Tick = [time: number, price: number, size: number, side: number];

function ticksOf(batch: TickBatch): Tick[] {
  return Array.from({ length: batch.count }, (_, i): Tick => [
    batch.time[i] ?? 0,
    batch.price[i] ?? 0,
    batch.size[i] ?? 0,
    batch.side[i] ?? 0,
  ]);
}

/** The symbol's ticks in (from, to] as the default source's market plays them, in one go. */
function uninterruptedTicks(symbolId: number, from: number, to: number): Tick[] {
  const market = new Market({
    universe,
    seed: 7,
    tickRate: TICK_RATE,
    startTime: from,
    stockHours: null,
  });
  const index = universe.findIndex((s) => s.id === symbolId);
  const ticks: Tick[] = [];
  market.flush(
    to,
    (_index, bytes) => {
      ticks.push(...ticksOf(decodeTickBatch(bytes)));
    },
    (wanted) => wanted === index,
  );
  return ticks;
}

const nextSeqOf = (market: Market, symbolId: number): number =>
  market.histories[universe.findIndex((s) => s.id === symbolId)]?.nextSeq ?? -1;

/**
 * A source that plays 40 flushes from `startTime` and stops cleanly, with a gateway and a client
 * of it that subscribed to ETH after the first 20 and holds every batch up to the last.
 */
async function sourceThatStops(url: string, startTime: number) {
  const first = await startSource(url, 7, { startTime });
  await first.flush(20);
  const gateway = await startGateway(url);
  await waitUntilLive(gateway.server);
  const client = await connect(gateway.url);
  await subscribe(client, [ETH]);
  await first.flush(20);
  await waitForBatch(client, ETH, nextSeqOf(first.market, ETH) - 1);
  await first.source.close();
  return { first, gateway, client };
}

describe('one source and gateways through a real Redis', () => {
  it('tells clients the market is delayed when the source stops writing, and live when it is back', async () => {
    const redis = await startRedis();
    const source = await startSource(redis.url);
    const gateway = await startGateway(redis.url);
    await source.flush(5);
    await waitUntilLive(gateway.server);
    const client = await TestSocket.open(gateway.url);
    cleanups.push(() => client.close());
    await client.next((f) => typeOf(f) === MessageType.SymbolDirectory, 'the directory');
    // The source stops: nothing more is written (a running one writes at least once a second).
    // (A gateway slowed by load may first say it is still restoring: the silence comes after.)
    const silent = 'no market data from the source for over 3 s';
    const delayed = decodeMarketStatus(
      await client.next(
        (f) => typeOf(f) === MessageType.MarketStatus && decodeMarketStatus(f).reason === silent,
        'the delayed status',
      ),
    );
    expect(delayed.state).toBe(MarketState.Delayed);
    expect(delayed.lastDataTime).toBe(gateway.server.feed.broker?.lastEntryAt);
    const count = client.frames.length;
    await source.flush(1);
    const live = await client.next(
      (f) =>
        client.frames.indexOf(f) >= count &&
        typeOf(f) === MessageType.MarketStatus &&
        decodeMarketStatus(f).state === MarketState.Live,
      'the live status',
    );
    expect(decodeMarketStatus(live).reason).toBe('');
  });

  it('writes an entry a second while nothing trades, so a gateway can tell a quiet market from a stopped source', async () => {
    const redis = await startRedis();
    const stocks = universe.filter((symbol) => symbol.assetClass === AssetClass.Stock);
    // A Monday, before the stocks open at 14:30: nothing trades.
    const { market, source, flushUnconfirmed } = await startSource(redis.url, 7, {
      symbols: stocks,
      stockHours: TradingHours.parse('14:30-21:00'),
      startTime: Date.UTC(2026, 0, 5, 9, 0),
    });
    const gateway = await startGateway(redis.url, stocks, {
      stockHours: TradingHours.parse('14:30-21:00'),
    });
    // Three seconds of flushes with no tick: an entry at once, then one each second.
    flushUnconfirmed(1 + (3 * IDLE_ENTRY_MS) / FLUSH_MS);
    await vi.waitFor(() => {
      expect(source.stats.entries).toBe(4);
      expect(gateway.server.feed.broker?.entries).toBe(4);
    }, WAIT);
    expect(market.histories.every((history) => history.nextSeq === 0)).toBe(true);
    expect(gateway.server.feed.broker?.gaps).toBe(0);
  });

  it('gives clients on two gateways identical sequences, and a late gateway complete snapshots', async () => {
    const redis = await startRedis();
    const { market, flush } = await startSource(redis.url);
    await flush(30);
    const early = await startGateway(redis.url);
    await waitUntilLive(early.server);
    await flush(30);
    // Started after 60 flushes: it catches up from the snapshots and the stream kept in Redis.
    const late = await startGateway(redis.url);
    await waitUntilLive(late.server);
    await waitUntilCaughtUp(early.server, market);
    await waitUntilCaughtUp(late.server, market);
    for (const { id } of universe) {
      expect(snapshotBytes(late.server.feed.histories, id)).toEqual(
        snapshotBytes(market.histories, id),
      );
      expect(snapshotBytes(early.server.feed.histories, id)).toEqual(
        snapshotBytes(market.histories, id),
      );
    }

    const onEarly = await connect(early.url);
    const onLate = await connect(late.url);
    await subscribe(onEarly, [BTC, ETH]);
    await subscribe(onLate, [BTC, ETH]);
    await flush(60);
    for (const symbolId of [BTC, ETH]) {
      const last = nextSeqOf(market, symbolId) - 1;
      await waitForBatch(onEarly, symbolId, last);
      await waitForBatch(onLate, symbolId, last);
      expect(snapshotsOf(onEarly, symbolId)).toEqual(snapshotsOf(onLate, symbolId));
      const batches = batchesOf(onEarly, symbolId);
      // Three seconds of market: BTC and ETH trade in most flushes, a quiet stretch aside.
      expect(batches.length).toBeGreaterThan(10);
      expect(batchesOf(onLate, symbolId)).toEqual(batches);
      // Each series runs without a hole from the snapshot's nextSeq.
      const [snapshot] = snapshotsOf(onEarly, symbolId);
      expect(batches.map((f) => decodeTickBatch(f).seq)).toEqual(
        batches.map((_, k) => (snapshot?.nextSeq ?? -1) + k),
      );
    }
  });

  it('keeps clients connected while Redis is down, reports not ready, then resyncs them', async () => {
    const redis = await startRedis();
    const { market, source, flush, flushUnconfirmed } = await startSource(redis.url);
    const gateway = await startGateway(redis.url);
    await waitUntilLive(gateway.server);
    const client = await connect(gateway.url);
    await subscribe(client, [BTC]);
    await flush(10);
    const beforeOutage = nextSeqOf(market, BTC);
    await waitForBatch(client, BTC, beforeOutage - 1);

    await redis.kill();
    await vi.waitFor(async () => {
      const readyz = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.text()).toBe(`not ready: Redis unreachable at ${redis.url}\n`);
    }, WAIT);
    flushUnconfirmed(25);
    expect(source.stats.droppedFlushes).toBe(25);
    expect(source.unavailableReason()).toBe(`Redis unreachable at ${redis.url}`);

    await redis.restart();
    await vi.waitFor(() => {
      expect(source.unavailableReason()).toBeNull();
    }, WAIT);
    await flush(10);
    await waitUntilLive(gateway.server);
    expect((await fetch(`http://127.0.0.1:${gateway.port}/readyz`)).status).toBe(200);
    const resyncFrame = await client.next(
      (f) => typeOf(f) === MessageType.Snapshot && decodeSnapshot(f).requestId === 0,
      'the unasked snapshot after the outage',
    );
    await flush(10);
    await waitUntilCaughtUp(gateway.server, market);
    await waitForBatch(client, BTC, nextSeqOf(market, BTC) - 1);

    // The client never saw the hole: its batches stop before the outage, a snapshot (requestId
    // 0, unasked) restarts the series past it, and the batches go on from there.
    const resync = decodeSnapshot(resyncFrame);
    expect(resync.nextSeq).toBeGreaterThan(beforeOutage);
    const seqs = batchesOf(client, BTC).map((f) => decodeTickBatch(f).seq);
    const resumed = seqs.indexOf(resync.nextSeq);
    expect(resumed).toBeGreaterThan(0);
    expect(seqs[resumed - 1]).toBe(beforeOutage - 1);
    expect(seqs.slice(resumed)).toEqual(seqs.slice(resumed).map((_, k) => resync.nextSeq + k));
    expect(gateway.server.feed.broker?.gaps).toBeGreaterThan(0);

    // And what it holds now is the source's history exactly: the answer to a resync (a snapshot,
    // perhaps encoded a few flushes ago and followed by the batches since) is that history.
    client.send(encodeResync({ requestId: 42, symbolId: BTC }));
    const answer = await client.next(
      (f) => typeOf(f) === MessageType.Snapshot && decodeSnapshot(f).requestId === 42,
      'resync answer',
    );
    const held = await historyAfter(client, answer, nextSeqOf(market, BTC));
    expect(snapshotBytes([held], BTC, 42, 0)).toEqual(snapshotBytes(market.histories, BTC, 42));
    expect(await Promise.race([client.closed, Promise.resolve('open')])).toBe('open');
  });

  it('continues every series when a source restarts within the replay window: no snapshot, no break', async () => {
    const redis = await startRedis();
    const startTime = Date.UTC(2026, 0, 5, 15, 0);
    const { first, gateway, client } = await sourceThatStops(redis.url, startTime);

    // Restarted 4.2 s after its predecessor's last flush (the replay window is 15 s).
    const second = await startSource(redis.url, 7, { startTime: startTime + 5_000 });
    expect(second.source.epoch).toBe(first.source.epoch);
    await second.flush(5);
    await waitUntilCaughtUp(gateway.server, second.market);
    await waitForBatch(client, ETH, nextSeqOf(second.market, ETH) - 1);
    expect(snapshotsOf(client, ETH)).toHaveLength(1);
    expect(gateway.server.feed.broker?.gaps).toBe(0);
    const [snapshot] = snapshotsOf(client, ETH);
    const batches = batchesOf(client, ETH).map((f) => decodeTickBatch(f));
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, k) => (snapshot?.nextSeq ?? -1) + k));
    // Every tick of the outage arrived, in order: the same as from a source that never stopped.
    const received = batches.flatMap((batch) => ticksOf(batch));
    const subscribedAt = startTime + 20 * FLUSH_MS;
    const endedAt = startTime + 5_000 + 5 * FLUSH_MS;
    expect(received).toEqual(
      uninterruptedTicks(ETH, startTime, endedAt).filter(([time]) => time > subscribedAt),
    );
  });

  it('takes over from a crashed source once its lease lapses, never from one still running', async () => {
    const redis = await startRedis();
    const admin = createClient({ url: redis.url });
    await admin.connect();
    cleanups.push(() => admin.close());
    const startTime = Date.UTC(2026, 0, 5, 15, 0);
    const first = await startSource(redis.url, 7, { startTime });
    await first.flush(10);
    await first.source.close();
    // As a crashed source leaves it: its lease still held, lapsing by itself.
    await admin.set(LEASE_KEY, 'crashed', { PX: 1_500 });
    const successor = await startSource(redis.url, 7, { startTime: startTime + 2_000 });
    expect(successor.source.epoch).toBe(first.source.epoch);
    await successor.source.close();
    // A lease someone keeps renewing: that source runs, and its series are not for the taking.
    await admin.set(LEASE_KEY, 'running', { PX: 60_000 });
    const beside = await startSource(redis.url, 7, { startTime: startTime + 3_000 });
    expect(beside.source.epoch).not.toBe(first.source.epoch);
  });

  it('starts a new epoch after a longer outage: gateways restore every symbol from the same market', async () => {
    const redis = await startRedis();
    const startTime = Date.UTC(2026, 0, 5, 15, 0);
    const { first, gateway, client } = await sourceThatStops(redis.url, startTime);

    // Restarted a minute later, past the replay window: it plays on from where the market is.
    const second = await startSource(redis.url, 7, { startTime: startTime + 60_000 });
    expect(second.source.epoch).not.toBe(first.source.epoch);
    await second.flush(5);
    await waitUntilCaughtUp(gateway.server, second.market);
    // Its batches may reach the client inside the restored snapshot or after it.
    await vi.waitFor(() => {
      expect(clientNextSeq(client, ETH)).toBe(nextSeqOf(second.market, ETH));
    }, WAIT);
    const resync = snapshotsOf(client, ETH).at(-1);
    expect(resync?.requestId).toBe(0);
    expect(resync?.nextSeq).toBeLessThan(nextSeqOf(first.market, ETH));
    expect(snapshotBytes(gateway.server.feed.histories, ETH)).toEqual(
      snapshotBytes(second.market.histories, ETH),
    );
    // No jump and no new session: the closed minutes before the restart are the first source's.
    const minutes = (market: Market) => {
      const history = market.histories[universe.findIndex((s) => s.id === ETH)];
      if (!history) throw new Error('no ETH');
      const bytes = encodeSnapshot({ requestId: 0, ...history.snapshot(ETH, scratch) }, writer);
      return decodeSnapshot(bytes).candles.find((series) => series.intervalMs === 60_000)?.candles;
    };
    // (Its window of two hours starts a minute later: they share all but one.)
    const closedBefore = minutes(first.market)?.slice(0, -1) ?? [];
    const after = minutes(second.market) ?? [];
    const shared = after.filter((c) => c.start <= (closedBefore.at(-1)?.start ?? 0));
    expect(shared.length).toBeGreaterThan(100);
    expect(shared).toEqual(closedBefore.filter((c) => c.start >= (shared[0]?.start ?? 0)));
  });

  it('says what Redis refused when the stream key holds something else, and recovers', async () => {
    const redis = await startRedis();
    const { market, flush } = await startSource(redis.url);
    const gateway = await startGateway(redis.url);
    await waitUntilLive(gateway.server);
    const admin = createClient({ url: redis.url });
    await admin.connect();
    cleanups.push(() => admin.close());
    await admin.del('ticker:flushes');
    await admin.set('ticker:flushes', 'not a stream');
    await vi.waitFor(async () => {
      const readyz = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.text()).toMatch(/^not ready: Redis refused a read: WRONGTYPE /);
    }, WAIT);
    await admin.del('ticker:flushes');
    await flush(5);
    await waitUntilLive(gateway.server);
    await waitUntilCaughtUp(gateway.server, market);
  });

  it('serves the history the source plays over HTTP, byte for byte, from gateways started at different times', async () => {
    const redis = await startRedis();
    const { market, flush } = await startSource(redis.url);
    const early = await startGateway(redis.url);
    await waitUntilLive(early.server);
    await flush(50);
    const late = await startGateway(redis.url);
    await waitUntilLive(late.server);
    const end = Date.UTC(2026, 0, 5, 15, 0, 1);
    const queries = [
      `symbol=BTC-USD&interval=1s&end=${end}&limit=300`,
      `symbol=ETH-USD&interval=1m&end=${end}&limit=1000`,
      `symbol=AAPL&interval=1d&end=${end}&limit=365`,
    ];
    const fromSource = new HistoryAnswers(market.path, universe, { private: false });
    for (const query of queries) {
      const expected = fromSource.candles(query, OPEN_GRANT, end);
      if (expected.status !== 200) throw new Error(expected.reason);
      for (const gateway of [early, late]) {
        const answer = await fetch(`http://127.0.0.1:${gateway.port}/api/v1/candles?${query}`);
        expect([answer.status, answer.headers.get('etag'), await answer.text()]).toEqual([
          200,
          expected.etag,
          expected.body,
        ]);
      }
    }
  });

  it('refuses to serve (503, with the reason) a source playing another market', async () => {
    const redis = await startRedis();
    await startSource(redis.url, 8);
    const gateway = await startGateway(redis.url);
    await vi.waitFor(async () => {
      const readyz = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.text()).toBe(
        "not ready: the source's market differs from this gateway's (SEED, TICK_RATE, STOCK_HOURS or UNIVERSE_FILE)\n",
      );
    }, WAIT);
  });

  it('refuses to serve (503, with the reason) a source publishing other symbols', async () => {
    const redis = await startRedis();
    await startSource(redis.url);
    const gateway = await startGateway(redis.url, universe.slice(0, 10));
    await vi.waitFor(async () => {
      const readyz = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.text()).toBe(
        "not ready: the source's symbols differ from this gateway's (UNIVERSE_FILE)\n",
      );
    }, WAIT);
  });
});
