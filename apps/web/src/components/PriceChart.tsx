import { scaleLinear } from 'd3-scale';
import { memo } from 'react';
import type { PointerEvent } from 'react';
import type { HoverModel } from '../chart/hover-model';
import { pricePoints } from '../feed/chart-points';
import type { PricePoint } from '../feed/chart-points';
import { formatClockTime } from '../lib/format';
import { formatAxisPrice, priceTicks } from '../lib/price-ticks';
import type { PriceTicks } from '../lib/price-ticks';
import { timeTicks } from '../lib/time-ticks';
import { Grid } from './trading-chart/GridLayer';
import { PriceAxis } from './trading-chart/PriceAxisLayer';
import type { AxisScale } from './trading-chart/retained-drawing';
import { TimeAxis } from './trading-chart/TimeAxisLayer';
import { TileCrosshair } from './TileCrosshair';
import { PRICE_AXIS_WIDTH, useChartFrame } from './use-chart-frame';
import { useChartSummary } from './use-chart-summary';

const MARGIN = { top: 8, right: 28, bottom: 0, left: 0 };
/** Room under the plot for the time labels (as the trading chart's). */
const TIME_AXIS_HEIGHT = 30;
/** Beside the plot: the price axis on the left, a margin on the right. */
const PLOT_LEFT = MARGIN.left + PRICE_AXIS_WIDTH;
const PLOT_SIDES = PLOT_LEFT + MARGIN.right;

interface PriceChartProps {
  readonly ticker: string;
  readonly height: number;
  /** The grid's shared crosshair: every tile shows the instant the pointer is at over any. */
  readonly hover: HoverModel;
}

/**
 * The live price line over the chosen window, about one point per pixel (LTTB): a grid tile. It
 * redraws when the bridge bumps its chart version (a few times a second at most), not on every
 * tick. Twelve of them redraw in turn, so a tile is light SVG on scales of its own (as the
 * sparklines are), without a chart library's store: a grid, one path for the line and two axes.
 */
export const PriceChart = memo(function PriceChart({ ticker, height, hover }: PriceChartProps) {
  const {
    series,
    windowMs,
    priceDecimals: decimals,
    colors,
    ref,
    width,
  } = useChartFrame<HTMLDivElement>(ticker);
  const plotWidth = Math.max(width - PLOT_SIDES, 40);
  const summary = useChartSummary(ticker, decimals);

  // Built on every render on purpose: this component renders only when its chart version,
  // window, width, decimals or theme change, and each of those needs fresh points.
  const points = series ? pricePoints(series, windowMs, plotWidth, decimals) : [];
  // A label per ~110 px keeps narrow grid tiles from piling them up.
  const ticks = timeTicks(points, Math.max(2, Math.min(5, Math.floor(plotWidth / 110))));
  const prices = priceAxis(points, decimals);

  const plot = {
    x: PLOT_LEFT,
    y: MARGIN.top,
    width: plotWidth,
    height: Math.max(1, height - MARGIN.top - MARGIN.bottom - TIME_AXIS_HEIGHT),
  };
  const x = scaleLinear()
    .domain(timeDomain(points))
    .range([plot.x, plot.x + plot.width]);
  const y: AxisScale = scaleLinear()
    .domain(prices.domain)
    .range([plot.y + plot.height, plot.y]);

  return (
    <div ref={ref} className="price-chart" style={{ height }} data-points={points.length}>
      {points.length === 0 ? (
        <p className="chart-empty">Waiting for ticks…</p>
      ) : (
        <svg
          className="tile-surface"
          role="img"
          aria-label={summary}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          onPointerMove={(event: PointerEvent<SVGSVGElement>) => {
            const box = event.currentTarget.getBoundingClientRect();
            const px = event.clientX - box.left;
            const py = event.clientY - box.top;
            hover.set({ time: x.invert(px), x: px, y: py });
          }}
          onPointerLeave={() => {
            hover.set(null);
          }}
        >
          <Grid plot={plot} times={ticks} prices={prices.ticks} stroke={colors.grid} x={x} y={y} />
          <path
            className="price-line"
            d={linePath(points, x, y)}
            fill="none"
            stroke={colors.line}
            strokeWidth={1.5}
          />
          <TimeAxis
            plot={plot}
            ticks={ticks}
            format={formatClockTime}
            line={colors.grid}
            text={colors.axis}
            x={x}
          />
          <PriceAxis
            pane={plot}
            side="left"
            plot={plot}
            ticks={prices.ticks}
            format={(value: number) => formatAxisPrice(value, decimals)}
            line={colors.grid}
            text={colors.axis}
            y={y}
          />
          <TileCrosshair
            hover={hover}
            points={points}
            plot={plot}
            x={x}
            y={y}
            decimals={decimals}
            line={colors.axis}
            labelBackground={colors.axis}
            labelText={colors.crosshairText}
          />
        </svg>
      )}
    </div>
  );
});

/** The time axis's domain: the points' span, widened to a millisecond when they are one. */
function timeDomain(points: readonly PricePoint[]): [number, number] {
  const first = points[0]?.time ?? 0;
  const last = points.at(-1)?.time ?? first;
  return [first, Math.max(last, first + 1)];
}

/** The price axis over the points on screen: nice ticks in the symbol's decimals. */
function priceAxis(points: readonly PricePoint[], decimals: number): PriceTicks {
  let min = Infinity;
  let max = -Infinity;
  for (const { price } of points) {
    if (price < min) min = price;
    if (price > max) max = price;
  }
  return priceTicks(min, max, decimals);
}

/** The line as one straight-segment path through the points. */
function linePath(points: readonly PricePoint[], x: AxisScale, y: AxisScale): string {
  let d = '';
  for (const point of points) {
    const px = x(point.time);
    const py = y(point.price);
    if (px === undefined || py === undefined) continue;
    d += `${d === '' ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
  }
  return d;
}
