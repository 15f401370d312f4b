import { expect, test } from '../fixtures/dashboard.js';
import { startFeedServer } from '../server.js';
import type { RunningServer } from '../server.js';

// A market frozen at a fixed instant with a fixed seed: every snapshot, and so every pixel of
// the page, is the same on every run. The page is compared with the reviewed image in
// screenshot.spec.ts-snapshots/ (update with `npx playwright test --update-snapshots` and look
// at the new image before committing it).
test.use({ timezoneId: 'UTC', viewport: { width: 1280, height: 900 }, colorScheme: 'light' });

let server: RunningServer;
test.beforeAll(async () => {
  server = await startFeedServer({ SEED: '7', FROZEN_AT: '2026-01-05T15:30:00Z' });
});
test.afterAll(async () => {
  await server.stop();
});

test('the dashboard on a deterministic feed looks as reviewed', async ({ dashboard, page }) => {
  await dashboard.open(
    '?symbols=BTC-USD,ETH-USD,AAPL,MSFT,NVDA,SOL-USD&chart=BTC-USD&tf=1s&window=5m',
    server.url,
  );
  await expect(dashboard.status).toHaveText('Live');
  const btc = dashboard.chart('BTC-USD');
  await expect(btc.line).toHaveAttribute('d', /\d/);
  await expect(btc.candles.locator('g.candle').first()).toBeVisible();
  await expect(dashboard.row('SOL-USD').lastPrice).toHaveText(/\d/);
  await expect(page).toHaveScreenshot('dashboard.png', {
    // Feed health figures are live measurements; everything else comes from the frozen market.
    mask: [
      page.getByTestId('rtt'),
      page.getByTestId('tick-age'),
      page.getByTestId('ticks-per-second'),
    ],
    animations: 'disabled',
    maxDiffPixelRatio: 0.002,
  });
});
