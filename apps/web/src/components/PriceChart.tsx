import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { PricePoint } from '../feed/price-points';
import { formatClockTime } from '../lib/format';
import { timeTicks } from '../lib/time-ticks';

/** Chart height in pixels; ResponsiveContainer only sizes the width from its parent. */
const CHART_HEIGHT = 220;
interface PriceChartProps {
  readonly points: readonly PricePoint[];
  readonly priceDecimals: number;
}

/**
 * Price over time. Animation and dots are off: with a redraw every frame, tweening would lag
 * behind the data and hundreds of dots would cost more than the line itself.
 */
export const PriceChart = memo(function PriceChart({ points, priceDecimals }: PriceChartProps) {
  const ticks = useMemo(() => timeTicks(points), [points]);
  return (
    <div className="price-chart">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={points} margin={{ top: 8, right: 28, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="time"
            type="number"
            domain={['dataMin', 'dataMax']}
            ticks={ticks}
            interval={0}
            tickFormatter={formatClockTime}
            tick={{ fontSize: 11 }}
          />
          <YAxis
            domain={['auto', 'auto']}
            tickFormatter={(value: number) => value.toFixed(priceDecimals)}
            width={80}
            tick={{ fontSize: 11 }}
          />
          <Line
            type="linear"
            dataKey="price"
            stroke="#2563eb"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
