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

  test('keeps the header to two rows, its parts side by side and none over another', async ({
    dashboard,
    page,
  }) => {
    for (const width of [320, 390, 760]) {
      await page.setViewportSize({ width, height: 844 });
      await dashboard.open('?symbols=BTC-USD');
      await dashboard.chart('BTC-USD').expectLive();
      const boxes = await page
        .locator(
          '.app-header h1, .app-header .status, .app-header .status-metrics, .app-header button',
        )
        .evaluateAll((parts) =>
          parts.map((part) => {
            const box = part.getBoundingClientRect();
            return {
              name: part.textContent,
              top: box.top,
              bottom: box.bottom,
              left: box.left,
              right: box.right,
            };
          }),
        );
      expect(boxes).toHaveLength(6);
      // A part starts a new row when it lies wholly below every part of the row before.
      let rows = 0;
      let rowBottom = -Infinity;
      for (const box of [...boxes].sort((a, b) => a.top - b.top)) {
        if (box.top >= rowBottom) rows += 1;
        rowBottom = box.top >= rowBottom ? box.bottom : Math.max(rowBottom, box.bottom);
      }
      expect(rows, `${width}px: ${JSON.stringify(boxes)}`).toBeLessThanOrEqual(2);
      for (const [i, a] of boxes.entries()) {
        expect(a.right, `${width}px: ${a.name} runs off the page`).toBeLessThanOrEqual(width);
        for (const b of boxes.slice(i + 1)) {
          const apart =
            a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
          expect(apart, `${width}px: ${a.name} overlaps ${b.name}`).toBe(true);
        }
      }
    }
  });
});
