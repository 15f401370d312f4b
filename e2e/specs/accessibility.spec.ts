import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { Alerts } from '../fixtures/alerts.js';
import { expect, test } from '../fixtures/dashboard.js';
import type { Dashboard } from '../fixtures/dashboard.js';

/**
 * The impacts that fail the scan. "Moderate" and "minor" findings (best practices such as
 * landmark nesting) are for review, not a gate.
 */
const BLOCKING = new Set(['serious', 'critical']);
// axe walks the whole page on the main thread of a live dashboard: with every suite on two slow
// cores one scan of the trader tools took 45 s of the default 60.
test.describe.configure({ timeout: 180_000 });
const WATCHLIST = 'BTC-USD,ETH-USD,AAPL,MSFT,SOL-USD';
/** Every indicator there is, and the most compared symbols: the legend in all its colours. */
const LEGEND_INDICATORS = ['sma20', 'ema50', 'bb20-2', 'vwap', 'vma20'];
const LEGEND_COMPARES = ['ETH-USD', 'AAPL', 'MSFT'];

/**
 * Scans the page as it is now with axe's WCAG 2.x A and AA rules and fails with each serious or
 * critical violation's rule, impact and elements, so the failure says what to fix.
 */
async function expectNoBlockingViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  const report = blocking.map(
    (v) =>
      `${v.id} (${v.impact ?? '?'}): ${v.help}\n` +
      v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, 'serious or critical violations').toEqual([]);
}

/**
 * Waits for a market that moves: live prices, and change figures coloured as gains or losses,
 * so the contrast rules see the colours a trader sees.
 */
async function expectLiveMarket(dashboard: Dashboard): Promise<void> {
  await expect(dashboard.status).toHaveText('Live');
  await expect(dashboard.row('SOL-USD').lastPrice).toHaveText(/\d/);
  await expect(
    dashboard.watchlist
      .getByTestId('change-percent')
      .and(dashboard.page.locator('[data-trend="up"], [data-trend="down"]'))
      .first(),
  ).toBeVisible();
}

/** A chart's text alternative with figures in the symbol's decimals (lib/chart-summary.ts). */
const SUMMARY =
  /^(\S+) chart: last (\d+\.\d+), [+−]?\d+\.\d\d% \([+−]?\d+\.\d+\) since the session open, session range (\d+\.\d+)–(\d+\.\d+)$/;

/** Checks that a chart names its symbol and figures, with the last price within the range. */
async function expectSummary(dashboard: Dashboard, ticker: string): Promise<void> {
  const image = dashboard.chart(ticker).image;
  await expect(image).toHaveAccessibleName(SUMMARY);
  const [, named, last, low, high] =
    SUMMARY.exec((await image.getAttribute('aria-label')) ?? '') ?? [];
  expect(named).toBe(ticker);
  expect(Number(last)).toBeGreaterThanOrEqual(Number(low));
  expect(Number(last)).toBeLessThanOrEqual(Number(high));
}

test('the focused chart and the grid tiles say their figures in words', async ({ dashboard }) => {
  await dashboard.openChart(`?symbols=${WATCHLIST}&chart=BTC-USD`, 'BTC-USD');
  await expectSummary(dashboard, 'BTC-USD');
  // It follows the market as the chart redraws.
  const image = dashboard.chart('BTC-USD').image;
  const before = await image.getAttribute('aria-label');
  await expect.poll(() => image.getAttribute('aria-label')).not.toBe(before);

  await dashboard.layout.getByRole('button', { name: 'Grid', exact: true }).click();
  for (const ticker of WATCHLIST.split(',')) await expectSummary(dashboard, ticker);
});

