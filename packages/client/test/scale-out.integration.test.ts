import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedClient } from '../src/index.js';
// The feed server's own helper: a redis-server of the test's own, never the shared one.
import { RedisServer } from '../../../apps/feed-server/test/redis-server.js';
import { batchesOf, feedClient, freePort, until } from './harness.js';

/** The feed server as operators run it (built before these tests: it is a dev dependency). */
const MAIN = join(
  dirname(createRequire(import.meta.url).resolve('@ticker/feed-server/package.json')),
  'dist/main.js',
);

const processes: ChildProcess[] = [];
const clients: FeedClient[] = [];
let redis: RedisServer | null = null;
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(processes.splice(0).map(stopProcess));
  await redis?.kill();
  redis = null;
});

/** Starts a feed server role and resolves once it prints its line. */
async function launch(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, AUTH_SECRET: '', LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  processes.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => {
      resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`${env.ROLE ?? 'all'} exited with ${code} before it served`));
    });
  });
  return child;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitUntilReady(port: number): Promise<void> {
  await vi.waitFor(
    async () => {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    },
    { timeout: 20_000, interval: 50 },
  );
}

type Tick = readonly [time: number, price: number, size: number, side: number];

/**
 * Everything the client was told about one symbol, per connection: each batch's ticks by seq,
 * each snapshot's ticks, and any break in the series (a batch not continuing its predecessor).
 */
function record(client: FeedClient, ticker: string) {
  const seen = {
    /** Per connection (0, 1, …): seq → ticks. */
    batches: [new Map<number, Tick[]>()],
    snapshots: [] as Array<{ connection: number; nextSeq: number; ticks: Tick[] }>,
    breaks: [] as string[],
  };
  let next: number | null = null;
  client.on('state', (change) => {
    if (change.newState === 'reconnecting') {
      next = null;
      seen.batches.push(new Map());
    }
  });
  client.on('snapshot', (snapshot) => {
    if (snapshot.symbolId !== client.symbol(ticker)?.id) return;
    const { history } = snapshot;
    const ticks: Tick[] = [];
    for (let i = 0; i < history.count; i++) {
      ticks.push([
        history.time[i] ?? 0,
        history.price[i] ?? 0,
        history.size[i] ?? 0,
        history.side[i] ?? 0,
      ]);
    }
    seen.snapshots.push({ connection: seen.batches.length - 1, nextSeq: snapshot.nextSeq, ticks });
    next = snapshot.nextSeq;
  });
  client.on('batch', (batch) => {
    if (batch.symbolId !== client.symbol(ticker)?.id) return;
    if (next !== null && batch.seq !== next) seen.breaks.push(`expected ${next}, got ${batch.seq}`);
    next = batch.seq + 1;
    const ticks: Tick[] = [];
    for (let i = 0; i < batch.count; i++) {
      ticks.push([batch.time[i] ?? 0, batch.price[i] ?? 0, batch.size[i] ?? 0, batch.side[i] ?? 0]);
    }
    seen.batches.at(-1)?.set(batch.seq, ticks);
  });
  return seen;
}

describe('FeedClient across gateways fed by one source through Redis', () => {
  it('moves to the other gateway when its own is killed and continues the same series', async () => {
    redis = await RedisServer.start();
    const [sourcePort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    const shared = { REDIS_URL: redis.url, TICK_RATE: '2000', FLUSH_INTERVAL_MS: '20' };
    await launch({ ...shared, ROLE: 'source', PORT: String(sourcePort) });
    const gatewayA = await launch({ ...shared, ROLE: 'gateway', PORT: String(portA) });
    await launch({ ...shared, ROLE: 'gateway', PORT: String(portB) });
    await Promise.all([sourcePort, portA, portB].map(waitUntilReady));

    const client = feedClient([`ws://127.0.0.1:${portA}/ws`, `ws://127.0.0.1:${portB}/ws`]);
    clients.push(client);
    const btc = record(client, 'BTC-USD');
    const eth = record(client, 'ETH-USD');
    client.connect();
    await client.subscribe(['BTC-USD', 'ETH-USD']);
    // Both series must have streamed from A before it dies: on a loaded machine ETH's snapshot
    // can come after BTC's tenth batch, and A would then have sent ETH nothing to compare.
    await Promise.all([
      batchesOf(client, 'BTC-USD', 10, 'BTC batches from gateway A'),
      batchesOf(client, 'ETH-USD', 10, 'ETH batches from gateway A'),
    ]);
    expect(client.url).toBe(`ws://127.0.0.1:${portA}/ws`);

    const reopened = until(
      client,
      'state',
      (change) => (change.newState === 'open' ? change : undefined),
      'open on gateway B',
      20_000,
    );
    gatewayA.kill('SIGKILL');
    await reopened;
    expect(client.url).toBe(`ws://127.0.0.1:${portB}/ws`);
    await batchesOf(client, 'BTC-USD', 10, 'BTC batches from gateway B');
    await batchesOf(client, 'ETH-USD', 10, 'ETH batches from gateway B');

    for (const seen of [btc, eth]) {
      expect(seen.breaks).toEqual([]);
      const [fromA, fromB] = seen.batches;
      const snapshotB = seen.snapshots.find((s) => s.connection === 1);
      if (!fromA || !fromB || !snapshotB) throw new Error('expected a series on each gateway');
      expect(fromA.size).toBeGreaterThan(0);
      expect(fromB.size).toBeGreaterThan(0);
      // Gateway B numbers the series as A did (the source does): any seq both sent is the same
      // batch, and B's snapshot holds every tick A had sent before it.
      for (const [seq, ticks] of fromB) {
        if (fromA.has(seq)) expect(ticks).toEqual(fromA.get(seq));
      }
      const inSnapshot = new Set(snapshotB.ticks.map((tick) => tick.join()));
      const oldestInSnapshot = snapshotB.ticks[0]?.[0] ?? Infinity;
      let compared = 0;
      for (const [seq, ticks] of fromA) {
        if (seq >= snapshotB.nextSeq) continue;
        for (const tick of ticks) {
          if (tick[0] <= oldestInSnapshot) continue;
          expect(inSnapshot.has(tick.join())).toBe(true);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(0);
    }
    expect(client.metrics().gaps).toBe(0);
    // Redis, a source and two gateways started and made ready, then a failover: 30.1 s once
    // when every suite shared two slow cores.
  }, 90_000);
});
