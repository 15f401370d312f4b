import { afterEach, describe, expect, it } from 'vitest';
import { secretKey, signToken } from '@ticker/feed-server';
import type { FeedServer } from '@ticker/feed-server';
import { CloseCode, ErrorCode } from '@ticker/protocol';
import type { FeedClient, FeedError } from '../src/index.js';
import { batchesOf, feedClient, feedServer, until } from './harness.js';

const KEY = secretKey('a test secret that is long enough for HS256 use');
const OTHER_KEY = secretKey('another secret, as long, that this server does not know');

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('FeedClient with an access token', () => {
  it('offers its token, and asks for a fresh one when the server closes an expired one', async () => {
    // The refresh before expiry is refused here (a token signed with another secret), so the
    // first token expires.
    const server = feedServer(0, { access: { secret: KEY, allowedOrigins: [] } });
    servers.push(server);
    const port = await server.listen();
    // The first token has 4–5 s left (enough to be admitted on a loaded machine); later ones an hour.
    const symbols = ['BTC-USD'];
    const tokens = [
      await signToken(KEY, { ttlSeconds: 60, now: Date.now() - 55_000, symbols }),
      await signToken(OTHER_KEY, { ttlSeconds: 3_600, symbols }),
      await signToken(KEY, { ttlSeconds: 3_600, symbols }),
    ];
    let asked = 0;
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, {
      token: () => tokens[Math.min(asked++, tokens.length - 1)] ?? null,
    });
    clients.push(client);
    // Listening before connecting: under load the first token may expire before any batch.
    const expired = until(
      client,
      'state',
      (change) => (change.newState === 'reconnecting' ? change : undefined),
      'the close at expiry',
    );
    const reopened = until(
      client,
      'state',
      (c) => (c.newState === 'open' && c.oldState === 'reconnecting' ? true : undefined),
      'open again',
    );
    const errors: FeedError[] = [];
    client.on('error', (error) => errors.push(error));
    client.connect();
    // Refused whole and forgotten: it must not come back with the resubscribe after reconnecting.
    await expect(client.subscribe(['BTC-USD', 'ETH-USD'])).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    await client.subscribe(['BTC-USD']);
    await batchesOf(client, 'BTC-USD', 2, 'BTC batches with the first token');
    expect((await expired).reason).toContain(String(CloseCode.TokenExpired));
    await reopened;
    await batchesOf(client, 'BTC-USD', 2, 'BTC batches with the fresh token');
    expect(asked).toBe(3);
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      [ErrorCode.Forbidden, 'token signature invalid'],
    ]);
    expect(server.stats.refusedConnections.size).toBe(0);
  });

  it('outlives three token lifetimes on one connection by refreshing its token', async () => {
    const server = feedServer(0, { access: { secret: KEY, allowedOrigins: [] } });
    servers.push(server);
    const port = await server.listen();
    const TTL_SECONDS = 4;
    let issued = 0;
    const tokens: string[] = [];
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, {
      token: () => {
        issued += 1;
        // Signed ahead of time: the function must answer at once (the connect is synchronous).
        return tokens.shift() ?? null;
      },
    });
    clients.push(client);
    for (let i = 0; i < 12; i++)
      tokens.push(await signToken(KEY, { ttlSeconds: TTL_SECONDS + i * 3 }));
    const reconnects: string[] = [];
    client.on('state', (change) => {
      if (change.newState === 'reconnecting') reconnects.push(change.reason);
    });
    const errors: FeedError[] = [];
    client.on('error', (error) => errors.push(error));
    const start = Date.now();
    client.connect();
    await client.subscribe(['BTC-USD']);
    // Batches stamped three lifetimes of the first token (and a check interval) after the start.
    await until(
      client,
      'batch',
      (batch) =>
        batch.count > 0 && Number(batch.time[0]) > start + 3 * TTL_SECONDS * 1_000 + 1_000
          ? true
          : undefined,
      'batches after three token lifetimes',
      30_000,
    );
    expect(reconnects).toEqual([]);
    expect(errors).toEqual([]);
    expect(issued).toBeGreaterThanOrEqual(3);
    expect(server.stats.connectionsAccepted).toBe(1);
  }, 40_000);
});
