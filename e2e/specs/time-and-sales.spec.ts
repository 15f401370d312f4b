import { Side } from '@ticker/protocol';
import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures/dashboard.js';
import { FeedListener } from '../fixtures/feed-listener.js';

interface TapeRow {
  readonly time: string;
  readonly price: string;
  readonly size: string;
  readonly side: string | null;
  readonly large: boolean;
  readonly color: string;
}

/** The rows the tape renders now, top to bottom, read in one go. */
async function readRows(tape: Locator): Promise<TapeRow[]> {
  return tape.locator('.tape-row').evaluateAll((rows) =>
    rows
      .map((row) => {
        const cells = row.querySelectorAll('[role="cell"]');
        const top = Number(
          /translateY\(([\d.]+)px\)/.exec((row as HTMLElement).style.transform)?.[1],
        );
        return {
          top,
          time: cells[0]?.textContent ?? '',
          price: cells[1]?.textContent ?? '',
          size: cells[2]?.textContent ?? '',
          side: row.getAttribute('data-side'),
          large: row.getAttribute('data-large') === 'true',
          color: getComputedStyle(row).color,
        };
      })
      .sort((a, b) => a.top - b.top)
      .map((row) => ({
        time: row.time,
        price: row.price,
        size: row.size,
        side: row.side,
        large: row.large,
        color: row.color,
      })),
  );
}

/** A CSS variable of the page's theme, as the browser computes a colour set to it. */
async function themeColor(tape: Locator, variable: string): Promise<string> {
  return tape.evaluate((element, name) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${name})`;
    element.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  }, variable);
}

test('the time and sales lists the feed’s trades newest first, coloured by who initiated them, stands still while paused, and highlights large ones', async ({
  dashboard,
  page,
}) => {
  const baseUrl = process.env.TICKER_URL ?? '';
  const listener = await FeedListener.listen(baseUrl, 'BTC-USD');
  try {
    await dashboard.openChart('?symbols=BTC-USD,ETH-USD', 'BTC-USD');
    const toggle = page.getByRole('button', { name: 'Time & sales' });
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const tape = page.getByRole('region', { name: 'BTC-USD time and sales' });
    const table = tape.getByRole('table', { name: 'BTC-USD trades, newest first' });
    await expect(table.locator('.tape-row').nth(15)).toBeAttached({ timeout: 30_000 });

    // Paused, the list stands still while trades keep coming.
    await dashboard.pauseButton.click();
    const rows = await readRows(table);
    const heard = listener.trades.length;
    await expect
      .poll(() => listener.trades.length, { timeout: 30_000 })
      .toBeGreaterThan(heard + 10);
    expect(await readRows(table)).toEqual(rows);

    // Newest on top: times never increase down the list.
    const times = rows.map((row) => row.time);
    expect(times.every((time) => /^\d\d:\d\d:\d\d\.\d{3}$/.test(time))).toBe(true);
    expect([...times].sort().reverse()).toEqual(times);

    // Every row is a trade the server sent, with its side, in its side's colour.
    const up = await themeColor(tape, '--up');
    const down = await themeColor(tape, '--down');
    expect(up).not.toBe(down);
    for (const row of rows) {
      const trade = listener.trades.find((t) => t.price === row.price && t.size === row.size);
      expect(trade, `${row.price} × ${row.size} was sent by the feed`).toBeDefined();
      expect(row.side).toBe(trade?.side === Side.Buy ? 'buy' : 'sell');
      expect(row.color).toBe(row.side === 'buy' ? up : down);
    }
    expect(new Set(rows.map((row) => row.side))).toEqual(new Set(['buy', 'sell']));

    await dashboard.pauseButton.click();
    await expect.poll(async () => (await readRows(table))[0]).not.toEqual(rows[0]);

    // A threshold of the user's: trades at or above it are highlighted, the others not.
    await dashboard.pauseButton.click();
    const now = await readRows(table);
    const sizes = now.map((row) => Number(row.size)).sort((a, b) => a - b);
    const threshold = sizes[Math.floor(sizes.length / 2)] as number;
    await tape.getByLabel('Highlight trades of at least this size').fill(String(threshold));
    const marked = await readRows(table);
    expect(marked.filter((row) => row.large).length).toBeGreaterThan(0);
    for (const row of marked) expect(row.large).toBe(Number(row.size) >= threshold);

    await page.screenshot({ path: test.info().outputPath('tape.png') });
    await toggle.click();
    await expect(tape).toBeHidden();
  } finally {
    listener.close();
  }
});
