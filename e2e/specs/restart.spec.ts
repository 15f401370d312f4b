import { expect, test } from '../fixtures/dashboard.js';
import { freePort } from '../ports.js';
import { startFeedServer } from '../server.js';
import type { RunningServer } from '../server.js';

test('the feed server restarted mid-session: reconnecting, then live, charts continue', async ({
  dashboard,
}) => {
  const port = String(await freePort());
  let server: RunningServer = await startFeedServer({ PORT: port });
  try {
    await dashboard.open('?symbols=BTC-USD,ETH-USD', server.url);
    const btc = dashboard.chart('BTC-USD');
    await btc.expectLive();

    await server.stop();
    await expect(dashboard.status).toHaveText(/^Reconnecting/);
    await expect(dashboard.page.getByText('The server is restarting')).toBeVisible();

    server = await startFeedServer({ PORT: port });
    await expect(dashboard.status).toHaveText('Live');
    await btc.expectLive();
    await expect(dashboard.row('ETH-USD').lastPrice).toHaveText(/\d/);
  } finally {
    await server.stop();
  }
});
