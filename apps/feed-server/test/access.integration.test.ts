import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CloseCode,
  ErrorCode,
  MessageType,
  decodeAck,
  decodeErrorReply,
  decodeSnapshot,
  decodeTickBatch,
  encodeRefreshToken,
  encodeResync,
  encodeSubscribe,
} from '@ticker/protocol';
import { secretKey, signToken } from '../src/auth/tokens.js';
import type { AccessConfig } from '../src/transport/admission.js';
import type { ConnectionLimits, FeedServer } from '../src/transport/feed-server.js';
import { DEFAULT_CONNECTION_LIMITS, defaultUniverse } from '../src/config.js';
import { TestSocket, attempt, startServer, typeOf } from './harness.js';

const SECRET = 'a test secret that is long enough for HS256 use';
const KEY = secretKey(SECRET);
const BTC = 1;
const ETH = 2;

let server: FeedServer | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await server?.close();
  server = null;
});

async function serverWith(
  access: Partial<AccessConfig>,
  limits: Partial<ConnectionLimits> = {},
): Promise<{ url: string; port: number }> {
  const started = await startServer({
    access: { secret: null, allowedOrigins: [], ...access },
    limits: { ...DEFAULT_CONNECTION_LIMITS, ...limits },
  });
  server = started.server;
  return started;
}

async function opened(url: string): Promise<TestSocket> {
  const socket = await TestSocket.open(url);
  sockets.push(socket);
  return socket;
}

const token = (options: Parameters<typeof signToken>[1]) => signToken(KEY, options);

