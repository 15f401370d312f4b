import { expect, test } from '../fixtures/dashboard.js';

test.describe('at phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('shows the chart and the watchlist a tap apart, every row action on screen', async ({
    dashboard,
    page,
  }) => {
    await dashboard.open('?symbols=BTC-USD,ETH-USD,AAPL');
    const screens = page.getByRole('group', { name: 'Screen' });
    await expect(dashboard.pressed(screens, 'Chart')).toBeVisible();
    await dashboard.chart('BTC-USD').expectLive();
    await expect(dashboard.watchlist).toBeHidden();

    await screens.getByRole('button', { name: 'Watchlist', exact: true }).click();
    await expect(dashboard.row('BTC-USD').lastPrice).toHaveText(/\d/);
    await expect(dashboard.row('BTC-USD').removeButton).toBeInViewport();
    await expect(dashboard.watchlist.getByRole('columnheader', { name: /^High/ })).toBeHidden();
    await expect(
      dashboard.watchlist.getByRole('columnheader', { name: /^Change %/ }),
    ).toBeVisible();
    await expect(dashboard.chart('BTC-USD').region).toBeHidden();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // Showing a row goes to its chart.
    await dashboard.row('ETH-USD').showButton.click();
    await expect(dashboard.pressed(screens, 'Chart')).toBeVisible();
    await dashboard.chart('ETH-USD').expectLive();
  });
});
