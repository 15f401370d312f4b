import { useYAxisScale } from 'recharts';
import { LABEL_OFFSET } from './axis-marks';
import type { AxisLabels } from './axis-marks';
import type { PlotBox } from './chart-frame';

interface VolumeAxisLayerProps extends AxisLabels {
  /** The volume pane; its labels go in the price axis's column, right of it. */
  readonly pane: PlotBox;
}

/**
 * The volume pane's edge and its axis labels. The pane shares the chart (and recharts' price
 * axis column) with the price pane, so its few labels are drawn here, on its own hidden axis's
 * scale, with a line closing the pane at its top.
 */
export function VolumeAxisLayer({ pane, ticks, format, line, text }: VolumeAxisLayerProps) {
  const y = useYAxisScale('volume');
  if (!y) return null;
  const right = pane.x + pane.width;
  return (
    <g className="volume-axis">
      <line x1={pane.x} x2={right + 6} y1={pane.y - 0.5} y2={pane.y - 0.5} stroke={line} />
      {ticks.map((tick) => {
        const at = y(tick);
        if (at === undefined || at < pane.y + 6 || at > pane.y + pane.height) return null;
        return (
          <text key={tick} x={right + LABEL_OFFSET} y={at + 3} fill={text} fontSize={10}>
            {format(tick)}
          </text>
        );
      })}
    </g>
  );
}
