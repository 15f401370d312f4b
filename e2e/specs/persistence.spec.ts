import { expect, test } from '../fixtures/dashboard.js';

test.describe('saved and shared views', () => {
  test('keeps the watchlist and view across a reload and in the URL', async ({
    dashboard,
    page,
  }) => {
    await dashboard.open();
    await dashboard.addWithKeyboard('SOL');
    await expect(dashboard.row('SOL-USD').row).toBeVisible();
    await dashboard.layout.getByRole('button', { name: 'Grid' }).click();
    await expect(page).toHaveURL(/symbols=BTC-USD,ETH-USD,AAPL,MSFT,NVDA,SOL-USD/);
    await expect(page).toHaveURL(/layout=grid/);

    await page.goto(new URL('/', page.url()).toString()); // no parameters: the saved view
    await expect(dashboard.row('SOL-USD').row).toBeVisible();
    await expect(dashboard.pressed(dashboard.layout, 'Grid')).toBeVisible();
    await expect(dashboard.charts()).toHaveCount(6);
  });

  test('opens a shared link, reporting an unknown symbol without failing', async ({
    dashboard,
  }) => {
    await dashboard.open(
      '?symbols=ETH-USD,NOPE,AAPL&chart=AAPL&tf=15m&ind=sma20&cmp=BTC-USD&window=15m',
    );
    await expect(dashboard.alert).toContainText('Unknown symbol: NOPE');
    await expect.poll(() => dashboard.rowTickers()).toEqual(['ETH-USD', 'AAPL']);
    await expect(dashboard.chart('AAPL').region).toBeVisible();
    await expect(dashboard.pressed(dashboard.timeframe, '15m')).toBeVisible();
    const chart = dashboard.focusedChart('AAPL');
    await expect(chart.figure.locator('g.indicator-line[data-indicator="SMA 20"]')).toHaveCount(1);
    await expect(chart.figure.locator('g.compare-line[data-ticker="BTC-USD"]')).toHaveCount(1);
    await expect(dashboard.row('ETH-USD').lastPrice).toHaveText(/\d/);
    await dashboard.layout.getByRole('button', { name: 'Grid', exact: true }).click();
    await expect(dashboard.pressed(dashboard.window, '15m')).toBeVisible();
  });

  test('reports bad link values and keeps the defaults', async ({ dashboard }) => {
    await dashboard.open('?symbols=BTC-USD&layout=sideways');
    await expect(dashboard.alert).toContainText('Ignored layout=sideways in the link');
    await expect(dashboard.pressed(dashboard.layout, 'Single')).toBeVisible();
  });
});
