/**
 * `history()` against the real feed server's history API: the candles it returns are the ones the
 * WebSocket's snapshot carries for the same minutes, in the same scaled integers, and the
 * server's refusals arrive as typed errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { secretKey, signToken } from '@ticker/feed-server';
import type { FeedServer, ServerConfig } from '@ticker/feed-server';
import type { Snapshot } from '@ticker/protocol';
import { ClientErrorCode, HistoryError } from '../src/index.js';
import type { FeedClient } from '../src/index.js';
import { feedClient, feedServer, freePort } from './harness.js';

const FROZEN_AT = Date.UTC(2026, 10, 30, 15, 30, 12, 345);
const MINUTE = 60_000;
const KEY = secretKey('a test secret that is long enough for HS256 use');

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function started(overrides: Partial<ServerConfig> = {}): Promise<string> {
  const port = await freePort();
  const server = feedServer(port, { frozenAt: FROZEN_AT, ...overrides });
  servers.push(server);
  await server.listen();
  return `ws://127.0.0.1:${port}/ws`;
}

function client(url: string, token?: string): FeedClient {
  const made = feedClient(url, token === undefined ? {} : { token });
  clients.push(made);
  return made;
}

describe('history() against the feed server', () => {
  it('returns the closed minutes the snapshot carries, in the same scaled integers', async () => {
    const feed = client(await started());
    const btc = feed.subscription('BTC-USD');
    const snapshot = new Promise<Snapshot>((resolve) => {
      btc.on('snapshot', resolve);
    });
    btc.subscribe();
    feed.connect();
    const minutes = (await snapshot).candles.find((series) => series.intervalMs === MINUTE);
    // Closed by the frozen instant: every minute of the snapshot's series but the open one.
    const closed = minutes?.candles.slice(0, -1) ?? [];
    expect(closed.length).toBeGreaterThan(100);
    const history = await feed.history({
      symbol: 'BTC-USD',
      interval: '1m',
      end: FROZEN_AT,
      limit: closed.length,
    });
    expect(history).toMatchObject({ symbol: 'BTC-USD', interval: '1m', intervalMs: MINUTE });
    expect(history.candles).toEqual(closed);
  });

  it('ends with the open candle without end, and needs no connection', async () => {
    const feed = client(await started());
    const days = await feed.history({ symbol: 'ETH-USD', interval: '1d', limit: 365 });
    expect(days.candles).toHaveLength(365);
    expect(days.candles.at(-1)?.start).toBe(Math.floor(FROZEN_AT / 86_400_000) * 86_400_000);
    // A frozen market's answers are as of the instant it froze at (docs/API.md).
    expect(days.asOf).toBe(FROZEN_AT);
  });

  it('rejects with a HistoryError carrying the status and the reason', async () => {
    const feed = client(await started());
    const refusal = await feed.history({ symbol: 'NOPE-USD', interval: '1h' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(HistoryError);
    expect(refusal).toMatchObject({
      code: ClientErrorCode.HistoryRefused,
      status: 404,
      reason: 'unknown symbol: NOPE-USD',
    });
  });

  it('sends its token: granted symbols answer, others are refused with 403', async () => {
    const url = await started({ access: { secret: KEY, allowedOrigins: [] } });
    const token = await signToken(KEY, { ttlSeconds: 60, symbols: ['BTC-USD'] });
    const feed = client(url, token);
    const granted = await feed.history({ symbol: 'BTC-USD', interval: '5m', limit: 12 });
    expect(granted.candles).toHaveLength(12);
    await expect(feed.history({ symbol: 'ETH-USD', interval: '5m' })).rejects.toMatchObject({
      status: 403,
      reason: 'symbol ETH-USD is not granted by the token',
    });
    await expect(client(url).history({ symbol: 'BTC-USD', interval: '5m' })).rejects.toMatchObject({
      status: 401,
    });
  });
});
