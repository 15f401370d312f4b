import { createServer } from 'node:net';
import { expect, test } from '../fixtures/dashboard.js';
import { startFeedServer } from '../server.js';
import type { RunningServer } from '../server.js';

/** A free port, so the restarted server comes back where the page expects it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

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
