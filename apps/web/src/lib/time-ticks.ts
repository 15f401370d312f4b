import type { PricePoint } from '../feed/price-points';

/** Time labels per chart: four fit a 360 px panel without crowding. */
const TIME_TICKS = 4;

/**
 * Evenly spaced whole-second ticks across the window. Given explicitly because recharts' own
 * time ticks were seen to pile up labels on a window that slides every frame.
 */
export function timeTicks(points: readonly PricePoint[], count = TIME_TICKS): number[] {
  const first = points[0]?.time;
  const last = points.at(-1)?.time;
  if (first === undefined || last === undefined || last - first < 1_000) return [];
  const step = (last - first) / (count - 1);
  const ticks = new Set<number>();
  for (let i = 0; i < count; i++) {
    let tick = Math.round((first + i * step) / 1_000) * 1_000;
    if (tick < first) tick += 1_000; // rounded out of the window: step back in
    if (tick > last) tick -= 1_000;
    ticks.add(tick);
  }
  return [...ticks].filter((tick) => tick >= first && tick <= last);
}
