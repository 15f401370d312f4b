import { lttbIndices } from '../lib/lttb';
import type { SymbolSeries } from './symbol-series';

/** One price-line point: epoch milliseconds and a display price. */
export interface PricePoint {
  readonly time: number;
  readonly price: number;
}

// Scratch columns shared by every chart: points are built one chart at a time, synchronously.
let scratchX = new Float64Array(4_096);
let scratchY = new Float64Array(4_096);
let scratchKept = new Int32Array(4_096);

function ensureScratch(size: number): void {
  if (scratchX.length >= size) return;
  const grown = 2 ** Math.ceil(Math.log2(size));
  scratchX = new Float64Array(grown);
  scratchY = new Float64Array(grown);
}

/**
 * The price line over the last `windowMs` up to the newest data, downsampled with LTTB to at most
 * `maxPoints`. Ticks are used where the tick buffer reaches back far enough; older parts of the
 * window come from 1 s bar closes.
 */
export function pricePoints(
  series: SymbolSeries,
  windowMs: number,
  maxPoints: number,
  priceDecimals: number,
): PricePoint[] {
  const end = series.latestTime();
  if (end === null) return [];
  const from = end - windowMs;
  const { ticks, seconds } = series;
  const oldestTick = ticks.size > 0 ? ticks.timeAt(0) : end;
  let count = 0;
  if (oldestTick > from) {
    const firstBar = seconds.firstAtOrAfter(from);
    // Without ticks the bars run to the newest one, which is also `end`.
    const lastBar = ticks.size > 0 ? seconds.firstAtOrAfter(oldestTick) : seconds.size;
    ensureScratch(lastBar - firstBar + ticks.size);
    for (let i = firstBar; i < lastBar; i++) {
      scratchX[count] = seconds.startAt(i);
      scratchY[count++] = seconds.closeAt(i);
    }
  } else {
    ensureScratch(ticks.size);
  }
  for (let i = ticks.firstAtOrAfter(from); i < ticks.size; i++) {
    scratchX[count] = ticks.timeAt(i);
    scratchY[count++] = ticks.valueAt(i);
  }
  if (scratchKept.length < maxPoints) scratchKept = new Int32Array(maxPoints);
  const kept = lttbIndices(scratchX, scratchY, count, maxPoints, scratchKept);
  const scale = 10 ** priceDecimals;
  const points: PricePoint[] = new Array<PricePoint>(kept);
  for (let k = 0; k < kept; k++) {
    const i = scratchKept[k] as number;
    points[k] = { time: scratchX[i] as number, price: (scratchY[i] as number) / scale };
  }
  return points;
}
