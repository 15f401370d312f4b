import { memo } from 'react';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import type { CurveProps } from 'recharts';
import { useDashboardStore, useFeedBridge } from '../dashboard-context';
import { pricePoints } from '../feed/chart-points';
import type { PricePoint } from '../feed/chart-points';
import { formatClockTime } from '../lib/format';
import { CHART_COLORS, useResolvedTheme } from '../lib/theme';
import { timeTicks } from '../lib/time-ticks';
import { useElementWidth } from '../lib/use-element-width';
import { WINDOW_MS } from '../store/view-options';

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
  const bridge = useFeedBridge();
  // Subscribed for its changes: each one is the bridge's signal that the buffer has new points.
  useDashboardStore((s) => s.chartVersions.get(ticker) ?? 0);
  const window = useDashboardStore((s) => s.window);
  const decimals = useDashboardStore((s) => s.symbolsByTicker.get(ticker)?.priceDecimals ?? 0);
  const colors = CHART_COLORS[useResolvedTheme(useDashboardStore((s) => s.theme))];
  const [ref, width] = useElementWidth<HTMLDivElement>(480);
  const plotWidth = Math.max(width - 106, 40);

  // Built on every render on purpose: this component renders only when its chart version,
  // window, width, decimals or theme change, and each of those needs fresh points.
  const series = bridge.series(ticker);
  const points = series ? pricePoints(series, WINDOW_MS[window], plotWidth, decimals) : [];
  // A label per ~110 px keeps narrow grid tiles from piling them up.
  const ticks = timeTicks(points, Math.max(2, Math.min(5, Math.floor(plotWidth / 110))));
  const domain = priceDomain(points, decimals);

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
            tick={{ fontSize: 11, fill: colors.axis }}
            stroke={colors.grid}
          />
          <YAxis
            domain={domain}
            tickFormatter={(value: number) => value.toFixed(decimals)}
            width={78}
            tick={{ fontSize: 11, fill: colors.axis }}
            stroke={colors.grid}
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

/**
 * The price axis range: the data's, widened to at least four price steps so a symbol that barely
 * moves does not get several axis labels rounding to the same price.
 */
function priceDomain(points: readonly PricePoint[], decimals: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const { price } of points) {
    if (price < min) min = price;
    if (price > max) max = price;
  }
  const minSpan = 4 / 10 ** decimals;
  const pad = Math.max(0, (minSpan - (max - min)) / 2);
  return [min - pad, max + pad];
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
