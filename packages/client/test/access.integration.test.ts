import { afterEach, describe, expect, it } from 'vitest';
import { secretKey, signToken } from '@ticker/feed-server';
import type { FeedServer } from '@ticker/feed-server';
import { CloseCode, ErrorCode } from '@ticker/protocol';
import type { FeedClient, FeedError } from '../src/index.js';
import { batchesOf, feedClient, feedServer, until } from './harness.js';

const KEY = secretKey('a test secret that is long enough for HS256 use');

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('FeedClient with an access token', () => {
  it('offers its token, and asks for a fresh one when the server closes an expired one', async () => {
    const server = feedServer(0, { access: { secret: KEY, allowedOrigins: [] } });
    servers.push(server);
    const port = await server.listen();
    // The first token has 4–5 s left (enough to be admitted on a loaded machine); later ones an hour.
    const symbols = ['BTC-USD'];
    const tokens = [
      await signToken(KEY, { ttlSeconds: 60, now: Date.now() - 55_000, symbols }),
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
    expect(asked).toBe(2);
    expect(errors).toEqual([]);
    expect(server.stats.refusedConnections.size).toBe(0);
  });
});
