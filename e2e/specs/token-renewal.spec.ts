import { secretKey, signToken, verifyToken } from '@ticker/feed-server';
import type { WebSocket } from '@playwright/test';
import { expect, test } from '../fixtures/dashboard.js';
import { startFeedServer } from '../server.js';

const SECRET = 'an e2e secret that is long enough for HS256 use';
const KEY = secretKey(SECRET);
/**
 * Short lifetimes, so that three of them pass in a minute; long enough that a renewal, asked at
 * half a token's remaining life, is answered and presented well before it expires on a loaded
 * machine (the test's own route answers it). Loaded CI runs delayed one renewal past the token's
 * end twice: with 6 s the connection was replaced, and with 10 s a renewal asked 5 s before the
 * expiry reached the route 6.5 s late, while the e2e suite shared two cores with every other.
 */
const TTL_SECONDS = 20;
const RENEW_PATH = '/auth/ticker-token';

test('a dashboard whose token names a renewal path outlives three token lifetimes on one connection', async ({
  dashboard,
  page,
}) => {
  test.setTimeout(150_000);
  const server = await startFeedServer({ AUTH_SECRET: SECRET });
  try {
    // The operator's auth service, played by the test: a valid current token buys a fresh one.
    const renewedAt: number[] = [];
    await page.route(`**${RENEW_PATH}`, async (route) => {
      const request = route.request();
      const bearer = (await request.headerValue('authorization'))?.replace(/^Bearer /, '') ?? '';
      try {
        if (request.method() !== 'POST') throw new Error('renewals are POSTed');
        await verifyToken(bearer, KEY, Date.now());
      } catch (error) {
        await route.fulfill({ status: 401, body: String(error) });
        return;
      }
      renewedAt.push(Date.now());
      const fresh = await signToken(KEY, { ttlSeconds: TTL_SECONDS, renewPath: RENEW_PATH });
      await route.fulfill({ status: 200, contentType: 'text/plain', body: fresh });
    });
    const sockets: WebSocket[] = [];
    page.on('websocket', (socket) => sockets.push(socket));

    const link = await signToken(KEY, { ttlSeconds: TTL_SECONDS, renewPath: RENEW_PATH });
    const openedAt = Date.now();
    await dashboard.open(`?symbols=BTC-USD&token=${link}`, server.url);
    await expect(dashboard.status).toHaveText('Live');

    // Renewal after renewal, until one comes after three lifetimes of the link's token.
    const threeLifetimes = openedAt + 3 * TTL_SECONDS * 1_000;
    await expect
      .poll(() => renewedAt.filter((at) => at > threeLifetimes).length, { timeout: 100_000 })
      .toBeGreaterThan(0);
    // Every token before it expired on the feed's side unless presented on the connection:
    // one socket, never closed (4002 would close it at the first expiry), still streaming.
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.isClosed()).toBe(false);
    await expect(dashboard.status).toHaveText('Live');
    await dashboard.chart('BTC-USD').expectLive();
    expect(renewedAt.length).toBeGreaterThanOrEqual(5);
  } finally {
    await server.stop();
  }
});
