import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/dashboard.js';

// Every keyboard shortcut, pressed where a user's focus would be: the page's from anywhere but a
// field, the watchlist's on its rows. And every toolbar control reached by Tab alone, with a
// focus ring to show where the focus is.

test.use({ viewport: { width: 1280, height: 800 } });

const SYMBOLS = ['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT'];
const CHART = `?symbols=${SYMBOLS.join(',')}&chart=BTC-USD&tf=1m`;

/** What the help dialog lists, as a user reads it: keys, then what they do, in its order. */
const LISTED = [
  ['/', 'Search symbols'],
  ['1 … 7', 'Interval'],
  ['+', 'Zoom the chart in'],
  ['-', 'Zoom the chart out'],
  ['?', 'Show these shortcuts'],
  ['Esc', 'Close the open menu'],
  ['↑', 'Previous row'],
  ['↓', 'Next row'],
  ['Home', 'First row'],
  ['End', 'Last row'],
  ['Enter', "Chart the row's symbol"],
  ['←', 'Pan back'],
  ['→', 'Pan forward'],
  ['End', 'Back to live'],
] as const;

/** The focused element's focus ring: `:focus-visible` matched, and an outline drawn. */
async function expectFocusRing(locator: Locator): Promise<void> {
  await expect(locator).toBeFocused();
  const ring = await locator.evaluate((element) => {
    const style = getComputedStyle(element);
    return {
      focusVisible: element.matches(':focus-visible'),
      outline: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
    };
  });
  expect(ring).toMatchObject({ focusVisible: true, outline: 'solid' });
  expect(ring.width).toBeGreaterThanOrEqual(2);
}

const helpDialog = (page: Page) => page.getByRole('dialog', { name: 'Keyboard shortcuts' });

