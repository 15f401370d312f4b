import { useState } from 'react';
import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { Indicator } from '../../indicators';
import {
  RetainedDrawing,
  linePiecesInSpace,
  closeSpace,
  liveSegment,
  spaceTransform,
} from './retained-drawing';
import type { DrawingSpace, DrawnRange } from './retained-drawing';
import { LinePieces } from './LinePieces';

const NO_PIECES: readonly string[] = [];

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
  /** Per indicator, per line, its pieces (linePiecesInSpace). */
  readonly lines: readonly (readonly (readonly string[])[])[];
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
            <g key={line} transform={transform}>
              <LinePieces
                pieces={closed.lines[k]?.[line] ?? NO_PIECES}
                stroke={color}
                strokeWidth={width}
                strokeDasharray={dashed}
              />
            </g>,
            end > newest && (
              <path
                key={`${line}-live`}
                d={liveSegment(candles, valueOf(indicator, line), x, pixel)}
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
  const space = closeSpace(candles, range, log);
  const lines = indicators.map((indicator) =>
    Array.from({ length: indicator.lineCount }, (_, line) =>
      linePiecesInSpace(space, candles, range, valueOf(indicator, line)),
    ),
  );
  return { space, lines };
}

/** One line of an indicator by candle index, NaN past what it has computed. */
function valueOf(indicator: Indicator, line: number): (index: number) => number {
  return (index) => (index < indicator.size ? indicator.valueAt(line, index) : Number.NaN);
}
