import { expect, test } from '../fixtures/dashboard.js';
import { startRedis } from '../redis.js';
import type { RunningRedis } from '../redis.js';
import { startFeedServer, startMarketSource } from '../server.js';
import type { RunningServer } from '../server.js';

/** Within "a few seconds": the gateway calls its data delayed after 3 s without an entry. */
const NOTICED_WITHIN_MS = 10_000;

test('a scaled-out market whose source stops: delayed since its last data, stale prices, then live again', async ({
  dashboard,
  page,
}) => {
  const running: Array<RunningServer | RunningRedis> = [];
  try {
    const redis = await startRedis();
    running.push(redis);
    let source = await startMarketSource(redis.url, { LOG_LEVEL: 'error' });
    running.push(source);
    // It warns that a new source took over: expected here, and not worth the noise.
    const gateway = await startFeedServer({
      ROLE: 'gateway',
      REDIS_URL: redis.url,
      LOG_LEVEL: 'error',
    });
    running.push(gateway);

    await dashboard.open('?symbols=BTC-USD,ETH-USD', gateway.url);
    const btc = dashboard.chart('BTC-USD');
    await expect(dashboard.status).toHaveText('Live');
    await btc.expectLive();
    await expect(btc.staleTag).toBeHidden();

    const stoppedAt = new Date();
    await source.stop();
    // The connection stays open; the market data behind it has stopped.
    await expect(dashboard.status).toHaveText(/^Delayed since \d\d:\d\d:\d\d$/, {
      timeout: NOTICED_WITHIN_MS,
    });
    const since = ((await dashboard.status.textContent()) ?? '').replace('Delayed since ', '');
    const [hours, minutes, seconds] = since.split(':').map(Number);
    const sinceAt = new Date(stoppedAt);
    sinceAt.setHours(hours ?? 0, minutes ?? 0, seconds ?? 0);
    // The time of the last data, not of the notice: at most a second or two before the stop.
    expect(Math.abs(sinceAt.getTime() - stoppedAt.getTime())).toBeLessThan(3_000);
    await expect(
      page.getByText(/^Market data delayed: .* marked stale until it is live again\.$/),
    ).toBeVisible();
    await expect(btc.staleTag).toBeVisible();
    await expect(dashboard.row('ETH-USD').row).toHaveAttribute('data-stale', 'true');
    await expect(dashboard.row('ETH-USD').lastPrice).toContainText('(stale)');
    await page.screenshot({ path: test.info().outputPath('delayed.png') });

    source = await startMarketSource(redis.url, { LOG_LEVEL: 'error' });
    running.push(source);
    await expect(dashboard.status).toHaveText('Live', { timeout: NOTICED_WITHIN_MS });
    await expect(btc.staleTag).toBeHidden();
    await expect(page.getByText(/^Market data delayed/)).toBeHidden();
    await expect(dashboard.row('ETH-USD').row).not.toHaveAttribute('data-stale', 'true');
    await btc.expectLive();
  } finally {
    for (const process of running.reverse()) await process.stop();
  }
});