test.describe('keyboard shortcuts', () => {
  test('/ focuses the search from anywhere, and is text once in a field', async ({
    dashboard,
    page,
  }) => {
    await dashboard.openChart(CHART, 'BTC-USD');
    await expect(dashboard.search).toBeEnabled();
    await page.keyboard.press('/');
    await expect(dashboard.search).toBeFocused();
    await expect(dashboard.search).toHaveValue('');
    // In the field, the shortcuts' keys are what the user types.
    await page.keyboard.type('/3');
    await expect(dashboard.search).toHaveValue('/3');
    await expect(dashboard.pressed(dashboard.timeframe, '1m')).toBeVisible();
    await dashboard.search.fill('');

    // With the panel collapsed the search is hidden: / brings it back to type in.
    const toggle = page.getByRole('button', { name: 'Watchlist', exact: true });
    await toggle.click();
    await expect(dashboard.search).toBeHidden();
    await page.keyboard.press('/');
    await expect(dashboard.search).toBeFocused();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });

  test('arrow keys move through the watchlist rows, and Enter charts one', async ({
    dashboard,
    page,
  }) => {
    await dashboard.openChart(CHART, 'BTC-USD');
    expect(await dashboard.rowTickers()).toEqual(SYMBOLS);
    // The rows are one Tab stop, on the charted row, before its buttons.
    await dashboard.row('BTC-USD').showButton.focus();
    await page.keyboard.press('Shift+Tab');
    await expectFocusRing(dashboard.row('BTC-USD').row);

    const moves = [
      ['ArrowDown', 'ETH-USD'],
      ['ArrowDown', 'AAPL'],
      ['End', 'MSFT'],
      ['ArrowDown', 'MSFT'],
      ['Home', 'BTC-USD'],
      ['ArrowUp', 'BTC-USD'],
      ['ArrowDown', 'ETH-USD'],
      ['ArrowDown', 'AAPL'],
    ] as const;
    for (const [key, ticker] of moves) {
      await page.keyboard.press(key);
      await expectFocusRing(dashboard.row(ticker).row);
    }

    await page.keyboard.press('Enter');
    const chart = dashboard.focusedChart('AAPL');
    await chart.ready();
    await expect(dashboard.chart('AAPL').region.locator('.chart-ticker')).toHaveText('AAPL');
    await expect(dashboard.row('AAPL').row).toHaveAttribute('aria-current', 'true');

    // From a button in a row as well; Tab then comes back to the row last focused.
    await dashboard.row('ETH-USD').removeButton.focus();
    await page.keyboard.press('ArrowUp');
    await expectFocusRing(dashboard.row('BTC-USD').row);
    await page.keyboard.press('Tab');
    await expect(dashboard.row('BTC-USD').showButton).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(dashboard.row('BTC-USD').row).toBeFocused();
    // Enter on the row's own button is that button's: ETH-USD is removed, not charted.
    await dashboard.row('ETH-USD').removeButton.focus();
    await page.keyboard.press('Enter');
    await expect(dashboard.row('ETH-USD').row).toHaveCount(0);
    await expect(chart.figure).toBeVisible();
  });

  test('number keys choose the toolbar’s intervals, and the chart redraws in each', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart(CHART, 'BTC-USD');
    await expect(dashboard.pressed(dashboard.timeframe, '1m')).toBeVisible();
    const choices = [
      ['3', '5m', 300_000],
      ['1', '1s', 1_000],
      ['5', '1h', 3_600_000],
      ['2', '1m', 60_000],
    ] as const;
    for (const [key, label, intervalMs] of choices) {
      await page.keyboard.press(key);
      await expect(dashboard.pressed(dashboard.timeframe, label)).toBeVisible();
      await expect(dashboard.timeframe.getByRole('button', { pressed: true })).toHaveCount(1);
      await expect(chart.figure).toHaveAttribute('data-interval-ms', String(intervalMs));
      await chart.ready();
      // The newest candle drawn is one of this interval: it starts on the interval's boundary.
      await expect
        .poll(async () => {
          const start = Number((await chart.figure.getAttribute('data-last'))?.split(':')[0]);
          return start > 0 && start % intervalMs === 0;
        })
        .toBe(true);
    }

    // In the grid, the toolbar's list is the tiles' window.
    await dashboard.layout.getByRole('button', { name: 'Grid', exact: true }).click();
    await expect(dashboard.pressed(dashboard.window, '1h')).toBeHidden();
    await page.keyboard.press('4');
    await expect(dashboard.pressed(dashboard.window, '1h')).toBeVisible();
  });

  test('+ and - zoom the chart from anywhere on the page, once a press', async ({
    dashboard,
    page,
  }) => {
    const chart = await dashboard.openChart(CHART, 'BTC-USD');
    const start = await chart.range();
    await page.keyboard.press('+');
    await expect.poll(async () => (await chart.range()).span).toBeLessThan(start.span * 0.9);
    const zoomedIn = await chart.range();

    // From a toolbar button: it is not a field, so the chart still zooms.
    await dashboard.pressed(dashboard.timeframe, '1m').focus();
    await page.keyboard.press('-');
    await expect.poll(async () => (await chart.range()).span).toBeGreaterThan(zoomedIn.span * 1.1);

    // On the focused chart, one press zooms one step (the chart's 1.25), not one for the
    // chart and another for the page.
    const before = await chart.range();
    await chart.surface.focus();
    await page.keyboard.press('=');
    await expect.poll(async () => (await chart.range()).span).toBeLessThan(before.span * 0.9);
    expect(before.span / (await chart.range()).span).toBeCloseTo(1.25, 1);
  });

  test('? lists every shortcut in a dialog that Esc closes; the header’s ? opens it too', async ({
    dashboard,
    page,
  }) => {
    await dashboard.openChart(CHART, 'BTC-USD');
    const dialog = helpDialog(page);
    await expect(dialog).toBeHidden();
    await page.keyboard.press('?');
    await expect(dialog).toBeVisible();
    const rows = dialog.getByRole('row');
    await expect(rows).toHaveCount(LISTED.length);
    for (const [index, [keys, description]] of LISTED.entries()) {
      await expect(rows.nth(index).getByRole('rowheader')).toHaveText(keys);
      await expect(rows.nth(index).getByRole('cell')).toContainText(description);
    }
    // A modal: the focus is in it, and the page's shortcuts wait.
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.keyboard.press('3');
    await expect(dashboard.pressed(dashboard.timeframe, '1m')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await button.click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
  });

  test('Esc closes the open menu and the search’s results', async ({ dashboard, page }) => {
    await dashboard.openChart(CHART, 'BTC-USD');
    const indicators = page.getByRole('group', { name: 'Indicators' });
    await page.getByText('Indicators', { exact: true }).click();
    await expect(indicators).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(indicators).toBeHidden();

    // From a field inside the menu too; the focus goes back to the menu's summary.
    const indicatorsSummary = page.getByText('Indicators', { exact: true });
    await indicatorsSummary.click();
    await indicators.getByRole('spinbutton', { name: 'Period' }).fill('30');
    await page.keyboard.press('Escape');
    await expect(indicators).toBeHidden();
    await expect(indicatorsSummary).toBeFocused();

    const compare = page.getByRole('group', { name: 'Compare' });
    await page.getByText('Compare', { exact: true }).click();
    await expect(compare).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(compare).toBeHidden();

    // The search's results close and keep what was typed; a second Esc clears it, as a
    // search field's Esc does.
    await page.keyboard.press('/');
    await page.keyboard.type('A');
    await expect(dashboard.results).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dashboard.results).toBeHidden();
    await expect(dashboard.search).toBeFocused();
    await expect(dashboard.search).toHaveValue('A');
    await page.keyboard.press('Escape');
    await expect(dashboard.search).toHaveValue('');
    await expect(dashboard.results).toBeHidden();
  });

  test('Tab reaches every toolbar control in turn, each with a visible focus ring', async ({
    dashboard,
    page,
  }) => {
    await dashboard.openChart(CHART, 'BTC-USD');
    const toolbar = page.locator('.chart-toolbar');
    // The menus' own controls are inside them, hidden while they are closed.
    const controls = toolbar.locator('button:not(:disabled):visible, summary');
    const count = await controls.count();
    // The panel toggle, the layout, 7 intervals, 5 ranges, 3 styles, 3 scales, UTC, two menus.
    expect(count).toBe(24);
    // The last control before the toolbar: the side panel's last (the price alerts' settings).
    await page.locator('#watchlist-panel').locator('button:visible, input:visible').last().focus();
    for (let index = 0; index < count; index++) {
      await page.keyboard.press('Tab');
      await expectFocusRing(controls.nth(index));
    }
  });
});
