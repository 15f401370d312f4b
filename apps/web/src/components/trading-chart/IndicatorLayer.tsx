import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { Indicator } from '../../indicators';

interface IndicatorLayerProps {
  readonly candles: ChartCandles;
  readonly first: number;
  readonly end: number;
  readonly indicators: readonly Indicator[];
  readonly colors: readonly string[];
  /** Indicator value (scaled, as the candles) → axis value. */
  readonly toAxis: (value: number) => number;
}

/**
 * Indicator lines over their pane, on recharts' scales: one path per line, broken where the
 * indicator has no value (before its period, or a VWAP day without volume).
 */
export function IndicatorLayer({
  candles,
  first,
  end,
  indicators,
  colors,
  toAxis,
}: IndicatorLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  const half = candles.intervalMs / 2;
  return (
    <g className="indicator-lines">
      {indicators.map((indicator, k) => {
        const color = colors[k % colors.length] ?? 'currentColor';
        const lines = [];
        for (let line = 0; line < indicator.lineCount; line++) {
          let d = '';
          let pen = false;
          for (let i = first; i < end && i < indicator.size; i++) {
            const value = indicator.valueAt(line, i);
            if (Number.isNaN(value)) {
              pen = false;
              continue;
            }
            const px = x(candles.startAt(i) + half) ?? 0;
            const py = y(toAxis(value)) ?? 0;
            d += `${pen ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`;
            pen = true;
          }
          lines.push(
            <path
              key={line}
              d={d}
              fill="none"
              stroke={color}
              strokeWidth={line === 0 ? 1.5 : 1}
              strokeDasharray={line === 0 ? undefined : '4 3'}
            />,
          );
        }
        return (
          <g key={indicator.label} className="indicator-line" data-indicator={indicator.label}>
            {lines}
          </g>
        );
      })}
    </g>
  );
}
