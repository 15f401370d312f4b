import { expect, test } from '../fixtures/dashboard.js';

test.describe('live charts', () => {
  test('shows the default symbol moving live, adds another, and removes it', async ({
    dashboard,
  }) => {
    await dashboard.open();
    await expect(dashboard.status).toHaveText('Live');

    const btc = dashboard.chart('BTC-USD');
    await expect(btc.region).toBeVisible();
    await expect(btc.lastPrice).toHaveText(/^\d[\d,]*\.\d{2}$/);
    await btc.expectLive();

    await dashboard.add('ETH-USD');
    const eth = dashboard.chart('ETH-USD');
    await expect(eth.region).toBeVisible();
    await eth.expectLive();
    await expect(dashboard.charts()).toHaveCount(2);

    await eth.removeButton.click();
    await expect(eth.region).toHaveCount(0);
    await expect(dashboard.charts()).toHaveCount(1);
    await btc.expectLive();
  });

  test('offers only symbols not yet shown, and adds with the keyboard', async ({
    dashboard,
    page,
  }) => {
    await dashboard.open();
    await expect(dashboard.chart('BTC-USD').region).toBeVisible();
    await expect(dashboard.symbolSelect.locator('option', { hasText: 'BTC-USD' })).toHaveCount(0);

    await dashboard.symbolSelect.selectOption('AAPL');
    await dashboard.addButton.focus();
    await page.keyboard.press('Enter');
    await dashboard.chart('AAPL').expectLive();
    await expect(dashboard.symbolSelect.locator('option', { hasText: 'AAPL' })).toHaveCount(0);
  });
});
