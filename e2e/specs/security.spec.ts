import { secretKey, signToken } from '@ticker/feed-server';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/dashboard.js';
import { startFeedServer } from '../server.js';

/** Records every Content-Security-Policy violation the page reports, from its first script on. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective}: ${event.blockedURI}`);
    });
  });
  return () =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('the dashboard works under its own Content-Security-Policy, violating none of it', async ({
  dashboard,
  page,
}) => {
  const violations = await recordViolations(page);
  const response = await page.goto(
    new URL('?symbols=BTC-USD,ETH-USD', process.env.TICKER_URL).toString(),
  );
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await dashboard.chart('BTC-USD').expectLive();
  // The parts that draw differently: the grid, the candles, the dark theme, the picker.
  await dashboard.layout.getByRole('button', { name: 'Grid', exact: true }).click();
  await dashboard.chart('ETH-USD').expectLive();
  await dashboard.themeToggle.click();
  await dashboard.addWithKeyboard('AAPL');
  await expect(dashboard.row('AAPL').row).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('with AUTH_SECRET set, a token link opens the dashboard; without one it cannot connect', async ({
  dashboard,
  page,
  browser,
}) => {
  const secret = 'an e2e secret that is long enough for HS256 use';
  const server = await startFeedServer({ AUTH_SECRET: secret });
  try {
    const token = await signToken(secretKey(secret), { ttlSeconds: 600 });
    await dashboard.open(`?symbols=BTC-USD&token=${token}`, server.url);
    await expect(dashboard.status).toHaveText('Live');
    await dashboard.chart('BTC-USD').expectLive();
    // The address bar becomes the view's link, which is safe to share: no token in it.
    await expect.poll(() => page.url()).toContain('symbols=BTC-USD');
    expect(page.url()).not.toContain('token');
    // A reload in the same tab keeps the token.
    await page.reload();
    await expect(dashboard.status).toHaveText('Live');

    // Another visitor without the token gets no feed.
    const stranger = await browser.newPage();
    try {
      await stranger.goto(new URL('?symbols=BTC-USD', server.url).toString());
      await expect(stranger.getByRole('status', { name: 'Connection' })).toHaveText(
        /^Reconnecting/,
      );
      // Told why, in words: the browser alone could not say.
      await expect(stranger.getByRole('alert')).toContainText(
        'This dashboard needs a valid access link; ask for a new one. (The feed said: an access token is required',
      );
    } finally {
      await stranger.close();
    }
  } finally {
    await server.stop();
  }
});
