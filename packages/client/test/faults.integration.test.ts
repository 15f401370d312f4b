import { afterEach, describe, expect, it } from 'vitest';
import type { FeedServer } from '@ticker/feed-server';
import {
  ErrorCode,
  MessageType,
  decodeSymbolDirectory,
  decodeTickBatch,
  encodeSymbolDirectory,
} from '@ticker/protocol';
import { FeedError } from '../src/index.js';
import type { FeedClient, SequenceGap } from '../src/index.js';
import { FaultProxy } from './fault-proxy.js';
import { batchesOf, feedClient, feedServer, freePort, until } from './harness.js';

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(port = 0, heartbeatIntervalMs = 5_000) {
  const server = feedServer(port, { heartbeatIntervalMs });
  servers.push(server);
  return { server, port: await server.listen() };
}

function track(client: FeedClient): FeedClient {
  clients.push(client);
  return client;
}

/**
 * Follows one symbol's series as a consumer would: each batch must continue from the snapshot or
 * the batch before it. Returns what it saw.
 */
function followSeries(client: FeedClient, ticker: string) {
  const seen = { batches: 0, snapshots: 0, breaks: [] as string[], gaps: [] as SequenceGap[] };
  let next: number | null = null;
  client.on('snapshot', (snapshot) => {
    if (snapshot.symbolId !== client.symbol(ticker)?.id) return;
    seen.snapshots += 1;
    next = snapshot.nextSeq;
  });
  client.on('batch', (batch) => {
    if (batch.symbolId !== client.symbol(ticker)?.id) return;
    if (next !== null && batch.seq !== next) seen.breaks.push(`expected ${next}, got ${batch.seq}`);
    next = batch.seq + 1;
    seen.batches += 1;
  });
  client.on('gap', (gap) => seen.gaps.push(gap));
  client.on('state', (change) => {
    if (change.newState === 'reconnecting') next = null; // the next series starts at a snapshot
  });
  return seen;
}

describe('FeedClient under faults', () => {
  it('survives the server being killed and restarted mid-stream: resubscribes, no gap', async () => {
    const port = await freePort();
    await startServer(port);
    const client = track(feedClient(`ws://127.0.0.1:${port}/ws`));
    const series = followSeries(client, 'ETH-USD');
    client.connect();
    await client.subscribe(['ETH-USD']);
    await batchesOf(client, 'ETH-USD', 5, 'ETH batches');

    const reconnecting = until(
      client,
      'state',
      (c) => (c.newState === 'reconnecting' ? c : undefined),
      'reconnecting',
    );
    await servers.splice(0, 1)[0]?.close();
    expect((await reconnecting).reason).toMatch(/closed by server/);
    const before = series.batches;

    await startServer(port);
    await until(client, 'state', (c) => (c.newState === 'open' ? true : undefined), 'open again');
    await batchesOf(client, 'ETH-USD', 5, 'ETH batches after restart');
    expect(series.batches).toBeGreaterThan(before);
    expect(series.snapshots).toBe(2); // one per connection: the series restarted from it
    expect(series.breaks).toEqual([]);
    expect(series.gaps).toEqual([]);
    expect(client.metrics().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('detects dropped batches, resyncs, and continues a consistent series', async () => {
    const { port } = await startServer();
    const proxy = await FaultProxy.start(`ws://127.0.0.1:${port}/ws`);
    proxies.push(proxy);
    const client = track(feedClient(proxy.url));
    const series = followSeries(client, 'BTC-USD');
    client.connect();
    await client.subscribe(['BTC-USD']);
    await batchesOf(client, 'BTC-USD', 3, 'BTC batches');

    const btc = client.symbol('BTC-USD')?.id;
    let dropped = 0;
    proxy.dropFromServer = (frame) =>
      frame[1] === MessageType.TickBatch &&
      decodeTickBatch(frame).symbolId === btc &&
      ++dropped <= 2;
    const resync = until(client, 'resync', (r) => r, 'resync');
    const gap = await until(client, 'gap', (g) => g, 'gap');
    expect(gap.symbolId).toBe(btc);
    expect(gap.received - gap.expected).toBe(2);
    expect((await resync).symbolId).toBe(btc);

    await batchesOf(client, 'BTC-USD', 5, 'BTC batches after resync');
    expect(series.gaps).toHaveLength(1);
    expect(series.snapshots).toBe(2); // the subscribe's, then the resync's
    // The only break in the series is the detected one; after the resync it runs on unbroken.
    expect(series.breaks).toEqual([`expected ${gap.expected}, got ${gap.received}`]);
    expect(client.state).toBe('open');
  });

  it('reconnects through the watchdog when the server goes silent', async () => {
    const { port } = await startServer(0, 200);
    const proxy = await FaultProxy.start(`ws://127.0.0.1:${port}/ws`);
    proxies.push(proxy);
    const client = track(feedClient(proxy.url));
    client.connect();
    await client.subscribe(['BTC-USD']);
    await batchesOf(client, 'BTC-USD', 2, 'BTC batches');

    const reconnecting = until(
      client,
      'state',
      (c) => (c.newState === 'reconnecting' ? c.reason : undefined),
      'watchdog',
    );
    proxy.silenceCurrent();
    expect(await reconnecting).toMatch(/no frame from the server for \d+ ms/);
    await until(client, 'state', (c) => (c.newState === 'open' ? true : undefined), 'open again');
    await batchesOf(client, 'BTC-USD', 2, 'BTC batches on the new connection');
  });

  it("rejects a subscribe with the server's code when the server does not know the symbol", async () => {
    const { port } = await startServer();
    const proxy = await FaultProxy.start(`ws://127.0.0.1:${port}/ws`);
    proxies.push(proxy);
    // The client's directory lists a symbol the server has never heard of.
    proxy.rewriteFromServer = (frame) => {
      if (frame[1] !== MessageType.SymbolDirectory) return frame;
      const directory = decodeSymbolDirectory(frame);
      const ghost = { ...directory.symbols[0], id: 60_000, ticker: 'GHOST', name: 'Ghost' };
      return encodeSymbolDirectory({ symbols: [...directory.symbols, ghost] } as never);
    };
    const client = track(feedClient(proxy.url));
    client.connect();
    const error = await client.subscribe(['GHOST']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ErrorCode.UnknownSymbol);
    expect((error as FeedError).message).toMatch(/unknown symbol id\(s\): 60000/);
    // The connection and other subscriptions are unaffected.
    await client.subscribe(['BTC-USD']);
    await batchesOf(client, 'BTC-USD', 2, 'BTC batches');
    expect(client.state).toBe('open');
  });
});
