import { useYAxisScale } from 'recharts';
import type { AlertLine } from '../../alerts/price-alert';
import type { PlotBox } from './chart-frame';

interface AlertLinesLayerProps {
  readonly lines: readonly AlertLine[];
  /** A scaled price on the price axis (which may be in percent). */
  readonly toAxis: (scaled: number) => number;
  readonly format: (axisValue: number) => string;
  readonly color: string;
  readonly labelText: string;
  readonly pane: PlotBox;
}

const LABEL_HEIGHT = 16;
const LABEL_WIDTH = 96;

/**
 * Each armed alert as a dashed line across the price pane, labelled at its left end with a bell
 * and its level; levels outside the visible prices are not drawn.
 */
export function AlertLinesLayer({
  lines,
  toAxis,
  format,
  color,
  labelText,
  pane,
}: AlertLinesLayerProps) {
  const y = useYAxisScale();
  if (!y || lines.length === 0) return null;
  return (
    <g className="alert-lines" data-testid="alert-lines">
      {lines.map((line) => {
        const value = toAxis(line.level);
        const at = y(value);
        if (at === undefined || at < pane.y || at > pane.y + pane.height) return null;
        return (
          <g key={line.id} data-testid="alert-line" data-level={line.level}>
            <line
              x1={pane.x}
              x2={pane.x + pane.width}
              y1={at}
              y2={at}
              stroke={color}
              strokeDasharray="6 4"
              strokeWidth={1.5}
            />
            <rect
              x={pane.x}
              y={at - LABEL_HEIGHT / 2}
              width={LABEL_WIDTH}
              height={LABEL_HEIGHT}
              rx={3}
              fill={color}
            />
            <text x={pane.x + 6} y={at + 4} fill={labelText} fontSize={11} fontWeight={600}>
              {`${line.direction === 'above' ? '▲' : '▼'} ${format(value)}`}
            </text>
          </g>
        );
      })}
    </g>
  );
}
