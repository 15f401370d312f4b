import { expect, test } from '../fixtures/dashboard.js';

test.describe('watchlist', () => {
  test('starts live with the default symbols, prices formatted to each symbol', async ({
    dashboard,
  }) => {
    await dashboard.open();
    await expect(dashboard.status).toHaveText('Live');
    expect(await dashboard.rowTickers()).toEqual(['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT', 'NVDA']);
    await expect(dashboard.row('BTC-USD').lastPrice).toHaveText(/^\d+\.\d{2}$/);
    await expect(dashboard.row('BTC-USD').changePercent).toHaveText(/^[+−]?\d+\.\d{2}%$/);
    await expect(dashboard.chart('BTC-USD').region).toBeVisible();
    await dashboard.chart('BTC-USD').expectLive();
  });

  test('searches by name, filters by asset class, and adds with the keyboard', async ({
    dashboard,
  }) => {
    await dashboard.open();
    await dashboard.search.fill('tesla');
    await expect(dashboard.option(/^TSLA/)).toBeVisible();
    await dashboard.search.press('ArrowDown');
    await dashboard.search.press('Enter');
    await expect(dashboard.row('TSLA').lastPrice).toHaveText(/^\d+\.\d{2}$/);
    // Added symbols leave the results and take the chart.
    await expect(dashboard.chart('TSLA').region).toBeVisible();
    await dashboard.search.fill('TSLA');
    await expect(dashboard.option(/^TSLA/)).toHaveCount(0);

    await dashboard.search.fill('');
    await dashboard.assetClass.getByRole('button', { name: 'Crypto' }).click();
    await dashboard.search.focus();
    const classes = await dashboard.results.locator('.result-class').allTextContents();
    expect(classes.length).toBeGreaterThan(5);
    expect(new Set(classes)).toEqual(new Set(['Crypto']));
    await dashboard.search.fill('zzzz-no-such');
    await expect(dashboard.results).toContainText('No symbol matches');
  });

  test('removes rows and sorts by a column both ways', async ({ dashboard }) => {
    await dashboard.open();
    await expect(dashboard.row('NVDA').lastPrice).toHaveText(/\d/);
    await dashboard.row('NVDA').removeButton.click();
    await expect(dashboard.row('NVDA').row).toHaveCount(0);
    expect(await dashboard.rowTickers()).toEqual(['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT']);

    const header = dashboard.watchlist.getByRole('columnheader', { name: /^Last/ });
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => dashboard.rowTickers()).toEqual(['AAPL', 'MSFT', 'ETH-USD', 'BTC-USD']);
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => dashboard.rowTickers()).toEqual(['BTC-USD', 'ETH-USD', 'MSFT', 'AAPL']);
  });
});
