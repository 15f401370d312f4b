import { afterEach, describe, expect, it } from 'vitest';
import type { FeedServer } from '@ticker/feed-server';
import { ErrorCode } from '@ticker/protocol';
import { ClientErrorCode, FeedError } from '../src/index.js';
import type { FeedClient, FeedState } from '../src/index.js';
import { feedClient, feedServer, until } from './harness.js';

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<FeedClient> {
  const server = feedServer(0);
  servers.push(server);
  const port = await server.listen();
  const client = feedClient(`ws://127.0.0.1:${port}/ws`);
  clients.push(client);
  return client;
}

describe('FeedClient against the real feed server', () => {
  it('connects, resolves a subscribe on ack, and streams consecutive batches', async () => {
    const client = await start();
    const states: FeedState[] = [];
    client.on('state', (change) => states.push(change.newState));
    client.connect();
    await client.subscribe(['BTC-USD']);
    expect(client.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
    const btc = client.symbol('BTC-USD');
    expect(btc?.name).toBe('Bitcoin');

    const seqs: number[] = [];
    await until(
      client,
      'batch',
      (batch) => {
        if (batch.symbolId === btc?.id) seqs.push(batch.seq);
        return seqs.length >= 4 ? true : undefined;
      },
      'four BTC batches',
    );
    expect(seqs.slice(1)).toEqual(seqs.slice(0, -1).map((s) => s + 1));
  });

  it('measures RTT, tick age, clock offset and rates', async () => {
    const client = await start();
    client.connect();
    await client.subscribe(['BTC-USD', 'ETH-USD']);
    expect(client.hello?.heartbeatIntervalMs).toBe(5_000);
    const rtt = await client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(10_000);
    let batches = 0;
    await until(client, 'batch', () => (++batches >= 20 ? true : undefined), '20 batches');
    // Rates count whole seconds only: on a slow start the last complete second may have held
    // nothing but the handshake, so wait for one that held batches.
    await until(
      client,
      'batch',
      () => (client.metrics().ticksPerSecond > 0 ? true : undefined),
      'a second with ticks',
    );

    const metrics = client.metrics();
    expect(metrics.rttMs?.samples).toBeGreaterThanOrEqual(1);
    // Same machine, same clock: the offset is within the round trip's uncertainty.
    expect(Math.abs(metrics.clockOffsetMs ?? Infinity)).toBeLessThan(1_000);
    // Ages are measured in milliseconds on one clock: never below the offset's uncertainty, and
    // seconds at most, never a unit or epoch off. How small they are is the benchmarks' figure
    // (bench/BENCHMARKS.md), not this test's: every suite shares two cores here.
    expect(metrics.tickAgeMs?.samples).toBeGreaterThan(0);
    expect(metrics.tickAgeMs?.p50).toBeGreaterThanOrEqual(-5);
    expect(metrics.tickAgeMs?.p99).toBeGreaterThanOrEqual(metrics.tickAgeMs?.p50 ?? Infinity);
    expect(metrics.tickAgeMs?.p99).toBeLessThan(10_000);
    expect(metrics.framesPerSecond).toBeGreaterThan(0);
    expect(metrics.ticksPerSecond).toBeGreaterThan(0);
    expect(metrics.bytesPerSecond).toBeGreaterThan(metrics.framesPerSecond);
  });

  it('rejects a ticker missing from the directory with the protocol code UnknownSymbol', async () => {
    const client = await start();
    client.connect();
    const error = await client.subscribe(['BTC-USD', 'NOPE']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ErrorCode.UnknownSymbol);
    expect((error as FeedError).message).toContain('NOPE');
    // Nothing of the failed request was kept.
    await client.subscribe(['ETH-USD']);
    const eth = client.symbol('ETH-USD')?.id;
    const btc = client.symbol('BTC-USD')?.id;
    const seen = new Set<number>();
    await until(
      client,
      'batch',
      (batch) => (seen.add(batch.symbolId).size > 0 && batch.symbolId === eth ? true : undefined),
      'ETH batch',
    );
    expect(seen.has(btc ?? -1)).toBe(false);
  });

  it('rejects a subscribe still waiting for the directory when closed, instead of hanging', async () => {
    const client = await start();
    const pending = client.subscribe(['BTC-USD']).catch((e: unknown) => e);
    client.close();
    const error = await pending;
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ClientErrorCode.Closed);
  });
});
