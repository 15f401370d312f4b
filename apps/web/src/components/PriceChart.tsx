import { memo } from 'react';
import { LineChart, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import { pricePoints } from '../feed/chart-points';
import type { PricePoint } from '../feed/chart-points';
import { formatClockTime } from '../lib/format';
import { formatAxisPrice, priceTicks } from '../lib/price-ticks';
import type { PriceTicks } from '../lib/price-ticks';
import { timeTicks } from '../lib/time-ticks';
import { GridLayer } from './trading-chart/GridLayer';
import { PriceAxisLayer } from './trading-chart/PriceAxisLayer';
import { TimeAxisLayer } from './trading-chart/TimeAxisLayer';
import { PRICE_AXIS_WIDTH, useChartFrame } from './use-chart-frame';

const MARGIN = { top: 8, right: 28, bottom: 0, left: 0 };
/** recharts' own time axis height. */
const TIME_AXIS_HEIGHT = 30;
const CHART_MARGIN = {
  ...MARGIN,
  left: MARGIN.left + PRICE_AXIS_WIDTH,
  bottom: MARGIN.bottom + TIME_AXIS_HEIGHT,
};
/** No data on recharts' side: the line layer reads the points itself. */
const NO_DATA: never[] = [];

interface PriceChartProps {
  readonly ticker: string;
  readonly height: number;
}

/**
 * The live price line over the chosen window, about one point per pixel (LTTB). It redraws when
 * the bridge bumps its chart version (a few times a second at most), not on every tick.
 * recharts gives the scales and the grid; the line and the axes are layers of their own.
 */
export const PriceChart = memo(function PriceChart({ ticker, height }: PriceChartProps) {
  const {
    series,
    windowMs,
    priceDecimals: decimals,
    colors,
    ref,
    width,
  } = useChartFrame<HTMLDivElement>(ticker);
  const plotWidth = Math.max(width - 106, 40);

  // Built on every render on purpose: this component renders only when its chart version,
  // window, width, decimals or theme change, and each of those needs fresh points.
  const points = series ? pricePoints(series, windowMs, plotWidth, decimals) : [];
  // A label per ~110 px keeps narrow grid tiles from piling them up.
  const ticks = timeTicks(points, Math.max(2, Math.min(5, Math.floor(plotWidth / 110))));
  const prices = priceAxis(points, decimals);

  const time = timeDomain(points);
  // The plot inside recharts' margin: the axes are hidden recharts axes drawn by layers of
  // their own, so their room is part of the margin.
  const plot = {
    x: CHART_MARGIN.left,
    y: MARGIN.top,
    width: plotWidth,
    height: Math.max(1, height - MARGIN.top - MARGIN.bottom - TIME_AXIS_HEIGHT),
  };

  return (
    <div ref={ref} className="price-chart" style={{ height }} data-points={points.length}>
      {points.length === 0 ? (
        <p className="chart-empty">Waiting for ticks…</p>
      ) : (
        <LineChart width={width} height={height} data={NO_DATA} margin={CHART_MARGIN}>
          <XAxis
            type="number"
            dataKey="time"
            domain={time}
            allowDataOverflow
            niceTicks="none"
            ticks={ticks}
            interval={0}
            hide
          />
          <YAxis
            type="number"
            domain={prices.domain}
            allowDataOverflow
            niceTicks="none"
            ticks={prices.ticks}
            interval={0}
            hide
          />
          <GridLayer plot={plot} times={ticks} prices={prices.ticks} stroke={colors.grid} />
          <PriceLineLayer points={points} stroke={colors.line} />
          <TimeAxisLayer
            plot={plot}
            ticks={ticks}
            format={formatClockTime}
            line={colors.grid}
            text={colors.axis}
          />
          <PriceAxisLayer
            pane={plot}
            side="left"
            plot={plot}
            ticks={prices.ticks}
            format={(value: number) => formatAxisPrice(value, decimals)}
            line={colors.grid}
            text={colors.axis}
          />
        </LineChart>
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

/**
 * The line as one straight-segment path on recharts' scales. recharts' own Line keeps its points
 * in its store and builds label entries for every point, shown or not, at each redraw: twelve
 * tiles' worth of work a layer of our own does not do.
 */
function PriceLineLayer({ points, stroke }: { points: readonly PricePoint[]; stroke: string }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  let d = '';
  for (const point of points) {
    const px = x(point.time);
    const py = y(point.price);
    if (px === undefined || py === undefined) continue;
    d += `${d === '' ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
  }
  return <path className="price-line" d={d} fill="none" stroke={stroke} strokeWidth={1.5} />;
}
