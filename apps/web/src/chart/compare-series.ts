import type { ChartCandles } from './chart-candles';

/**
 * A compared symbol over the chart's range: its candles from `from` to `to`, as percent change
 * from its first close in the range, so lines of any price level share one axis.
 */
export interface CompareSeries {
  readonly ticker: string;
  readonly candles: ChartCandles;
  /** Its history's version (ChartHistory.version): bumped when a page changed the candles. */
  readonly version: number;
  readonly first: number;
  readonly end: number;
  /** Scaled close → percent change from the first close on screen. */
  readonly toAxis: (scaledPrice: number) => number;
  readonly low: number;
  readonly high: number;
}

export function compareSeries(
  ticker: string,
  candles: ChartCandles,
  version: number,
  from: number,
  to: number,
): CompareSeries | null {
  const first = candles.firstAtOrAfter(from - candles.intervalMs + 1);
  const end = candles.firstAtOrAfter(to);
  if (first >= end) return null;
  const base = candles.closeAt(first);
  if (!(base > 0)) return null;
  const toAxis = (price: number) => (price / base - 1) * 100;
  let low = Infinity;
  let high = -Infinity;
  for (let i = first; i < end; i++) {
    const value = toAxis(candles.closeAt(i));
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { ticker, candles, version, first, end, toAxis, low, high };
}
