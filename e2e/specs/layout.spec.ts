import { expect, test } from '../fixtures/dashboard.js';

test.describe('at phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('stacks the page and keeps every row action on screen', async ({ dashboard, page }) => {
    await dashboard.open('?symbols=BTC-USD,ETH-USD,AAPL');
    await expect(dashboard.row('BTC-USD').lastPrice).toHaveText(/\d/);
    await expect(dashboard.row('BTC-USD').removeButton).toBeInViewport();
    await expect(dashboard.watchlist.getByRole('columnheader', { name: /^High/ })).toBeHidden();
    await expect(
      dashboard.watchlist.getByRole('columnheader', { name: /^Change %/ }),
    ).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await dashboard.chart('BTC-USD').expectLive();
  });
});
