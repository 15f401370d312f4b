import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configFromEnv, createServer } from '@ticker/feed-server';
import type { FeedServer } from '@ticker/feed-server';
import { ErrorCode } from '@ticker/protocol';
import { ClientErrorCode, FeedClient, FeedError } from '../src/index.js';
import type { FeedState, WebSocketConstructor } from '../src/index.js';

function serverOn(port: number): FeedServer {
  return createServer({
    ...configFromEnv({ LOG_LEVEL: 'silent' }),
    port,
    host: '127.0.0.1',
    tickRate: 2_000,
    flushIntervalMs: 20,
    staticDir: null,
  });
}

/**
 * A free port to restart on. uSockets sets SO_REUSEADDR only for an explicit port, so a server
 * restarted on a port first bound as 0 would meet its own TIME_WAIT sockets.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(port = 0): Promise<{ port: number; client: FeedClient }> {
  const server = serverOn(port);
  servers.push(server);
  const bound = await server.listen();
  const client = new FeedClient({
    url: `ws://127.0.0.1:${bound}/ws`,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
  });
  clients.push(client);
  return { port: bound, client };
}

function until<T>(
  client: FeedClient,
  event: 'batch' | 'state',
  pick: (payload: never) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, 10_000);
    const off = client.on(event, ((payload: never) => {
      const value = pick(payload);
      if (value === undefined) return;
      clearTimeout(timer);
      off();
      resolve(value);
    }) as never);
  });
}

describe('FeedClient against the real feed server', () => {
  it('connects, resolves a subscribe on ack, and streams consecutive batches', async () => {
    const { client } = await start();
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
      (batch: { symbolId: number; seq: number }) => {
        if (batch.symbolId === btc?.id) seqs.push(batch.seq);
        return seqs.length >= 4 ? true : undefined;
      },
      'four BTC batches',
    );
    expect(seqs.slice(1)).toEqual(seqs.slice(0, -1).map((s) => s + 1));
  });

  it('keeps the hello and measures a round trip with ping', async () => {
    const { client } = await start();
    client.connect();
    await client.subscribe(['BTC-USD']);
    expect(client.hello?.heartbeatIntervalMs).toBe(5_000);
    const rtt = await client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(10_000);
  });

  it('rejects an unknown ticker without contacting the server', async () => {
    const { client } = await start();
    client.connect();
    const error = await client.subscribe(['NOPE']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ClientErrorCode.UnknownTicker);
    expect(ErrorCode.UnknownSymbol).not.toBe(ClientErrorCode.UnknownTicker);
  });

  it('rejects a subscribe still waiting for the directory when closed, instead of hanging', async () => {
    const { client } = await start();
    const pending = client.subscribe(['BTC-USD']).catch((e: unknown) => e);
    client.close();
    const error = await pending;
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ClientErrorCode.Closed);
  });

  it('reconnects after a server restart and resumes its subscriptions', async () => {
    const { port, client } = await start(await freePort());
    client.connect();
    await client.subscribe(['ETH-USD']);
    const eth = client.symbol('ETH-USD')?.id;
    await until(
      client,
      'batch',
      (b: { symbolId: number }) => (b.symbolId === eth ? true : undefined),
      'ETH batch',
    );

    const reconnecting = until(
      client,
      'state',
      (c: { newState: FeedState }) => (c.newState === 'reconnecting' ? true : undefined),
      'reconnecting',
    );
    await servers.splice(0, 1)[0]?.close();
    await reconnecting;

    const restarted = serverOn(port);
    servers.push(restarted);
    await restarted.listen();
    await until(
      client,
      'state',
      (c: { newState: FeedState }) => (c.newState === 'open' ? true : undefined),
      'open again',
    );
    await until(
      client,
      'batch',
      (b: { symbolId: number }) => (b.symbolId === eth ? true : undefined),
      'ETH batch after restart',
    );
  });
});
