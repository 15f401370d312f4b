/** Below this width a tile's price axis, header and line stop fitting side by side. */
export const MIN_TILE_WIDTH = 340;
/** Rows shorter than this would leave a tile's line a sliver; the grid scrolls instead. */
export const MIN_TILE_HEIGHT = 180;
/** The gap between tiles, as styles.css's `.chart-grid` sets it. */
export const GRID_GAP = 12;
/** The shape a price line reads best in: wider than tall, as a trading screen's charts are. */
const TILE_ASPECT = 1.8;

/**
 * How many columns the grid lays `count` tiles out in over a `width` × `height` area, in
 * balanced rows and columns as trading screens' multi-chart layouts are (four as 2 × 2, nine as
 * 3 × 3, rather than 3 + 1 or 4 + 4 + 1). No tile is narrower than MIN_TILE_WIDTH (one column
 * when even two would be); among the rest, the layout whose tiles are closest to TILE_ASPECT (by
 * the log of the ratio), each empty cell of the last row costing as much as tiles e ≈ 2.7 times
 * off it. By tile count and area alone, so the layout never jumps as prices change.
 */
export function gridColumns(count: number, width: number, height: number): number {
  let best = 1;
  let bestScore = Infinity;
  for (let columns = 1; columns <= Math.max(1, count); columns++) {
    const tileWidth = (width - GRID_GAP * (columns - 1)) / columns;
    if (columns > 1 && tileWidth < MIN_TILE_WIDTH) break;
    const rows = Math.ceil(count / columns);
    const tileHeight = Math.max(MIN_TILE_HEIGHT, (height - GRID_GAP * (rows - 1)) / rows);
    const empty = rows * columns - count;
    const score = Math.abs(Math.log(tileWidth / tileHeight / TILE_ASPECT)) + empty;
    if (score < bestScore) {
      best = columns;
      bestScore = score;
    }
  }
  return best;
}
