import { useXAxisScale, useYAxisScale } from 'recharts';
import type { CompareSeries } from '../../chart/compare-series';

/** Compared symbols as lines of their closes, in percent, each in its own colour. */
export function CompareLayer({
  series,
  colors,
}: {
  readonly series: readonly CompareSeries[];
  readonly colors: readonly string[];
}) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return (
    <g className="compare-lines">
      {series.map((line, k) => {
        const { candles, first, end, toAxis } = line;
        const half = candles.intervalMs / 2;
        let d = '';
        for (let i = first; i < end; i++) {
          const px = x(candles.startAt(i) + half) ?? 0;
          const py = y(toAxis(candles.closeAt(i))) ?? 0;
          d += `${i === first ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
        }
        return (
          <path
            key={line.ticker}
            className="compare-line"
            data-ticker={line.ticker}
            d={d}
            fill="none"
            stroke={colors[k % colors.length]}
            strokeWidth={1.5}
          />
        );
      })}
    </g>
  );
}
