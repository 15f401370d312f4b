import type { PriceScale } from '../store/view-options';
import type { ChartCandles } from './chart-candles';

/**
 * The candles in a chart's time range and what its axes need: the index range to draw, the
 * extremes in axis units, and the function from a scaled price to an axis value (a price, or a
 * percent change from the first candle on screen).
 */
export interface VisibleCandles {
  readonly from: number;
  readonly to: number;
  /** First index drawn (the candle cut by the left edge included). */
  readonly first: number;
  /** One past the last index drawn. */
  readonly end: number;
  readonly low: number;
  readonly high: number;
  readonly maxVolume: number;
  readonly toAxis: (scaledPrice: number) => number;
  /** Back from an axis value to the nearest scaled price (where a click on the axis points). */
  readonly fromAxis: (axisValue: number) => number;
}

/** Scaled price → axis value, for a scale and the close of the first candle on screen. */
export function axisTransform(
  scale: PriceScale,
  decimals: number,
  baseClose: number | null,
): (scaledPrice: number) => number {
  if (scale === 'percent' && baseClose !== null && baseClose > 0) {
    return (price) => (price / baseClose - 1) * 100;
  }
  const unit = 10 ** decimals;
  return (price) => price / unit;
}

/** Axis value → the nearest scaled price: `axisTransform`'s inverse, for the same arguments. */
export function axisInverse(
  scale: PriceScale,
  decimals: number,
  baseClose: number | null,
): (axisValue: number) => number {
  if (scale === 'percent' && baseClose !== null && baseClose > 0) {
    return (value) => Math.round(baseClose * (1 + value / 100));
  }
  const unit = 10 ** decimals;
  return (value) => Math.round(value * unit);
}

export function visibleCandles(
  candles: ChartCandles,
  from: number,
  to: number,
  scale: PriceScale,
  decimals: number,
  closesOnly: boolean,
): VisibleCandles {
  const first = candles.firstAtOrAfter(from - candles.intervalMs + 1);
  const end = candles.firstAtOrAfter(to);
  const baseClose = first < end ? candles.closeAt(first) : null;
  const toAxis = axisTransform(scale, decimals, baseClose);
  const fromAxis = axisInverse(scale, decimals, baseClose);
  let low = Infinity;
  let high = -Infinity;
  let maxVolume = 0;
  for (let i = first; i < end; i++) {
    const top = toAxis(closesOnly ? candles.closeAt(i) : candles.highAt(i));
    const bottom = toAxis(closesOnly ? candles.closeAt(i) : candles.lowAt(i));
    if (bottom < low) low = bottom;
    if (top > high) high = top;
    const volume = candles.volumeAt(i);
    if (volume > maxVolume) maxVolume = volume;
  }
  return { from, to, first, end, low, high, maxVolume, toAxis, fromAxis };
}
