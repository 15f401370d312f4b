import { useState } from 'react';
import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { Indicator } from '../../indicators';
import { RetainedDrawing, spaceTransform, spaceX, spaceY } from './retained-drawing';
import type { AxisScale, DrawingSpace, DrawnRange } from './retained-drawing';

interface IndicatorLayerProps {
  readonly candles: ChartCandles;
  readonly first: number;
  readonly end: number;
  /** Bumped when a page changed the candles (ChartHistory.version). */
  readonly version: number;
  readonly indicators: readonly Indicator[];
  readonly colors: readonly string[];
  /** Indicator value (scaled, as the candles) → axis value. */
  readonly toAxis: (value: number) => number;
  /** Whether the pane's axis is logarithmic. */
  readonly log: boolean;
  /** The pane's axis: the price axis by default, `volume` for the volume pane's. */
  readonly yAxisId?: string;
}

/** Each indicator's lines over the closed candles, in one drawing space. */
interface IndicatorPaths {
  readonly space: DrawingSpace;
  /** Per indicator, per line. */
  readonly lines: readonly (readonly string[])[];
}

/**
 * Indicator lines over their pane, on recharts' scales: one path per line, broken where the
 * indicator has no value (before its period, or a VWAP day without volume). As with the candles,
 * the lines over closed candles are drawn once and moved by a transform; the last segment, to
 * the newest candle's value, is drawn at every frame.
 */
export function IndicatorLayer({
  candles,
  first,
  end,
  version,
  indicators,
  colors,
  toAxis,
  log,
  yAxisId,
}: IndicatorLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale(yAxisId);
  const [retained] = useState(() => new RetainedDrawing<IndicatorPaths>());
  if (!x || !y || indicators.length === 0 || first >= end) return null;
  const newest = candles.size - 1;
  const key = `${version}:${newest}:${log}:${indicators.map((i) => i.label).join(',')}`;
  const closed = retained.of(candles, key, first, end, newest, (range) =>
    drawLines(candles, indicators, range, log),
  );
  const transform = spaceTransform(closed.space, x, y, toAxis);
  const pixel = (value: number) => y(toAxis(value)) ?? 0;
  return (
    <g className="indicator-lines">
      {indicators.map((indicator, k) => {
        const color = colors[k % colors.length] ?? 'currentColor';
        const lines = [];
        for (let line = 0; line < indicator.lineCount; line++) {
          const dashed = line === 0 ? undefined : '4 3';
          const width = line === 0 ? 1.5 : 1;
          lines.push(
            <path
              key={line}
              d={closed.lines[k]?.[line] ?? ''}
              transform={transform}
              fill="none"
              stroke={color}
              strokeWidth={width}
              strokeDasharray={dashed}
              vectorEffect="non-scaling-stroke"
            />,
            end > newest && (
              <path
                key={`${line}-live`}
                d={liveSegment(candles, indicator, line, newest, x, pixel)}
                fill="none"
                stroke={color}
                strokeWidth={width}
                strokeDasharray={dashed}
              />
            ),
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

/** The lines over closed candles [first, end), x in intervals, y in value from the first close. */
function drawLines(
  candles: ChartCandles,
  indicators: readonly Indicator[],
  range: DrawnRange,
  log: boolean,
): IndicatorPaths {
  const origin = range.first < range.end ? candles.closeAt(range.first) : 1;
  const space: DrawingSpace = {
    originTime: range.first < range.end ? candles.startAt(range.first) : 0,
    intervalMs: candles.intervalMs,
    originValue: log ? Math.log(origin) : origin,
    log,
  };
  const digits = log ? 6 : 2;
  const lines = indicators.map((indicator) => {
    const paths: string[] = [];
    for (let line = 0; line < indicator.lineCount; line++) {
      let d = '';
      let pen = false;
      for (let i = range.first; i < range.end && i < indicator.size; i++) {
        const value = indicator.valueAt(line, i);
        if (Number.isNaN(value) || (log && !(value > 0))) {
          pen = false;
          continue;
        }
        const px = spaceX(space, candles.startAt(i)) + 0.5;
        d += `${pen ? 'L' : 'M'}${px.toFixed(3)},${spaceY(space, value).toFixed(digits)}`;
        pen = true;
      }
      paths.push(d);
    }
    return paths;
  });
  return { space, lines };
}

/** From the last closed candle's value to the newest's, in pixels (empty where either is none). */
function liveSegment(
  candles: ChartCandles,
  indicator: Indicator,
  line: number,
  newest: number,
  x: AxisScale,
  pixel: (value: number) => number,
): string {
  if (newest < 1 || newest >= indicator.size) return '';
  const before = indicator.valueAt(line, newest - 1);
  const now = indicator.valueAt(line, newest);
  if (Number.isNaN(before) || Number.isNaN(now)) return '';
  const half = candles.intervalMs / 2;
  const x0 = x(candles.startAt(newest - 1) + half) ?? 0;
  const x1 = x(candles.startAt(newest) + half) ?? 0;
  return `M${x0.toFixed(1)},${pixel(before).toFixed(1)}L${x1.toFixed(1)},${pixel(now).toFixed(1)}`;
}
