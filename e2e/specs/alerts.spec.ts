import { Alerts, oneStepBeside } from '../fixtures/alerts.js';
import { expect, test } from '../fixtures/dashboard.js';
import type { Dashboard } from '../fixtures/dashboard.js';
import { PausableMarket } from '../fixtures/pausable-market.js';

/** Within "a few seconds": the gateway calls its data delayed after 3 s without an entry. */
const NOTICED_WITHIN_MS = 10_000;
/** The price axis at the chart's right edge (PRICE_AXIS_WIDTH in apps/web), the bell beside it. */
const PRICE_AXIS_WIDTH = 78;
const BELL_SIZE = 18;

/** Stops the market and waits until the page knows: its prices then stand still. */
async function pauseMarket(market: PausableMarket, dashboard: Dashboard): Promise<void> {
  await market.pause();
  await expect(dashboard.status).toHaveText(/^Delayed since/, { timeout: NOTICED_WITHIN_MS });
}

/** Opens the page with `ticker` charted live, then stops the market under it. */
async function chartOnStoppedMarket(
  market: PausableMarket,
  dashboard: Dashboard,
  query: string,
  ticker: string,
): Promise<void> {
  await dashboard.open(query, market.url);
  await dashboard.focusedChart(ticker).ready();
  await dashboard.chart(ticker).expectLive();
  await pauseMarket(market, dashboard);
}

async function resumeMarket(market: PausableMarket, dashboard: Dashboard): Promise<void> {
  await market.resume();
  await expect(dashboard.status).toHaveText('Live', { timeout: NOTICED_WITHIN_MS });
}

