import { memo } from 'react';
import { useDashboardStore, useFeedBridge } from '../dashboard-context';
import type { CandleBuffer } from '../feed/candle-buffer';

/** One minute of 1 s bar closes, redrawn once a second: enough to see a trend at a glance. */
const SPARK_POINTS = 60;
const WIDTH = 56;
const HEIGHT = 24;

interface SparklineProps {
  readonly ticker: string;
  readonly trend: 'up' | 'down' | 'flat';
  /** False while out of sight: it then keeps its last drawing. */
  readonly live: boolean;
}

/** A tiny inline price trend. Plain SVG: fifty recharts instances would cost more than the table. */
export const Sparkline = memo(function Sparkline({ ticker, trend, live }: SparklineProps) {
  const bridge = useFeedBridge();
  // Drawn on every render: it renders once a second (and when data first arrives), while live.
  useDashboardStore((s) => (live ? s.second : -1));
  const hasData = useDashboardStore((s) => (s.quotes.get(ticker)?.version ?? 0) > 0);
  const bars = bridge.series(ticker)?.seconds;
  const path = hasData && bars ? sparkPath(bars) : '';
  return (
    <svg
      className="sparkline"
      data-trend={trend}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${ticker} trend`}
    >
      {path !== '' && <path d={path} fill="none" strokeWidth={1.5} />}
    </svg>
  );
});

/** An SVG path of the last minute of bar closes, scaled to fill the box. */
function sparkPath(bars: CandleBuffer): string {
  if (bars.size < 2) return '';
  const first = Math.max(0, bars.size - SPARK_POINTS);
  let min = Infinity;
  let max = -Infinity;
  for (let i = first; i < bars.size; i++) {
    const close = bars.closeAt(i);
    if (close < min) min = close;
    if (close > max) max = close;
  }
  const span = max - min || 1;
  const step = WIDTH / (bars.size - 1 - first || 1);
  let d = '';
  for (let i = first; i < bars.size; i++) {
    const x = (i - first) * step;
    const y = HEIGHT - 2 - ((bars.closeAt(i) - min) / span) * (HEIGHT - 4);
    d += `${i === first ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  return d;
}
