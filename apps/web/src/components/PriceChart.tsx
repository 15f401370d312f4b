import { memo } from 'react';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import type { CurveProps } from 'recharts';
import { pricePoints } from '../feed/chart-points';
import type { PricePoint } from '../feed/chart-points';
import { formatClockTime } from '../lib/format';
import { formatAxisPrice, priceTicks } from '../lib/price-ticks';
import type { PriceTicks } from '../lib/price-ticks';
import { timeTicks } from '../lib/time-ticks';
import { PRICE_AXIS_WIDTH, useChartFrame } from './use-chart-frame';

interface PriceChartProps {
  readonly ticker: string;
  readonly height: number;
}

/**
 * The live price line over the chosen window, about one point per pixel (LTTB). It redraws when
 * the bridge bumps its chart version (a few times a second at most), not on every tick.
 * Animation and dots are off: tweening would lag the data and dots cost more than the line.
 */
export const PriceChart = memo(function PriceChart({ ticker, height }: PriceChartProps) {
  const {
    series,
    windowMs,
    priceDecimals: decimals,
    colors,
    axis,
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

  return (
    <div ref={ref} className="price-chart" style={{ height }} data-points={points.length}>
      {points.length === 0 ? (
        <p className="chart-empty">Waiting for ticks…</p>
      ) : (
        <LineChart
          width={width}
          height={height}
          data={points}
          margin={{ top: 8, right: 28, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
          <XAxis
            dataKey="time"
            type="number"
            domain={['dataMin', 'dataMax']}
            ticks={ticks}
            interval={0}
            tickFormatter={formatClockTime}
            {...axis}
          />
          <YAxis
            domain={prices.domain}
            ticks={prices.ticks}
            interval={0}
            tickFormatter={(value: number) => formatAxisPrice(value, decimals)}
            width={PRICE_AXIS_WIDTH}
            {...axis}
          />
          <Line
            type="linear"
            dataKey="price"
            stroke={colors.line}
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
            shape={polylineShape}
          />
        </LineChart>
      )}
    </div>
  );
});

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
 * The line as one straight-segment path. recharts' own curve measures its path with
 * getTotalLength() on every render (for an entry animation that is off here), which forced a
 * geometry pass per chart per redraw; a path without that ref skips it.
 */
function polylineShape({ points, stroke, strokeWidth }: CurveProps) {
  let d = '';
  for (const point of points ?? []) {
    if (point.x == null || point.y == null) continue;
    d += `${d === '' ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`;
  }
  return (
    <path
      className="recharts-curve recharts-line-curve"
      d={d}
      fill="none"
      stroke={stroke}
      strokeWidth={strokeWidth}
    />
  );
}
