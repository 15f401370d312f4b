import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/dashboard.js';

test.describe('watchlist', () => {
  test('starts live with the default symbols, prices formatted to each symbol', async ({
    dashboard,
  }) => {
    await dashboard.open();
    await expect(dashboard.status).toHaveText('Live');
    expect(await dashboard.rowTickers()).toEqual(['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT', 'NVDA']);
    await expect(dashboard.row('BTC-USD').lastPrice).toHaveText(/^\d+\.\d{2}$/);
    await expect(dashboard.row('BTC-USD').changePercent).toHaveText(/^[+−]?\d+\.\d{2}%$/);
    await expect(dashboard.chart('BTC-USD').region).toBeVisible();
    await dashboard.chart('BTC-USD').expectLive();
  });

  test('searches by name, filters by asset class, and adds with the keyboard', async ({
    dashboard,
  }) => {
    await dashboard.open();
    await dashboard.search.fill('tesla');
    await expect(dashboard.option(/^TSLA/)).toBeVisible();
    await dashboard.search.press('ArrowDown');
    await dashboard.search.press('Enter');
    await expect(dashboard.row('TSLA').lastPrice).toHaveText(/^\d+\.\d{2}$/);
    // Added symbols leave the results and take the chart.
    await expect(dashboard.chart('TSLA').region).toBeVisible();
    await dashboard.search.fill('TSLA');
    await expect(dashboard.option(/^TSLA/)).toHaveCount(0);

    await dashboard.search.fill('');
    await dashboard.assetClass.getByRole('button', { name: 'Crypto' }).click();
    await dashboard.search.focus();
    const classes = await dashboard.results.locator('.result-class').allTextContents();
    expect(classes.length).toBeGreaterThan(5);
    expect(new Set(classes)).toEqual(new Set(['Crypto']));
    await dashboard.search.fill('zzzz-no-such');
    await expect(dashboard.results).toContainText('No symbol matches');
  });

  test('removes rows and sorts by a column both ways', async ({ dashboard }) => {
    await dashboard.open();
    await expect(dashboard.row('NVDA').lastPrice).toHaveText(/\d/);
    await dashboard.row('NVDA').removeButton.click();
    await expect(dashboard.row('NVDA').row).toHaveCount(0);
    expect(await dashboard.rowTickers()).toEqual(['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT']);

    const header = dashboard.watchlist.getByRole('columnheader', { name: /^Last/ });
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => dashboard.rowTickers()).toEqual(['AAPL', 'MSFT', 'ETH-USD', 'BTC-USD']);
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => dashboard.rowTickers()).toEqual(['BTC-USD', 'ETH-USD', 'MSFT', 'AAPL']);
  });

  test('rows out of sight rest, and catch up as they come into view', async ({
    dashboard,
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    // Thirty rows with BTC-USD last, far below the panel's fold; it is charted too, so its live
    // price is on screen in the chart's header all along.
    const others = universeTickers()
      .filter((ticker) => ticker !== 'BTC-USD')
      .slice(0, 29);
    await dashboard.open(`?symbols=${[...others, 'BTC-USD'].join(',')}&chart=BTC-USD`);
    const row = dashboard.row('BTC-USD');
    await expect(dashboard.chart('BTC-USD').lastPrice).toHaveText(/\d/);
    await expect(row.row).not.toBeInViewport();
    // Out of sight the row keeps what it showed while the price moves on. Both are read in one
    // task, so a redraw never falls between them.
    await expect
      .poll(() => rowAndChartPrices(page, 'BTC-USD'), { timeout: 60_000 })
      .not.toEqual(expect.objectContaining({ same: true }));
    await row.row.scrollIntoViewIfNeeded();
    await expect(row.row).toBeInViewport();
    await expect
      .poll(() => rowAndChartPrices(page, 'BTC-USD'))
      .toEqual(expect.objectContaining({ same: true }));
  });

  test('a moving price flashes in its direction under the figures, then clears', async ({
    dashboard,
    page,
  }) => {
    await dashboard.open();
    await expect(dashboard.status).toHaveText('Live');
    // Read off the built stylesheet's animation, which a minifier once dropped while the class
    // still changed: at its start the cell has the theme's flash colour, at its end none.
    await expect
      .poll(() => aFlashAtBothEnds(page), { timeout: 30_000 })
      .toEqual(expect.objectContaining({ duration: 600, atEndClear: true, atStartMatches: true }));
  });
});

/** The market's tickers in the server's directory order (apps/feed-server/data/symbols.json). */
function universeTickers(): string[] {
  const file = new URL('../../apps/feed-server/data/symbols.json', import.meta.url);
  const { symbols } = JSON.parse(readFileSync(file, 'utf8')) as { symbols: { ticker: string }[] };
  return symbols.map((symbol) => symbol.ticker);
}

/** The symbol's last price in its watchlist row and in its chart's header, read at one moment. */
function rowAndChartPrices(
  page: Page,
  ticker: string,
): Promise<{ row: string; chart: string; same: boolean }> {
  return page.evaluate((symbol) => {
    const text = (element: Element | null | undefined) => element?.textContent ?? '';
    const show = document.querySelector(`button[aria-label="Show ${symbol}"]`);
    const row = text(show?.closest('tr')?.querySelector('[data-testid="last-price"]'));
    const chart = text(document.querySelector('[data-testid="chart-last"]'));
    return { row, chart, same: row === chart };
  }, ticker);
}

/**
 * A flashing watchlist price's animation, paused and read at its first and last moment, or null
 * while no price is flashing.
 */
function aFlashAtBothEnds(
  page: Page,
): Promise<{ duration: unknown; atStartMatches: boolean; atEndClear: boolean } | null> {
  return page.evaluate(() => {
    const span = document.querySelector<HTMLElement>(
      '[data-testid="last-price"] span.flash-up, [data-testid="last-price"] span.flash-down',
    );
    const animation = span?.getAnimations({ subtree: true })[0];
    if (!span || !animation) return null;
    animation.pause();
    const direction = span.classList.contains('flash-up') ? 'up' : 'down';
    // The theme's colour as the browser computes it (the stylesheet may spell it otherwise).
    const probe = document.body.appendChild(document.createElement('i'));
    probe.style.backgroundColor = `var(--flash-${direction})`;
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    const background = () => getComputedStyle(span, '::before').backgroundColor;
    animation.currentTime = 0;
    const atStart = background();
    animation.finish();
    const atEnd = background();
    return {
      duration: animation.effect?.getComputedTiming().duration,
      atStartMatches: atStart === colour,
      atEndClear: atEnd === 'rgba(0, 0, 0, 0)',
    };
  });
}
