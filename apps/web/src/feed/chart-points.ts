import { lttbIndices } from '../lib/lttb';
import type { CandleBuffer } from './candle-buffer';
import type { SymbolSeries } from './symbol-series';

/** One price-line point: epoch milliseconds and a display price. */
export interface PricePoint {
  readonly time: number;
  readonly price: number;
}

/** One bar as the candle chart draws it, in display units. */
export interface CandlePoint {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** [low, high], the span a bar chart draws the candle's wick over. */
  readonly range: readonly [number, number];
}

/** The bars on screen at once; finer bars in a wide window are merged so SVG stays light. */
export const MAX_BARS = 240;

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

/**
 * The bars within the last `windowMs` of `bars`; if there would be more than `MAX_BARS`, each
 * group of `factor` consecutive intervals is merged into one bar. Returns the bars and the
 * interval each one spans.
 */
export function candlePoints(
  bars: CandleBuffer,
  windowMs: number,
  priceDecimals: number,
  sizeDecimals: number,
): { readonly points: CandlePoint[]; readonly barMs: number } {
  if (bars.size === 0) return { points: [], barMs: bars.intervalMs };
  const end = bars.startAt(bars.size - 1) + bars.intervalMs;
  const factor = Math.max(1, Math.ceil(windowMs / bars.intervalMs / MAX_BARS));
  const barMs = bars.intervalMs * factor;
  const from = Math.floor((end - windowMs) / barMs) * barMs;
  const priceScale = 10 ** priceDecimals;
  const sizeScale = 10 ** sizeDecimals;
  const points: CandlePoint[] = [];
  // The bar being merged, in scaled units; written out when the next one starts.
  let time = Number.NaN;
  let open = 0;
  let high = 0;
  let low = 0;
  let close = 0;
  let volume = 0;
  const emit = () => {
    points.push({
      time,
      open: open / priceScale,
      high: high / priceScale,
      low: low / priceScale,
      close: close / priceScale,
      volume: volume / sizeScale,
      range: [low / priceScale, high / priceScale],
    });
  };
  for (let i = bars.firstAtOrAfter(from); i < bars.size; i++) {
    const bar = bars.at(i);
    const barTime = bar.start - (bar.start % barMs);
    if (barTime === time) {
      high = Math.max(high, bar.high);
      low = Math.min(low, bar.low);
      close = bar.close;
      volume += bar.volume;
      continue;
    }
    if (!Number.isNaN(time)) emit();
    time = barTime;
    open = bar.open;
    high = bar.high;
    low = bar.low;
    close = bar.close;
    volume = bar.volume;
  }
  if (!Number.isNaN(time)) emit();
  return { points, barMs };
}