describe('access tokens', () => {
  it('refuses a connection without a valid token with 401 and a reason, before any socket', async () => {
    const { url } = await serverWith({ secret: KEY });
    const past = Date.now() - 3_600_000;
    const cases: Array<[string, string]> = [
      ['', 'an access token is required: pass ?token=… or the subprotocol ticker.token.…'],
      [`?token=${await token({ ttlSeconds: 60, now: past })}`, 'token expired'],
      [
        `?token=${await signToken(secretKey('another secret of at least thirty-two bytes'), { ttlSeconds: 60 })}`,
        'token signature invalid',
      ],
      ['?token=not.a.jwt', 'token malformed'],
    ];
    for (const [query, reason] of cases) {
      expect(await attempt(url + query)).toEqual({ status: 401, body: `${reason}\n` });
    }
    expect(server?.stats.refusedConnections.get('token_missing')).toBe(1);
    expect(server?.stats.refusedConnections.get('token_invalid')).toBe(3);
    expect(server?.stats.connectionsAccepted).toBe(0);
  });

  it('admits a token in the query or as a subprotocol, answering with the ticker subprotocol', async () => {
    const { url } = await serverWith({ secret: KEY });
    const valid = await token({ ttlSeconds: 60 });
    const byQuery = await opened(`${url}?token=${valid}`);
    await byQuery.next((f) => typeOf(f) === MessageType.SymbolDirectory, 'directory');

    const bySubprotocol = await attempt(url, { protocols: ['ticker', `ticker.token.${valid}`] });
    expect(bySubprotocol.status).toBe(101);
    expect(bySubprotocol.socket?.protocol).toBe('ticker');
    bySubprotocol.socket?.close();
    expect(server?.stats.connectionsAccepted).toBe(2);
  });

  it('lets a token restricted to some symbols subscribe to those only', async () => {
    const { url } = await serverWith({ secret: KEY });
    const client = await opened(
      `${url}?token=${await token({ ttlSeconds: 60, symbols: ['BTC-USD'] })}`,
    );

    client.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC, ETH] }));
    const refused = decodeErrorReply(
      await client.next((f) => typeOf(f) === MessageType.Error, 'forbidden'),
    );
    expect(refused).toEqual({
      requestId: 1,
      code: ErrorCode.Forbidden,
      message: 'your access token does not cover: ETH-USD',
    });

    client.send(encodeSubscribe({ requestId: 2, symbolIds: [BTC] }));
    expect(decodeAck(await client.next((f) => typeOf(f) === MessageType.Ack, 'ack'))).toEqual({
      requestId: 2,
    });
    const snapshot = decodeSnapshot(
      await client.next((f) => typeOf(f) === MessageType.Snapshot, 'snapshot'),
    );
    expect(snapshot.symbolId).toBe(BTC);

    client.send(encodeResync({ requestId: 3, symbolId: ETH }));
    const resync = decodeErrorReply(
      await client.next(
        (f) => typeOf(f) === MessageType.Error && decodeErrorReply(f).requestId === 3,
        'forbidden resync',
      ),
    );
    expect(resync.code).toBe(ErrorCode.Forbidden);
    expect(server?.stats.rejectedRequests.get('forbidden_symbol')).toBe(2);
  });

  it('tells a plain GET of /ws why an upgrade would be refused, for browsers that cannot see it', async () => {
    const { port } = await serverWith({ secret: KEY });
    const probe = (headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/ws`, { headers }).then(async (r) => [
        r.status,
        await r.text(),
      ]);
    expect(await probe()).toEqual([
      401,
      'an access token is required: pass ?token=… or the subprotocol ticker.token.…\n',
    ]);
    expect(await probe({ authorization: 'Bearer not.a.jwt' })).toEqual([401, 'token malformed\n']);
    const valid = await token({ ttlSeconds: 60 });
    expect(await probe({ authorization: `Bearer ${valid}` })).toEqual([
      426,
      'admitted: connect with a WebSocket\n',
    ]);
    expect(await probe({ origin: 'https://evil.example' })).toEqual([
      403,
      'origin https://evil.example is not allowed to connect\n',
    ]);
  });

  it('closes a connection with 4002 when its token expires', async () => {
    const { url } = await serverWith({ secret: KEY });
    // Issued 57 s ago for 60 s: 2–3 s left, enough to be admitted on a loaded machine.
    const expiring = await token({ ttlSeconds: 60, now: Date.now() - 57_000 });
    const client = await opened(`${url}?token=${expiring}`);
    expect(await client.closed).toEqual({
      code: CloseCode.TokenExpired,
      reason: 'access token expired',
    });
  });
});

describe('token refresh', () => {
  /** A connection on a token with `secondsLeft` to live, holding BTC-USD. */
  async function expiringSoon(url: string, secondsLeft: number) {
    const ttlSeconds = 60;
    const now = Date.now() - (ttlSeconds - secondsLeft) * 1000;
    const first = await token({ ttlSeconds, now, symbols: ['BTC-USD', 'ETH-USD'] });
    const client = await opened(`${url}?token=${first}`);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [1] }));
    await client.next((f) => typeOf(f) === MessageType.TickBatch, 'a BTC batch');
    return { client, expiresAt: now + ttlSeconds * 1000 };
  }
  const answerTo = (client: TestSocket, requestId: number) =>
    client.next(
      (f) =>
        (typeOf(f) === MessageType.Ack && decodeAck(f).requestId === requestId) ||
        (typeOf(f) === MessageType.Error && decodeErrorReply(f).requestId === requestId),
      `the answer to request ${requestId}`,
    );

  it('keeps a connection past its first token with a fresh one, resending nothing', async () => {
    const { url } = await serverWith({ secret: KEY });
    const { client, expiresAt } = await expiringSoon(url, 4);
    const fresh = await token({ ttlSeconds: 3_600, symbols: ['BTC-USD'] });
    client.send(encodeRefreshToken({ requestId: 2, token: fresh }));
    expect(typeOf(await answerTo(client, 2))).toBe(MessageType.Ack);
    const snapshots = client.frames.filter((f) => typeOf(f) === MessageType.Snapshot).length;
    // Batches stamped two seconds past the old expiry: the server checks expiries every second.
    await client.next(
      (f) =>
        typeOf(f) === MessageType.TickBatch &&
        Number(decodeTickBatch(f).time[0]) > expiresAt + 2_000,
      'batches after the first token expired',
      20_000,
    );
    expect(client.frames.filter((f) => typeOf(f) === MessageType.Snapshot)).toHaveLength(snapshots);
  });

  it('lets a token of an asset class subscribe to every symbol of it, and to its tickers besides', async () => {
    const { url } = await serverWith({ secret: KEY });
    const grant = await token({ ttlSeconds: 60, assetClasses: ['crypto'], symbols: ['MSFT'] });
    const client = await opened(`${url}?token=${grant}`);
    const idOf = (ticker: string) => defaultUniverse().findIndex((s) => s.ticker === ticker) + 1;

    client.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC, idOf('AAPL'), idOf('NVDA')] }));
    expect(decodeErrorReply(await answerTo(client, 1))).toEqual({
      requestId: 1,
      code: ErrorCode.Forbidden,
      message: 'your access token does not cover: AAPL, NVDA',
    });
    client.send(encodeSubscribe({ requestId: 2, symbolIds: [BTC, ETH, idOf('MSFT')] }));
    expect(decodeAck(await answerTo(client, 2))).toEqual({ requestId: 2 });
  });

  it('refuses a refresh that is invalid or gives up a symbol held, and the old expiry stands', async () => {
    const { url } = await serverWith({ secret: KEY });
    const { client } = await expiringSoon(url, 4);
    client.send(encodeRefreshToken({ requestId: 2, token: 'not.a.jwt' }));
    client.send(
      encodeRefreshToken({
        requestId: 3,
        token: await token({ ttlSeconds: 3_600, symbols: ['ETH-USD'] }),
      }),
    );
    expect(decodeErrorReply(await answerTo(client, 2))).toEqual({
      requestId: 2,
      code: ErrorCode.Forbidden,
      message: 'token malformed',
    });
    expect(decodeErrorReply(await answerTo(client, 3))).toEqual({
      requestId: 3,
      code: ErrorCode.Forbidden,
      message: 'the new token does not cover: BTC-USD',
    });
    expect(await client.closed).toEqual({
      code: CloseCode.TokenExpired,
      reason: 'access token expired',
    });
    expect(server?.stats.rejectedRequests.get('token_refresh')).toBe(2);
  });
});

describe('origins', () => {
  it('admits clients without an Origin and the server’s own origin; refuses others with 403', async () => {
    const { url, port } = await serverWith({});
    expect((await attempt(url)).status).toBe(101);
    expect((await attempt(url, { origin: `http://127.0.0.1:${port}` })).status).toBe(101);
    expect(await attempt(url, { origin: 'https://evil.example' })).toEqual({
      status: 403,
      body: 'origin https://evil.example is not allowed to connect\n',
    });
    expect(server?.stats.refusedConnections.get('origin')).toBe(1);
  });

  it('serves only the pinned hosts, and takes only them for its own origin (DNS rebinding)', async () => {
    const { url, port } = await serverWith({ publicHosts: ['ticker.example'] });
    const own = { host: 'ticker.example', origin: 'http://ticker.example' };
    expect((await attempt(url, own)).status).toBe(101);
    expect((await attempt(url, { host: 'ticker.example' })).status).toBe(101);
    // A page on a name rebound to this server's address: its Origin matches its Host.
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    expect(await attempt(url, rebound)).toEqual({
      status: 421,
      body: `host evil.example:${port} is not served here\n`,
    });
    // The right Host, with an Origin that only matched a spoofed one.
    expect(
      (await attempt(url, { host: 'ticker.example', origin: 'http://evil.example' })).status,
    ).toBe(403);
    expect(server?.stats.refusedConnections.get('host')).toBe(1);
    expect(server?.stats.refusedConnections.get('origin')).toBe(1);
    // Its pages too; health checks come from load balancers, by address.
    const page = (host: string) =>
      new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/', headers: { host } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });
    expect(await page('evil.example')).toBe(421);
    expect(await page('ticker.example')).not.toBe(421);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('admits the configured origins, or any with *', async () => {
    const { url } = await serverWith({ allowedOrigins: ['https://app.example'] });
    expect((await attempt(url, { origin: 'https://app.example' })).status).toBe(101);
    expect((await attempt(url, { origin: 'https://app.example:8443' })).status).toBe(403);
    await server?.close();
    const open = await serverWith({ allowedOrigins: ['*'] });
    expect((await attempt(open.url, { origin: 'https://anywhere.example' })).status).toBe(101);
  });
});

describe('upgrade rate', () => {
  it('refuses an address opening connections faster than allowed with 429, and counts it', async () => {
    // A burst of 2 + 1, then one per second.
    const { url, port } = await serverWith({}, { maxConnectionsPerIp: 2, maxUpgradesPerSecond: 1 });
    for (let i = 0; i < 3; i++) {
      const { socket } = await attempt(url);
      expect(socket).toBeDefined();
      socket?.terminate();
    }
    expect(await attempt(url)).toEqual({
      status: 429,
      body: 'at most 1 new connections per second per address\n',
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('ticker_connections_refused_total{reason="upgrade_rate"} 1');
  });
});