for (const theme of ['light', 'dark'] as const) {
  test.describe(`in the ${theme} theme`, () => {
    // The system's scheme picks the theme while the user has not chosen one.
    test.use({ colorScheme: theme });

    test('the chart screen has no serious or critical violations', async ({ dashboard, page }) => {
      const chart = await dashboard.openChart(`?symbols=${WATCHLIST}&chart=BTC-USD`, 'BTC-USD');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectLiveMarket(dashboard);
      await expect(chart.figure.getByTestId('last-price-line')).toBeVisible();
      await expectNoBlockingViolations(page);
    });

    // The legend in all its entries. axe leaves text over the chart for review, so the
    // colours' contrast is checked by apps/web/test/theme-contrast.test.ts.
    test('the chart with indicators and compared symbols has no serious or critical violations', async ({
      dashboard,
      page,
    }) => {
      const view = `ind=${LEGEND_INDICATORS.join(',')}&cmp=${LEGEND_COMPARES.join(',')}`;
      await dashboard.openChart(`?symbols=${WATCHLIST}&chart=BTC-USD&${view}`, 'BTC-USD');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectLiveMarket(dashboard);
      const legend = page.locator(
        '.legend-indicators [data-indicator], .legend-compares [data-compare]',
      );
      await expect(legend).toHaveCount(LEGEND_INDICATORS.length + LEGEND_COMPARES.length);
      for (const entry of await legend.all()) await expect(entry).toHaveText(/\d/);
      await expectNoBlockingViolations(page);
    });

    test('the grid has no serious or critical violations', async ({ dashboard, page }) => {
      await dashboard.open(`?symbols=${WATCHLIST}&layout=grid`);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectLiveMarket(dashboard);
      for (const ticker of WATCHLIST.split(',')) {
        await expect(dashboard.chart(ticker).line).toHaveAttribute('d', /\d/);
      }
      await expectNoBlockingViolations(page);
    });

    test('the symbol search with its results open has no serious or critical violations', async ({
      dashboard,
      page,
    }) => {
      await dashboard.open(`?symbols=${WATCHLIST}`);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectLiveMarket(dashboard);
      await dashboard.search.fill('a');
      await expect(dashboard.results.getByRole('option').nth(2)).toBeVisible();
      await dashboard.search.press('ArrowDown');
      await expect(dashboard.results.getByRole('option', { selected: true })).toBeVisible();
      await expectNoBlockingViolations(page);
    });

    test('the trader tools have no serious or critical violations', async ({ dashboard, page }) => {
      await dashboard.openChart(`?symbols=${WATCHLIST}&chart=BTC-USD`, 'BTC-USD');
      await expectLiveMarket(dashboard);
      await page.getByRole('button', { name: 'Time & sales' }).click();
      await expect(page.locator('.tape-row').nth(10)).toBeAttached();
      const alerts = new Alerts(page);
      const bell = dashboard.chart('BTC-USD').region.getByRole('button', {
        name: 'Set an alert on BTC-USD',
      });
      const last = Number(await alerts.open(bell));
      await alerts.set('above', (last * 2).toFixed(2));
      await expect(alerts.items).toHaveCount(1);
      // The tape (buy and sell rows, a large one), the alerts panel and the armed bells.
      await expectNoBlockingViolations(page);
      // The alert editor, open with a refusal.
      await alerts.open(bell);
      await alerts.level.fill('abc');
      await alerts.editor.getByRole('button', { name: 'Set alert' }).click();
      await expect(alerts.problem).toBeVisible();
      await expectNoBlockingViolations(page);
      await page.keyboard.press('Escape');
      // The keyboard shortcuts' list.
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      await expectNoBlockingViolations(page);
    });

    test.describe('on a phone', () => {
      test.use({ viewport: { width: 390, height: 844 } });

      test('both screens have no serious or critical violations', async ({ dashboard, page }) => {
        await dashboard.openChart(`?symbols=${WATCHLIST}&chart=ETH-USD`, 'ETH-USD');
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expectNoBlockingViolations(page);

        const screens = page.getByRole('group', { name: 'Screen' });
        await screens.getByRole('button', { name: 'Watchlist', exact: true }).click();
        await expectLiveMarket(dashboard);
        await expectNoBlockingViolations(page);
      });
    });
  });
}
