import { describe, expect, it } from 'vitest';
import { GRID_GAP, MIN_TILE_WIDTH, gridColumns } from '../src/lib/grid-columns';

// The grid's area beside the watchlist, as measured in Chromium on a 1920 × 1080 and a
// 1366 × 768 screen, and on a 2560 × 1440 one with the watchlist folded away.
const DESKTOP = { width: 1_316, height: 966 };
const LAPTOP = { width: 912, height: 654 };
const LARGE = { width: 2_520, height: 1_330 };

/** Columns × rows for `count` tiles over an area. */
function layout(count: number, area: { width: number; height: number }): string {
  const columns = gridColumns(count, area.width, area.height);
  return `${columns}×${Math.ceil(count / columns)}`;
}

describe('gridColumns', () => {
  it('lays the tiles out in balanced rows and columns, wider than tall', () => {
    expect(layout(1, DESKTOP)).toBe('1×1');
    expect(layout(4, DESKTOP)).toBe('2×2');
    expect(layout(6, DESKTOP)).toBe('2×3');
    expect(layout(9, DESKTOP)).toBe('3×3');
    expect(layout(12, DESKTOP)).toBe('3×4');
    expect(layout(4, LARGE)).toBe('2×2');
    expect(layout(12, LARGE)).toBe('4×3');
  });

  it('stacks a few tiles in full-width rows where columns would make them tall', () => {
    expect(layout(2, DESKTOP)).toBe('1×2');
    expect(layout(3, DESKTOP)).toBe('1×3');
    // Where the area is wide enough, two sit side by side.
    expect(layout(2, LARGE)).toBe('2×1');
  });

  it('weighs an empty cell in the last row against the tiles’ shape', () => {
    // One column would leave no cell empty, with slivers seven times wider than tall; two
    // columns leave one, with tiles twice as wide as tall.
    expect(layout(5, DESKTOP)).toBe('2×3');
    // Three columns would leave one empty; two make four rows of full tiles.
    expect(layout(8, DESKTOP)).toBe('2×4');
  });

  it('never makes a tile narrower than the minimum, down to one column', () => {
    for (const area of [DESKTOP, LAPTOP, LARGE]) {
      for (let count = 1; count <= 12; count++) {
        const columns = gridColumns(count, area.width, area.height);
        const tileWidth = (area.width - GRID_GAP * (columns - 1)) / columns;
        expect(tileWidth, `${count} tiles`).toBeGreaterThanOrEqual(MIN_TILE_WIDTH);
      }
    }
    expect(layout(4, LAPTOP)).toBe('2×2');
    expect(layout(12, LAPTOP)).toBe('2×6');
    expect(gridColumns(6, 370, 700)).toBe(1);
    expect(gridColumns(6, 200, 700)).toBe(1);
  });

  it('answers one column for no tiles or no measured area', () => {
    expect(gridColumns(0, DESKTOP.width, DESKTOP.height)).toBe(1);
    expect(gridColumns(4, 0, 0)).toBe(1);
  });
});
