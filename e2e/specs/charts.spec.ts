import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures/dashboard.js';

/** Every label of a price axis is a round price: one step of 1, 2, 2.5 or 5 × 10ⁿ apart. */
async function expectRoundPriceLabels(chart: Locator): Promise<void> {
  const labels = chart.locator('.price-axis text');
  await expect(labels.nth(2)).toBeVisible();
  const texts = await labels.allTextContents();
  // en-US (the browser's locale here): "73,400.00", BTC-USD's two decimals.
  for (const text of texts) expect(text).toMatch(/^\d{1,3}(,\d{3})+\.\d{2}$/);
  const prices = texts.map((text) => Math.round(Number(text.replaceAll(',', '')) * 100));
  const steps = new Set(prices.slice(1).map((price, i) => Math.abs(price - (prices[i] as number))));
  expect(steps.size, texts.join(' ')).toBe(1);
  const [step = 0] = steps;
  const power = 10 ** Math.floor(Math.log10(step));
  expect(
    [1, 2, 2.5, 5].map((m) => m * power),
    texts.join(' '),
  ).toContain(step);
}

test.describe('charts', () => {
  test('draws candles and switches the interval, and the grid its window', async ({
    dashboard,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD,ETH-USD&tf=1s', 'BTC-USD');
    await expect(chart.figure).toHaveAttribute('data-interval-ms', '1000');

    await dashboard.timeframe.getByRole('button', { name: '1m', exact: true }).click();
    await expect(chart.figure).toHaveAttribute('data-interval-ms', '60000');
    await chart.ready();
    await dashboard.chart('BTC-USD').expectLive();

    await dashboard.layout.getByRole('button', { name: 'Grid', exact: true }).click();
    await dashboard.window.getByRole('button', { name: '1h' }).click();
    await expect(dashboard.pressed(dashboard.window, '1h')).toBeVisible();
    await dashboard.chart('ETH-USD').expectLive();
  });

  test('labels the price axes with round prices, thousands separated', async ({ dashboard }) => {
    await dashboard.open('?symbols=BTC-USD,ETH-USD&tf=1m');
    await dashboard.focusedChart('BTC-USD').ready();
    const focused = dashboard.focusedChart('BTC-USD').figure;
    await expectRoundPriceLabels(focused);
    await dashboard.layout.getByRole('button', { name: 'Grid', exact: true }).click();
    await expectRoundPriceLabels(dashboard.chart('BTC-USD').region.locator('.price-chart'));
  });

  test('shows up to twelve charts in the grid', async ({ dashboard }) => {
    const symbols = 'BTC-USD,ETH-USD,SOL-USD,AAPL,MSFT,NVDA,TSLA,AMZN,GOOGL,META,JPM,XOM,KO,PEP';
    await dashboard.open(`?symbols=${symbols}&layout=grid`);
    await expect(dashboard.charts()).toHaveCount(12);
    await expect(dashboard.chart('KO').region).toHaveCount(0);
    await dashboard.chart('XOM').expectLive();
  });

  test('lays four tiles out as two by two, twelve as three by four', async ({
    dashboard,
    page,
  }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    const all = 'BTC-USD,ETH-USD,SOL-USD,AAPL,MSFT,NVDA,TSLA,AMZN,GOOGL,META,JPM,XOM'.split(',');
    /** The tiles' distinct columns and rows, by where their boxes start. */
    const shape = () =>
      dashboard.charts().evaluateAll((tiles) => {
        const boxes = tiles.map((tile) => tile.getBoundingClientRect());
        const columns = new Set(boxes.map((box) => Math.round(box.left))).size;
        const rows = new Set(boxes.map((box) => Math.round(box.top))).size;
        return `${columns}×${rows}`;
      });
    for (const [count, expected] of [
      [4, '2×2'],
      [12, '3×4'],
    ] as const) {
      await dashboard.open(`?symbols=${all.slice(0, count).join(',')}&layout=grid`);
      await expect(dashboard.charts()).toHaveCount(count);
      await expect.poll(shape).toBe(expected);
    }
  });

  test('lays out every tile’s header alike, whatever the length of its name', async ({
    dashboard,
    page,
  }) => {
    /** Each tile header's height, and whether its ticker kept to one line. */
    const headers = () =>
      page.locator('.chart-tile .chart-header').evaluateAll((all) =>
        all.map((header) => {
          const ticker = header.querySelector('.chart-ticker') as HTMLElement;
          const line = parseFloat(getComputedStyle(ticker).lineHeight);
          return {
            height: Math.round(header.getBoundingClientRect().height),
            tickerOnOneLine: ticker.getBoundingClientRect().height < line * 1.5,
            line,
          };
        }),
      );
    // Bitcoin beside Microsoft Corporation and Alphabet Inc. Class A.
    const symbols = 'BTC-USD,MSFT,GOOGL,KO,XOM,ETH-USD';
    for (const width of [1366, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await dashboard.open(`?symbols=${symbols}&layout=grid`);
      await dashboard.chart('ETH-USD').expectLive();
      const laid = await headers();
      expect(laid).toHaveLength(6);
      expect(new Set(laid.map((h) => h.height)).size, JSON.stringify(laid)).toBe(1);
      for (const header of laid) expect(header.tickerOnOneLine).toBe(true);
    }
    // In one column the tiles are wide enough for one line each.
    await page.setViewportSize({ width: 1000, height: 900 });
    await expect
      .poll(async () => (await headers()).map((h) => h.height < h.line * 1.6))
      .toEqual(Array<boolean>(6).fill(true));
  });

  test('the grid’s crosshairs move together by time, and a tile opens its chart', async ({
    dashboard,
    page,
  }) => {
    const tickers = ['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT'];
    await dashboard.open(`?symbols=${tickers.join(',')}&layout=grid&window=5m`);
    for (const ticker of tickers) await dashboard.chart(ticker).expectLive();
    const crosshairs = page.getByTestId('tile-crosshair');
    await expect(crosshairs).toHaveCount(0);

    /** Each tile's crosshair: the shared instant, and the time of the tile's point there. */
    const read = () =>
      crosshairs.evaluateAll((groups) =>
        groups.map((g) => [
          Number(g.getAttribute('data-hover')),
          Number(g.getAttribute('data-time')),
        ]),
      );
    const surface = dashboard.chart('ETH-USD').region.locator('svg.tile-surface');
    const box = await surface.boundingBox();
    if (!box) throw new Error('the ETH-USD tile has no box');
    const positions = [];
    for (const share of [0.5, 0.8]) {
      await page.mouse.move(box.x + box.width * share, box.y + box.height / 2);
      await expect(crosshairs).toHaveCount(tickers.length);
      const shown = await read();
      const hovered = shown[0]?.[0] ?? Number.NaN;
      for (const [instant, pointTime] of shown) {
        expect(instant).toBe(hovered);
        // The price standing then on each tile: its last point at or before the instant.
        expect(pointTime).toBeLessThanOrEqual(hovered);
        expect(pointTime).toBeGreaterThan(hovered - 10_000);
      }
      positions.push(hovered);
    }
    expect(positions[1]).toBeGreaterThan(positions[0] as number);

    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await expect(crosshairs).toHaveCount(0);

    await dashboard
      .chart('AAPL')
      .region.getByRole('button', { name: 'Open the AAPL chart' })
      .click();
    await dashboard.focusedChart('AAPL').ready();
    await expect(dashboard.pressed(dashboard.layout, 'Single')).toBeVisible();
  });

  test('pause freezes the view while data keeps flowing, resume jumps to now', async ({
    dashboard,
    page,
  }) => {
    let frames = 0;
    page.on('websocket', (socket) => {
      socket.on('framereceived', () => {
        frames += 1;
      });
    });
    await dashboard.open('?symbols=BTC-USD&tf=1s');
    const btc = dashboard.chart('BTC-USD');
    await btc.expectLive();

    await dashboard.pauseButton.click();
    await expect(dashboard.pauseButton).toHaveText('Resume');
    const frozen = await btc.drawing();
    const frozenPrice = await dashboard.row('BTC-USD').lastPrice.textContent();
    const framesAtPause = frames;
    await expect
      .poll(() => frames, { message: 'the feed keeps flowing' })
      .toBeGreaterThan(framesAtPause + 30);
    expect(await btc.drawing()).toBe(frozen);
    expect(await dashboard.row('BTC-USD').lastPrice.textContent()).toBe(frozenPrice);

    await dashboard.pauseButton.click();
    await expect(dashboard.pauseButton).toHaveText('Pause');
    await expect.poll(() => btc.drawing()).not.toBe(frozen);
  });

  test('switches theme and keeps the choice', async ({ dashboard, page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await dashboard.open();
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await expect(dashboard.themeToggle).toHaveAttribute('aria-pressed', 'false');
    await dashboard.themeToggle.click();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(dashboard.themeToggle).toHaveAttribute('aria-pressed', 'true');
  });

  test('follows a dark system theme until the user chooses', async ({ dashboard, page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await dashboard.open();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });
});
