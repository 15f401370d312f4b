import { memo, useMemo } from 'react';
import { Bar, CartesianGrid, ComposedChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { candlePoints } from '../feed/chart-points';
import type { CandlePoint } from '../feed/chart-points';
import { formatClockMinutes, formatClockTime } from '../lib/format';
import { formatAxisPrice, priceTicks } from '../lib/price-ticks';
import type { PriceTicks } from '../lib/price-ticks';
import { useDashboardStore } from '../dashboard-context';
import { CHART_COLORS } from '../lib/theme';
import type { Theme } from '../lib/theme';
import { PRICE_AXIS_WIDTH, useChartFrame } from './use-chart-frame';

interface CandleChartProps {
  readonly ticker: string;
  readonly height: number;
}

interface CandleShapeProps {
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
  readonly payload?: CandlePoint;
}

/**
 * Candlesticks with volume bars beneath, from the server's 1 s or 1 min bars extended live.
 * Built on recharts' composed chart: each candle is a bar over [low, high] drawn as a wick and
 * a body by a custom shape; volume is a second bar series on its own hidden axis.
 */
export const CandleChart = memo(function CandleChart({ ticker, height }: CandleChartProps) {
  const timeframe = useDashboardStore((s) => s.timeframe);
  const { series, windowMs, priceDecimals, sizeDecimals, theme, colors, axis, ref, width } =
    useChartFrame<HTMLElement>(ticker);

  // Built on every render on purpose: this component renders only when its chart version or
  // view changes, and each of those needs fresh bars.
  const bars = timeframe === '1s' ? series?.seconds : series?.minutes;
  const { points, barMs } = bars
    ? candlePoints(bars, windowMs, priceDecimals, sizeDecimals)
    : { points: [], barMs: 0 };
  const maxVolume = points.reduce((max, p) => Math.max(max, p.volume), 0);
  const prices = candleAxis(points, priceDecimals);
  const formatTime = barMs >= 60_000 ? formatClockMinutes : formatClockTime;
  const shape = useMemo(() => candleShape(theme), [theme]);

  return (
    <figure
      ref={ref}
      className="candle-chart"
      style={{ height }}
      aria-label={`${ticker} candles`}
      data-bars={points.length}
      data-bar-ms={barMs}
    >
      {points.length === 0 ? (
        <p className="chart-empty">Waiting for bars…</p>
      ) : (
        <ComposedChart
          width={width}
          height={height}
          data={points}
          margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          barCategoryGap="15%"
        >
          <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="time" tickFormatter={formatTime} minTickGap={40} {...axis} />
          <YAxis
            yAxisId="price"
            domain={prices.domain}
            ticks={prices.ticks}
            interval={0}
            tickFormatter={(value: number) => formatAxisPrice(value, priceDecimals)}
            width={PRICE_AXIS_WIDTH}
            {...axis}
          />
          {/* Volume fills the bottom quarter: its axis reaches four times the largest bar. */}
          <YAxis yAxisId="volume" orientation="right" domain={[0, maxVolume * 4 || 1]} hide />
          <Bar
            yAxisId="volume"
            dataKey="volume"
            fill={colors.volume}
            fillOpacity={0.5}
            isAnimationActive={false}
          />
          <Bar yAxisId="price" dataKey="range" shape={shape} isAnimationActive={false} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: colors.grid, fillOpacity: 0.4 }}
            content={(props: TooltipContentProps) => (
              <CandleTooltip {...props} priceDecimals={priceDecimals} formatTime={formatTime} />
            )}
          />
        </ComposedChart>
      )}
      <figcaption className="visually-hidden-label">
        {`${ticker}: ${points.length} bars of ${barMs / 1_000} s`}
      </figcaption>
    </figure>
  );
});

function candleShape(theme: Theme) {
  const { up, down } = CHART_COLORS[theme];
  return function Candle({ x = 0, y = 0, width = 0, height = 0, payload }: CandleShapeProps) {
    if (!payload) return <g />;
    const { open, close, high, low } = payload;
    const color = close >= open ? up : down;
    const pxPerPrice = high === low ? 0 : height / (high - low);
    const bodyTop = y + (high - Math.max(open, close)) * pxPerPrice;
    const bodyHeight = Math.max(1, Math.abs(open - close) * pxPerPrice);
    const center = x + width / 2;
    return (
      <g className="candle" data-direction={close >= open ? 'up' : 'down'}>
        <line x1={center} x2={center} y1={y} y2={y + Math.max(height, 1)} stroke={color} />
        <rect x={x} y={bodyTop} width={Math.max(width, 1)} height={bodyHeight} fill={color} />
      </g>
    );
  };
}

function CandleTooltip({
  active,
  payload,
  priceDecimals,
  formatTime,
}: TooltipContentProps & {
  readonly priceDecimals: number;
  readonly formatTime: (epochMs: number) => string;
}) {
  const candle = payload[0]?.payload as CandlePoint | undefined;
  if (!active || !candle) return null;
  const price = (value: number) => value.toFixed(priceDecimals);
  return (
    <div className="candle-tooltip" role="tooltip">
      <strong>{formatTime(candle.time)}</strong>
      <dl>
        <dt>O</dt>
        <dd>{price(candle.open)}</dd>
        <dt>H</dt>
        <dd>{price(candle.high)}</dd>
        <dt>L</dt>
        <dd>{price(candle.low)}</dd>
        <dt>C</dt>
        <dd>{price(candle.close)}</dd>
        <dt>V</dt>
        <dd>{candle.volume.toLocaleString('en-US', { maximumFractionDigits: 4 })}</dd>
      </dl>
    </div>
  );
}

/** The price axis over the candles on screen, wicks included: nice ticks in the symbol's decimals. */
function candleAxis(points: readonly CandlePoint[], decimals: number): PriceTicks {
  let min = Infinity;
  let max = -Infinity;
  for (const { low, high } of points) {
    if (low < min) min = low;
    if (high > max) max = high;
  }
  return priceTicks(min, max, decimals);
}
