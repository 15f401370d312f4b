import { useXAxisScale } from 'recharts';
import { AXIS_FONT_SIZE, LABEL_OFFSET, TICK_SIZE } from './axis-marks';
import type { AxisLabels } from './axis-marks';
import type { PlotBox } from './chart-frame';
import type { AxisScale } from './retained-drawing';

interface TimeAxisLayerProps extends AxisLabels {
  /** The whole plot (both panes): the labels go under it. */
  readonly plot: PlotBox;
}

/**
 * The time axis under both panes, drawn on recharts' (hidden) time axis's scale. As the price
 * axis (PriceAxisLayer), its labels are keyed by their time: a pan moves them, a zoom replaces
 * only the labels whose times change.
 */
export function TimeAxisLayer(props: TimeAxisLayerProps) {
  const x = useXAxisScale();
  if (!x) return null;
  return <TimeAxis {...props} x={x} />;
}

/** The time axis on a scale of its own (a chart drawn without recharts, as a grid tile). */
export function TimeAxis({
  plot,
  ticks,
  format,
  line,
  text,
  x,
}: TimeAxisLayerProps & { readonly x: AxisScale }) {
  const bottom = plot.y + plot.height;
  const right = plot.x + plot.width;
  return (
    <g className="time-axis">
      <line x1={plot.x} x2={right} y1={bottom} y2={bottom} stroke={line} />
      {ticks.map((tick) => {
        const at = x(tick);
        if (at === undefined || at < plot.x || at > right) return null;
        return (
          <g key={tick} transform={`translate(${at},${bottom})`}>
            <line y2={TICK_SIZE} stroke={line} />
            <text
              y={LABEL_OFFSET}
              dy="0.71em"
              textAnchor="middle"
              fill={text}
              fontSize={AXIS_FONT_SIZE}
            >
              {format(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}
