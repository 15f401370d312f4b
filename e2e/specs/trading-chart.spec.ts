import { expect, test } from '../fixtures/dashboard.js';

// The focused chart as a trader drives it: layout, zoom and pan, scroll-back through the history
// API, the crosshair's legend, ranges, indicators, compare lines, scales and time zones.

test.describe('the chart screen', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('fills the viewport, and takes the watchlist panel’s room when it collapses', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD,ETH-USD&tf=1m', 'BTC-USD');
    const open = await chart.box();
    // The chart runs down to the bottom of the page, less its frame's padding.
    expect(open.y + open.height).toBeGreaterThan(720 - 40);
    expect(open.height).toBeGreaterThan(720 * 0.6);
    expect(await dashboard.fitsViewport()).toBe(true);

    const toggle = page.getByRole('button', { name: 'Watchlist', exact: true });
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(dashboard.watchlist).toBeHidden();
    await expect.poll(async () => (await chart.box()).width).toBeGreaterThan(open.width + 250);
    // Kept for the next visit.
    await page.reload();
    await expect(dashboard.watchlist).toBeHidden();
    await page.getByRole('button', { name: 'Watchlist', exact: true }).click();
    await expect(dashboard.watchlist).toBeVisible();
  });

  test('the grid’s tiles share the whole area', async ({ dashboard }) => {
    const symbols = 'BTC-USD,ETH-USD,SOL-USD,AAPL,MSFT,NVDA';
    await dashboard.open(`?symbols=${symbols}&layout=grid`);
    await expect(dashboard.charts()).toHaveCount(6);
    await dashboard.chart('NVDA').expectLive();
    const boxes = await dashboard
      .charts()
      .evaluateAll((tiles) => tiles.map((tile) => tile.getBoundingClientRect().bottom));
    expect(Math.max(...boxes)).toBeGreaterThan(720 - 40);
    expect(await dashboard.fitsViewport()).toBe(true);
  });

  test('zooms with the wheel and pans by dragging, then goes back to live', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    const start = await chart.range();

    const middle = await chart.point(0.5);
    await page.mouse.move(middle.x, middle.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await chart.range()).span).toBeLessThan(start.span * 0.8);
    await page.mouse.wheel(0, 800);
    await expect.poll(async () => (await chart.range()).span).toBeGreaterThan(start.span);

    const zoomed = await chart.range();
    await page.mouse.move(middle.x, middle.y);
    await page.mouse.down();
    await page.mouse.move(middle.x + 300, middle.y, { steps: 10 });
    await page.mouse.up();
    await expect(chart.figure).toHaveAttribute('data-live', 'false');
    const panned = await chart.range();
    expect(panned.to).toBeLessThan(zoomed.to - zoomed.span * 0.1);
    expect(panned.span).toBeCloseTo(zoomed.span, -3);

    await chart.backToLive.click();
    await expect(chart.figure).toHaveAttribute('data-live', 'true');
    await expect(chart.backToLive).toBeHidden();
  });

  test('zooms and pans by keyboard', async ({ dashboard }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    const start = await chart.range();
    await chart.surface.focus();
    await chart.surface.press('+');
    await expect.poll(async () => (await chart.range()).span).toBeLessThan(start.span);
    await chart.surface.press('ArrowLeft');
    await expect(chart.figure).toHaveAttribute('data-live', 'false');
    await chart.surface.press('End');
    await expect(chart.figure).toHaveAttribute('data-live', 'true');
  });

  test('scrolling back asks the history API for older candles, before the server started', async ({
    dashboard,
    page,
  }) => {
    const olderPages: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/candles' && url.searchParams.has('end')) {
        olderPages.push(url.searchParams.get('end') ?? '');
      }
    });
    const openedAt = Date.now();
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    const firstOldest = await chart.number('data-oldest');
    await chart.surface.focus();
    // Each press pans a tenth of the view back; the first page holds 500 candles, 150 shown.
    for (let press = 0; press < 40; press++) await chart.surface.press('ArrowLeft');
    await expect.poll(() => olderPages.length).toBeGreaterThan(0);
    await expect.poll(() => chart.number('data-oldest')).toBeLessThan(firstOldest);
    // Hours before this test, and so before the feed server started: the market's own history.
    expect(await chart.number('data-oldest')).toBeLessThan(openedAt - 8 * 3_600_000);
    // The view stayed where the user took it, and candles are on screen there.
    await expect(chart.figure).toHaveAttribute('data-live', 'false');
    await expect.poll(() => chart.number('data-candles')).toBeGreaterThan(100);
    await dashboard.chart('BTC-USD').expectLive(); // the open candle still follows the feed
  });

  test('the crosshair’s legend shows the hovered candle’s exact OHLCV, as the API has it', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    await expect(chart.legend).toHaveAttribute('data-live', 'true');
    const point = await chart.point(0.4);
    await page.mouse.move(point.x, point.y);
    await expect(chart.legend).toHaveAttribute('data-live', 'false');
    const start = Number(await page.locator('svg.crosshair').getAttribute('data-candle'));
    expect(start % 60_000).toBe(0);
    const answer = await page.request.get(
      new URL(
        `/api/v1/candles?symbol=BTC-USD&interval=1m&end=${start + 60_000}&limit=1`,
        process.env.TICKER_URL,
      ).toString(),
    );
    const [candle] = ((await answer.json()) as { candles: string[][] }).candles;
    if (!candle) throw new Error('the API has no candle there');
    const [, open, high, low, close, volume] = candle.map(String);
    const price = (text: string | undefined) =>
      Number(text ?? '').toLocaleString('en-US', { minimumFractionDigits: 2 });
    await expect(chart.legendValue('o')).toHaveText(price(open));
    await expect(chart.legendValue('h')).toHaveText(price(high));
    await expect(chart.legendValue('l')).toHaveText(price(low));
    await expect(chart.legendValue('c')).toHaveText(price(close));
    await expect(chart.legendValue('v')).toHaveText(
      Number(volume).toLocaleString('en-US', { maximumFractionDigits: 4 }),
    );
    // Away from the chart, the legend follows the live candle again.
    await page.mouse.move(5, 5);
    await expect(chart.legend).toHaveAttribute('data-live', 'true');
  });

  test('a range shows its span in its interval, full from the first second', async ({
    dashboard,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    await dashboard.range.getByRole('button', { name: '1D', exact: true }).click();
    await expect(dashboard.pressed(dashboard.timeframe, '5m')).toBeVisible();
    await expect(chart.figure).toHaveAttribute('data-interval-ms', '300000');
    await expect.poll(() => chart.number('data-candles')).toBeGreaterThanOrEqual(280);
    expect((await chart.range()).span).toBe(86_400_000);

    await dashboard.range.getByRole('button', { name: '1Y', exact: true }).click();
    await expect(dashboard.pressed(dashboard.timeframe, '1D')).toBeVisible();
    await expect.poll(() => chart.number('data-candles')).toBeGreaterThanOrEqual(360);
    await expect.poll(() => dashboard.page.url()).toContain('range=1Y');
  });

  test('labels time on round boundaries, in local time or UTC', async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: 'Asia/Kolkata' }); // UTC+05:30
    const page = await context.newPage();
    try {
      await page.goto(new URL('?symbols=BTC-USD&tf=1m', process.env.TICKER_URL).toString());
      const figure = page.getByRole('figure', { name: 'BTC-USD candles' });
      await expect(figure).toHaveAttribute('data-status', 'ready');
      const labels = figure.locator('.time-axis text');
      await expect(labels.nth(2)).toBeVisible();
      // 150 minutes on screen: a label every 15 or 30 minutes, on the quarter hour.
      const local = (await labels.allTextContents()).filter((t) => /^\d\d:\d\d$/.test(t));
      expect(local.length).toBeGreaterThan(2);
      for (const label of local) expect(Number(label.slice(3)) % 15, label).toBe(0);
      const legendTime = figure.locator('.legend-time');
      const before = await legendTime.textContent();
      await page.getByRole('button', { name: 'UTC', exact: true }).click();
      await expect(page.getByRole('button', { name: 'UTC', exact: true })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      // Five and a half hours apart: the same candle, another clock.
      await expect(legendTime).not.toHaveText(before ?? '');
      const utc = (await labels.allTextContents()).filter((t) => /^\d\d:\d\d$/.test(t));
      for (const label of utc) expect(Number(label.slice(3)) % 15, label).toBe(0);
      await expect.poll(() => page.url()).toContain('utc=1');
    } finally {
      await context.close();
    }
  });

  test('draws the last price on its axis, coloured by the candle’s direction', async ({
    dashboard,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    const line = chart.figure.getByTestId('last-price-line');
    await expect(line).toBeVisible();
    // Its label is the live candle's close, which the legend shows away from the pointer.
    await expect
      .poll(async () => {
        const label = await line.locator('text').textContent();
        const close = await chart.legendValue('c').textContent();
        return label === close;
      })
      .toBe(true);
    await expect(line.locator('rect')).toHaveAttribute('fill', /^#/);
  });

  test('indicators are drawn, in the legend, and kept in the link', async ({ dashboard, page }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    await page.getByText('Indicators', { exact: true }).click();
    const menu = page.getByRole('group', { name: 'Indicators' });
    await menu.getByLabel('SMA 20').check();
    await menu.getByLabel('Indicator').selectOption('ema');
    await menu.getByLabel('Period').fill('50');
    await menu.getByRole('button', { name: 'Add' }).click();
    await menu.getByLabel('Vol MA 20').check();
    for (const name of ['SMA 20', 'EMA 50', 'Vol MA 20']) {
      const line = chart.figure.locator(`g.indicator-line[data-indicator="${name}"] path`);
      await expect(line.first()).toHaveAttribute('d', /M-?[\d.]+,-?[\d.]+L/);
      await expect(chart.legend.locator(`[data-indicator="${name}"]`)).toContainText(/\d/);
    }
    await expect.poll(() => page.url()).toContain('ind=sma20,ema50,vma20');
    // A bad period is refused with a reason, not added.
    await menu.getByLabel('Period').fill('1');
    await menu.getByRole('button', { name: 'Add' }).click();
    await expect(menu.getByRole('alert')).toContainText('period');

    await page.reload();
    await dashboard.focusedChart('BTC-USD').ready();
    await expect(chart.figure.locator('g.indicator-line')).toHaveCount(3);
  });

  test('compares other symbols as percent change, saved in the link', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=5m', 'BTC-USD');
    await page.getByText('Compare', { exact: true }).click();
    const menu = page.getByRole('group', { name: 'Compare' });
    await menu.getByLabel('Symbol to compare').fill('eth-usd');
    await menu.getByRole('button', { name: 'Add' }).click();
    await menu.getByLabel('Symbol to compare').fill('NOPE');
    await menu.getByRole('button', { name: 'Add' }).click();
    await expect(menu.getByRole('alert')).toHaveText('No symbol NOPE');

    const line = chart.figure.locator('g.compare-line[data-ticker="ETH-USD"]');
    await expect(line.locator('path').first()).toHaveAttribute('d', /M-?[\d.]+,-?[\d.]+L/);
    await expect(chart.figure).toHaveAttribute('data-scale', 'percent');
    await expect(chart.legend.locator('[data-compare="ETH-USD"]')).toContainText('%');
    const labels = chart.figure.locator('.price-axis text');
    await expect(labels.first()).toHaveText(/%$/);
    await expect.poll(() => page.url()).toContain('cmp=ETH-USD');
    // ETH-USD is not on the watchlist: it is followed for the comparison only.
    await expect(dashboard.row('ETH-USD').row).toHaveCount(0);

    await menu.getByRole('button', { name: 'Stop comparing ETH-USD' }).click();
    await expect(line).toHaveCount(0);
    await expect(chart.figure).toHaveAttribute('data-scale', 'linear');
  });

  test('switches the price scale to percent and log, and the style to line and area', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart('?symbols=BTC-USD&tf=1m', 'BTC-USD');
    const labels = chart.figure.locator('.price-axis text');
    await dashboard.scale.getByRole('button', { name: '%', exact: true }).click();
    await expect(labels.first()).toHaveText(/^[+−-]?\d+\.\d\d%$/);
    await dashboard.scale.getByRole('button', { name: 'Log', exact: true }).click();
    await expect(chart.figure).toHaveAttribute('data-scale', 'log');
    await expect(labels.first()).toHaveText(/^\d{1,3}(,\d{3})+\.\d{2}$/);
    await dashboard.style.getByRole('button', { name: 'Area', exact: true }).click();
    await expect(chart.figure.locator('g.price-series[data-style="area"] path')).toHaveCount(2);
    await expect.poll(() => page.url()).toContain('style=area');
    await expect.poll(() => page.url()).toContain('scale=log');
  });
});
