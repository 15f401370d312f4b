import { expect, test } from '../fixtures/dashboard.js';

test('says the feed is unreachable while it never answers, and recovers when it does', async ({
  dashboard,
  page,
}) => {
  // The page loads, but its feed connection is refused until the test lets it through.
  let refuse = true;
  await page.routeWebSocket(/\/ws$/, (socket) => {
    if (refuse) {
      void socket.close({ code: 1011, reason: 'test: feed unavailable' });
      return;
    }
    socket.connectToServer();
  });
  await dashboard.open('?symbols=BTC-USD');
  await expect(dashboard.status).toHaveText(/^Reconnecting/);
  await expect(page.getByText('The feed is unreachable')).toBeVisible();
  await expect(dashboard.search).toBeDisabled(); // no directory yet: nothing to search

  refuse = false;
  await expect(dashboard.status).toHaveText('Live');
  await expect(page.getByText('The feed is unreachable')).toBeHidden();
  await dashboard.chart('BTC-USD').expectLive();
});
