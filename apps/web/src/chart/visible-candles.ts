import type { PriceScale } from '../store/view-options';
import type { ChartCandles } from './chart-candles';

/**
 * The candles in a chart's time range and what its axes need: the index range to draw, the
 * extremes in axis units, and the mapping between scaled prices and axis values (a price, or a
 * percent change from the first candle on screen).
 */
export interface VisibleCandles extends AxisScale {
  readonly from: number;
  readonly to: number;
  /** First index drawn (the candle cut by the left edge included). */
  readonly first: number;
  /** One past the last index drawn. */
  readonly end: number;
  readonly low: number;
  readonly high: number;
  readonly maxVolume: number;
}

/** How a chart's scaled prices map onto its price axis, both ways. */
export interface AxisScale {
  /** Scaled price → axis value. */
  readonly toAxis: (scaledPrice: number) => number;
  /** Axis value → the nearest scaled price. */
  readonly fromAxis: (axisValue: number) => number;
}

/**
 * The axis of a scale: a price in whole units (linear or log), or the percent change from the
 * close of the first candle on screen, decided once for both directions.
 */
export function axisScale(
  scale: PriceScale,
  decimals: number,
  baseClose: number | null,
): AxisScale {
  if (scale === 'percent' && baseClose !== null && baseClose > 0) {
    return {
      toAxis: (price) => (price / baseClose - 1) * 100,
      fromAxis: (value) => Math.round(baseClose * (1 + value / 100)),
    };
  }
  const unit = 10 ** decimals;
  return {
    toAxis: (price) => price / unit,
    fromAxis: (value) => Math.round(value * unit),
  };
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
  const { toAxis, fromAxis } = axisScale(
    scale,
    decimals,
    first < end ? candles.closeAt(first) : null,
  );
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