test.describe('price alerts', () => {
  test('alerts a step above and below a stopped price: the market resumes, each fires exactly once, and stays fired after a reload', async ({
    dashboard,
    page,
  }) => {
    const market = await PausableMarket.start();
    try {
      await Alerts.recordNotifications(page, 'granted');
      const alerts = new Alerts(page);
      await dashboard.open('?symbols=BTC-USD,ETH-USD', market.url);
      await dashboard.focusedChart('BTC-USD').ready();
      const chart = dashboard.chart('BTC-USD');
      const bell = chart.region.getByRole('button', { name: 'Set an alert on BTC-USD' });
      await chart.expectLive();

      // Standing still, the price is known: a step above it and a step below it are both ahead.
      await pauseMarket(market, dashboard);
      const levels = oneStepBeside(await alerts.open(bell));
      await alerts.set('above', levels.above);
      await alerts.open(bell);
      await alerts.set('below', levels.below);
      await expect(alerts.item(`at or above ${levels.above}`)).toContainText('Armed');
      await expect(alerts.item(`at or below ${levels.below}`)).toContainText('Armed');
      await expect(alerts.lines).toHaveCount(2);
      await expect(bell).toHaveAttribute('data-armed', 'true');
      await expect(alerts.notices).toHaveCount(0);

      // The first trade leaves the two-step band one way or the other.
      await resumeMarket(market, dashboard);
      await expect(alerts.notices.first()).toBeVisible({ timeout: NOTICED_WITHIN_MS });
      await expect(alerts.notices.first()).toContainText(
        /^Alert: BTC-USD traded at \d+\.\d{2} \(at or (above|below) \d+\.\d{2}\) at \d\d:\d\d:\d\d\.\d{3}/,
      );
      await page.screenshot({ path: test.info().outputPath('fired.png') });

      // The market trades on around the levels; nothing fires twice.
      await chart.expectLive();
      await chart.expectLive();
      // Each fired alert once: its notice, its notification, its line gone.
      const counts = await alerts.counts();
      expect(counts.fired).toBeGreaterThanOrEqual(1);
      expect(counts).toEqual({
        fired: counts.fired,
        notices: counts.fired,
        lines: 2 - counts.fired,
        shown: counts.fired,
      });
      const shown = await alerts.shownNotifications();
      expect(new Set(shown.map((n) => n.body)).size).toBe(shown.length);
      expect(shown[0]?.title).toBe('BTC-USD alert');

      const firedBefore = await alerts.items.filter({ hasText: 'Fired at' }).allTextContents();
      await page.reload();
      await dashboard.focusedChart('BTC-USD').ready();
      await chart.expectLive();
      // Fired alerts stay fired, and a reload does not fire them again (the other alert, still
      // armed, may fire meanwhile: it is not among them).
      const firedAfter = await alerts.items.filter({ hasText: 'Fired at' }).allTextContents();
      for (const item of firedBefore) expect(firedAfter).toContain(item);
      const shownAfter = await alerts.shownNotifications();
      for (const notification of shown) {
        expect(shownAfter.map((n) => n.body)).not.toContain(notification.body);
      }
    } finally {
      await market.stop();
    }
  });

  test('keeps watching a symbol removed from the watchlist', async ({ dashboard, page }) => {
    const market = await PausableMarket.start();
    try {
      await Alerts.recordNotifications(page, 'default');
      const alerts = new Alerts(page);
      await dashboard.open('?symbols=BTC-USD,ETH-USD', market.url);
      const eth = dashboard.row('ETH-USD');
      await expect(eth.lastPrice).toHaveText(/^\d+\.\d{2}$/);
      await alerts.panel.getByRole('button', { name: 'Allow desktop notifications' }).click();
      await expect(alerts.panel).toContainText('Desktop notifications on');

      await pauseMarket(market, dashboard);
      const bell = eth.row.getByRole('button', { name: 'Set an alert on ETH-USD' });
      const levels = oneStepBeside(await alerts.open(bell));
      await alerts.set('above', levels.above);
      await alerts.open(bell);
      await alerts.set('below', levels.below);
      await eth.removeButton.click();
      await expect(eth.row).toHaveCount(0);

      await resumeMarket(market, dashboard);
      await expect(alerts.notices.first()).toContainText('ETH-USD traded at', {
        timeout: NOTICED_WITHIN_MS,
      });
      expect(await alerts.shownNotifications()).toContainEqual({
        title: 'ETH-USD alert',
        body: expect.stringMatching(/^ETH-USD traded at \d+\.\d{2} \(at or (above|below) /),
      });
      await alerts.notices
        .first()
        .getByRole('button', { name: 'Dismiss the ETH-USD alert' })
        .click();
      await expect
        .poll(async () => {
          const { fired, notices } = await alerts.counts();
          return fired - notices;
        })
        .toBe(1);
    } finally {
      await market.stop();
    }
  });

  test('an armed alert survives a reload, drawn on the chart, and can be edited and removed', async ({
    dashboard,
    page,
  }) => {
    const market = await PausableMarket.start();
    try {
      const alerts = new Alerts(page);
      // A stopped market cannot fire the alerts this test keeps armed.
      await chartOnStoppedMarket(market, dashboard, '?symbols=BTC-USD', 'BTC-USD');
      const chart = dashboard.chart('BTC-USD');
      const bell = chart.region.getByRole('button', { name: 'Set an alert on BTC-USD' });
      const last = Number(await alerts.open(bell));
      // Near the price, so on the chart's price axis.
      const level = (last * 1.0005).toFixed(2);
      await alerts.set('above', level);
      await expect(alerts.item('BTC-USD')).toContainText(`at or above ${level}Armed`);
      await expect(bell).toHaveAttribute('data-armed', 'true');

      await page.reload();
      await dashboard.focusedChart('BTC-USD').ready();
      await expect(alerts.item('BTC-USD')).toContainText(`at or above ${level}Armed`);
      await expect(alerts.lines).toHaveCount(1);
      await expect(alerts.lines).toContainText(
        `▲ ${Number(level).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      );

      await alerts.panel
        .getByRole('button', { name: `Edit alert BTC-USD at or above ${level}` })
        .click();
      await expect(alerts.level).toHaveValue(level);
      const lower = (last * 0.999).toFixed(2);
      await alerts.set('below', lower);
      await expect(alerts.items).toHaveCount(1);
      await expect(alerts.item('BTC-USD')).toContainText(`at or below ${lower}Armed`);
      await expect(alerts.lines).toContainText('▼');

      await alerts.panel
        .getByRole('button', { name: `Remove alert BTC-USD at or below ${lower}` })
        .click();
      await expect(alerts.items).toHaveCount(0);
      await expect(alerts.lines).toHaveCount(0);
      await page.reload();
      await dashboard.focusedChart('BTC-USD').ready();
      await expect(alerts.panel).toContainText('No alerts.');
    } finally {
      await market.stop();
    }
  });

  test('a click on the price axis sets an alert at that price, above or below as the market lies; a drag there pans nothing', async ({
    dashboard,
    page,
  }) => {
    const market = await PausableMarket.start();
    try {
      const alerts = new Alerts(page);
      // Standing still, every level clicked is on one side of the last price.
      await chartOnStoppedMarket(market, dashboard, '?symbols=BTC-USD', 'BTC-USD');
      const focused = dashboard.focusedChart('BTC-USD');
      const last = Number(
        (await focused.figure.getByTestId('last-price-line').textContent())?.replaceAll(',', ''),
      );
      const box = await focused.box();
      const axisX = box.x + box.width - PRICE_AXIS_WIDTH / 2;
      const crosshairPrice = focused.figure.locator('svg.crosshair .crosshair-price text');

      // Two heights of the price pane (at least the plot's upper half): one alert set at each.
      for (const yShare of [0.08, 0.33]) {
        const y = box.y + box.height * yShare;
        await page.mouse.move(axisX, y);
        await expect(focused.surface).toHaveAttribute('data-on-alert-axis', 'true');
        // Picking a price, not a time: the crosshair has no time line there.
        await expect(focused.figure.locator('svg.crosshair .crosshair-time')).toHaveCount(0);
        const shown = Number((await crosshairPrice.textContent())?.replaceAll(',', ''));
        await page.mouse.click(axisX, y);
        await expect(alerts.editor).toBeVisible();
        await expect(alerts.level).toHaveValue(shown.toFixed(2));
        const direction = shown > last ? 'above' : 'below';
        await expect(alerts.direction).toHaveValue(direction);
        await alerts.editor.getByRole('button', { name: 'Set alert' }).click();
        await expect(alerts.editor).toBeHidden();
        await expect(alerts.item(`at or ${direction} ${shown.toFixed(2)}`)).toContainText('Armed');
        // Its line is where the click was.
        const line = alerts.lines
          .filter({ hasText: shown.toLocaleString('en-US') })
          .locator('line');
        expect(Math.abs(Number(await line.getAttribute('y1')) - (y - box.y))).toBeLessThan(1.5);
      }
      await expect(alerts.lines).toHaveCount(2);

      // A press that moves from the bell is no click, and no handle to pan by: dragged to the
      // right from the plot, the chart would leave live for the past.
      const bellX = box.x + box.width - PRICE_AXIS_WIDTH - BELL_SIZE / 2;
      await page.mouse.move(bellX, box.y + box.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 5, box.y + box.height * 0.2, { steps: 10 });
      await page.mouse.up();
      await expect(focused.figure).toHaveAttribute('data-live', 'true');
      await expect(alerts.editor).toBeHidden();
      // Nor does a click on the plot itself set an alert.
      await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.2);
      await expect(focused.surface).not.toHaveAttribute('data-on-alert-axis', 'true');
      await expect(alerts.editor).toBeHidden();
      await expect(alerts.items).toHaveCount(2);
    } finally {
      await market.stop();
    }
  });

  test('refuses what is not a level, saying why, and sets nothing', async ({ dashboard, page }) => {
    const alerts = new Alerts(page);
    await dashboard.openChart('?symbols=BTC-USD', 'BTC-USD');
    await alerts.open(
      dashboard.chart('BTC-USD').region.getByRole('button', { name: 'Set an alert on BTC-USD' }),
    );
    for (const [value, problem] of [
      ['abc', 'Enter a number, such as 123.45'],
      ['1.001', 'BTC-USD prices have 2 decimals at most'],
      ['1', 'BTC-USD already trades at or above that level'],
    ] as const) {
      await alerts.level.fill(value);
      await alerts.editor.getByRole('button', { name: 'Set alert' }).click();
      await expect(alerts.problem).toHaveText(problem);
      await expect(alerts.level).toHaveAttribute('aria-invalid', 'true');
    }
    await page.keyboard.press('Escape');
    await expect(alerts.editor).toBeHidden();
    await expect(alerts.items).toHaveCount(0);
  });
});
