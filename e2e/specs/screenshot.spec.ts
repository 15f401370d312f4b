import type { Locator, Page } from '@playwright/test';
import { Alerts } from '../fixtures/alerts.js';
import { expect, test } from '../fixtures/dashboard.js';
import { startFeedServer } from '../server.js';
import type { RunningServer } from '../server.js';

// A market frozen at a fixed instant with a fixed seed: every snapshot, and so every pixel of
// the page, is the same on every run. The page is compared with the reviewed image in
// screenshot.spec.ts-snapshots/ (update with `npx playwright test --update-snapshots` and look
// at the new image before committing it).
test.use({ timezoneId: 'UTC', colorScheme: 'light' });

let server: RunningServer;
test.beforeAll(async () => {
  server = await startFeedServer({ SEED: '7', FROZEN_AT: '2026-01-05T15:30:00Z' });
});
test.afterAll(async () => {
  await server.stop();
});

/** Feed health figures are live measurements; everything else comes from the frozen market. */
function liveFigures(page: Page): Locator[] {
  return [
    page.getByTestId('rtt'),
    page.getByTestId('tick-age'),
    page.getByTestId('ticks-per-second'),
  ];
}

const REVIEWED = { animations: 'disabled', maxDiffPixelRatio: 0.002 } as const;
const WATCHLIST = 'BTC-USD,ETH-USD,AAPL,MSFT,NVDA,SOL-USD';

test.describe('at 1920 × 1080, light', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the chart screen looks as reviewed', async ({ dashboard, page }) => {
    await dashboard.open(
      `?symbols=${WATCHLIST}&chart=BTC-USD&tf=5m&ind=sma20,ema50,vma20`,
      server.url,
    );
    await expect(dashboard.status).toHaveText('Live');
    const chart = dashboard.focusedChart('BTC-USD');
    await chart.ready();
    await expect(chart.figure.locator('g.indicator-line')).toHaveCount(3);
    await expect(dashboard.row('SOL-USD').lastPrice).toHaveText(/\d/);
    await expect(page).toHaveScreenshot('chart-1920-light.png', {
      ...REVIEWED,
      mask: liveFigures(page),
    });
  });
});

/** A fired alert as the page saved it: the frozen market fires none, so it is planted. */
const FIRED_ALERT = {
  id: 'reviewed-fired-1',
  ticker: 'AAPL',
  direction: 'below',
  condition: { kind: 'change', percent: -1 },
  createdAt: Date.parse('2026-01-05T14:00:00Z'),
  fired: { time: Date.parse('2026-01-05T15:12:09.318Z'), price: 17_921 },
};

test.describe('at 1920 × 1080, light, with the trader tools', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the chart screen with its time and sales and price alerts looks as reviewed', async ({
    dashboard,
    page,
  }) => {
    await page.addInitScript((alert) => {
      localStorage.setItem('ticker.alerts.v1', JSON.stringify({ alerts: [alert], sound: false }));
    }, FIRED_ALERT);
    await dashboard.open(`?symbols=${WATCHLIST}&chart=BTC-USD&tf=1m`, server.url);
    await expect(dashboard.status).toHaveText('Live');
    const chart = dashboard.focusedChart('BTC-USD');
    await chart.ready();
    await page.getByRole('button', { name: 'Time & sales' }).click();
    await expect(page.locator('.tape-row').nth(30)).toBeAttached();

    const alerts = new Alerts(page);
    const bell = dashboard.chart('BTC-USD').region.getByRole('button', {
      name: 'Set an alert on BTC-USD',
    });
    const last = Number(await alerts.open(bell));
    await alerts.set('above', (Math.ceil(last * 1.002) + 0.5).toFixed(2));
    await alerts.open(bell);
    await alerts.set('below', (Math.floor(last * 0.997) + 0.25).toFixed(2));
    await expect(alerts.items).toHaveCount(3);
    await expect(alerts.lines).toHaveCount(2);
    await expect(dashboard.row('SOL-USD').lastPrice).toHaveText(/\d/);
    await expect(page).toHaveScreenshot('tools-1920-light.png', {
      ...REVIEWED,
      mask: liveFigures(page),
    });
  });
});

test.describe('at 1366 × 768, dark', () => {
  test.use({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });

  test('the chart screen with a comparison looks as reviewed', async ({ dashboard, page }) => {
    await dashboard.open(
      `?symbols=${WATCHLIST}&chart=BTC-USD&tf=15m&ind=bb20-2&cmp=ETH-USD,SOL-USD`,
      server.url,
    );
    await expect(dashboard.status).toHaveText('Live');
    const chart = dashboard.focusedChart('BTC-USD');
    await chart.ready();
    await expect(chart.figure.locator('g.compare-line')).toHaveCount(2);
    await expect(dashboard.row('SOL-USD').lastPrice).toHaveText(/\d/);
    await expect(page).toHaveScreenshot('chart-1366-dark.png', {
      ...REVIEWED,
      mask: liveFigures(page),
    });
  });

  test('the grid looks as reviewed', async ({ dashboard, page }) => {
    await dashboard.open(`?symbols=${WATCHLIST}&layout=grid&window=5m`, server.url);
    await expect(dashboard.status).toHaveText('Live');
    await expect(dashboard.charts()).toHaveCount(6);
    for (const ticker of WATCHLIST.split(',')) {
      await expect(dashboard.chart(ticker).line).toHaveAttribute('d', /\d/);
    }
    await expect(page).toHaveScreenshot('grid-1366-dark.png', {
      ...REVIEWED,
      mask: liveFigures(page),
    });
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the chart screen looks as reviewed', async ({ dashboard, page }) => {
    await dashboard.open(`?symbols=${WATCHLIST}&chart=ETH-USD&tf=1m`, server.url);
    await expect(dashboard.status).toHaveText('Live');
    await dashboard.focusedChart('ETH-USD').ready();
    await expect(page).toHaveScreenshot('chart-phone.png', {
      ...REVIEWED,
      mask: liveFigures(page),
    });
  });
});
