/** Time labels per chart: four fit a 360 px panel without crowding. */
const TIME_TICKS = 4;

/**
 * Evenly spaced ticks across the window, rounded to whole multiples of `unitMs` (a second for
 * tick charts, the bar interval for candles). Given explicitly because recharts' own time ticks
 * were seen to pile up labels on a window that slides every frame.
 */
export function timeTicks(
  points: readonly { readonly time: number }[],
  count = TIME_TICKS,
  unitMs = 1_000,
): number[] {
  const first = points[0]?.time;
  const last = points.at(-1)?.time;
  if (first === undefined || last === undefined || last - first < unitMs) return [];
  const step = (last - first) / (count - 1);
  const ticks = new Set<number>();
  for (let i = 0; i < count; i++) {
    let tick = Math.round((first + i * step) / unitMs) * unitMs;
    if (tick < first) tick += unitMs; // rounded out of the window: step back in
    if (tick > last) tick -= unitMs;
    ticks.add(tick);
  }
  return [...ticks].filter((tick) => tick >= first && tick <= last);
}
