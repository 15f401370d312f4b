import type { ChartCandles } from '../../chart/chart-candles';
import type { CompareSeries } from '../../chart/compare-series';
import type { Indicator } from '../../indicators';
import type { PriceScale } from '../../store/view-options';

/** A pane's plot area within the chart's box, in CSS pixels. */
export interface PlotBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * What the crosshair and the legend need of the chart as last drawn: its candles, its scales and
 * where its panes are. Rewritten on each draw; read when the pointer moves, so those two follow
 * the pointer without redrawing the chart.
 */
export interface ChartFrame {
  candles: ChartCandles | null;
  from: number;
  to: number;
  /** The price axis's domain, in axis units, and how values map onto it. */
  yMin: number;
  yMax: number;
  scale: PriceScale;
  toAxis: (scaledPrice: number) => number;
  fromAxis: (axisValue: number) => number;
  priceDecimals: number;
  sizeDecimals: number;
  indicators: readonly Indicator[];
  compares: readonly CompareSeries[];
  pricePlot: PlotBox | null;
  /** The volume pane's plot, offset by the price pane's height. */
  volumePlot: PlotBox | null;
}

export function emptyFrame(): ChartFrame {
  return {
    candles: null,
    from: 0,
    to: 1,
    yMin: 0,
    yMax: 1,
    scale: 'linear',
    toAxis: (price) => price,
    fromAxis: (value) => value,
    priceDecimals: 0,
    sizeDecimals: 0,
    indicators: [],
    compares: [],
    pricePlot: null,
    volumePlot: null,
  };
}

/** The instant at a horizontal position of the chart's box. */
export function timeAtX(frame: ChartFrame, x: number): number | null {
  const plot = frame.pricePlot;
  if (!plot || plot.width <= 0) return null;
  return frame.from + ((x - plot.x) / plot.width) * (frame.to - frame.from);
}

/** The horizontal position of an instant. */
export function xAtTime(frame: ChartFrame, time: number): number | null {
  const plot = frame.pricePlot;
  if (!plot) return null;
  return plot.x + ((time - frame.from) / (frame.to - frame.from)) * plot.width;
}

/** The axis value at a vertical position of the price pane (log scales are log-linear). */
export function valueAtY(frame: ChartFrame, y: number): number | null {
  const plot = frame.pricePlot;
  if (!plot || y < plot.y || y > plot.y + plot.height) return null;
  const share = (plot.y + plot.height - y) / plot.height;
  if (frame.scale === 'log' && frame.yMin > 0) {
    return Math.exp(Math.log(frame.yMin) + share * (Math.log(frame.yMax) - Math.log(frame.yMin)));
  }
  return frame.yMin + share * (frame.yMax - frame.yMin);
}

/**
 * The side of the crosshair's bell: drawn at the price axis's edge, it and the axis beside the
 * price pane set an alert at the price clicked.
 */
export const ALERT_BELL_SIZE = 18;

/** Whether a point of the chart's box is on the bell or the price axis beside the price pane. */
export function onAlertAxis(frame: ChartFrame, x: number, y: number): boolean {
  const plot = frame.pricePlot;
  return (
    plot !== null &&
    x >= plot.x + plot.width - ALERT_BELL_SIZE &&
    y >= plot.y &&
    y <= plot.y + plot.height
  );
}

/** The scaled price at a height of the price pane, or null outside it or at no price (≤ 0). */
export function priceAtY(frame: ChartFrame, y: number): number | null {
  const value = valueAtY(frame, y);
  if (value === null) return null;
  const price = frame.fromAxis(value);
  return price > 0 ? price : null;
}

/** The index of the candle covering `time`, or -1 where there is none (an empty interval). */
export function candleAt(candles: ChartCandles, time: number): number {
  const start = time - (((time % candles.intervalMs) + candles.intervalMs) % candles.intervalMs);
  const index = candles.firstAtOrAfter(start);
  return index < candles.size && candles.startAt(index) === start ? index : -1;
}
