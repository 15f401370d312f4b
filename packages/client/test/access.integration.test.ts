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
    // The first token has 9–10 s left (enough to be admitted and stream on two loaded cores);
    // later ones an hour.
    const symbols = ['BTC-USD'];
    const tokens = [
      await signToken(KEY, { ttlSeconds: 60, now: Date.now() - 50_000, symbols }),
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
    // Each token handed out lives about TTL_SECONDS from the moment it is asked for, however late
    // the client asks: a refresh has a quarter of that (2 s) to be acked.
    const TTL_SECONDS = 8;
    const LIFETIMES = 3;
    let issued = 0;
    const signedAt = Date.now();
    // Signed ahead of time, one expiring each second: the function must answer at once (the
    // connect is synchronous).
    const tokens: { expiresAt: number; token: string }[] = [];
    for (let ttl = TTL_SECONDS; ttl <= (LIFETIMES + 2) * TTL_SECONDS; ttl++) {
      const token = await signToken(KEY, { ttlSeconds: ttl, now: signedAt });
      // A JWT's times are whole seconds.
      tokens.push({ expiresAt: Math.floor(signedAt / 1_000) * 1_000 + ttl * 1_000, token });
    }
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, {
      token: () => {
        issued += 1;
        const due = Date.now() + TTL_SECONDS * 1_000;
        return tokens.find(({ expiresAt }) => expiresAt >= due)?.token ?? null;
      },
    });
    clients.push(client);
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
        batch.count > 0 && Number(batch.time[0]) > start + LIFETIMES * TTL_SECONDS * 1_000 + 1_000
          ? true
          : undefined,
      'batches after three token lifetimes',
      45_000,
    );
    expect(reconnects).toEqual([]);
    expect(errors).toEqual([]);
    expect(issued).toBeGreaterThanOrEqual(LIFETIMES);
    expect(server.stats.connectionsAccepted).toBe(1);
  }, 60_000);
});
