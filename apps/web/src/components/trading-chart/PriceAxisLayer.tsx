import { useYAxisScale } from 'recharts';
import { AXIS_FONT_SIZE, LABEL_OFFSET, TICK_SIZE } from './axis-marks';
import type { AxisLabels } from './axis-marks';
import type { PlotBox } from './chart-frame';
import type { AxisScale } from './retained-drawing';

interface PriceAxisLayerProps extends AxisLabels {
  /** The price pane; the labels go beside it, in the axis's column. */
  readonly pane: PlotBox;
  /** Which side of the pane the axis is on (trading charts: right). */
  readonly side?: 'left' | 'right';
  /** The whole plot (both panes): the axis line runs its height. */
  readonly plot: PlotBox;
}

/**
 * The price axis, drawn on recharts' (hidden) price axis's scale. recharts keys an axis's ticks
 * by their coordinates, so every frame of a zoom or pan would remove and create each label; here
 * a label is keyed by its value and only moves, and its text changes only when its value does.
 */
export function PriceAxisLayer(props: PriceAxisLayerProps) {
  const y = useYAxisScale();
  if (!y) return null;
  return <PriceAxis {...props} y={y} />;
}

/** The price axis on a scale of its own (a chart drawn without recharts, as a grid tile). */
export function PriceAxis({
  pane,
  side = 'right',
  plot,
  ticks,
  format,
  line,
  text,
  y,
}: PriceAxisLayerProps & { readonly y: AxisScale }) {
  const edge = side === 'right' ? pane.x + pane.width : pane.x;
  const outward = side === 'right' ? 1 : -1;
  return (
    <g className="price-axis">
      <line x1={edge} x2={edge} y1={plot.y} y2={plot.y + plot.height} stroke={line} />
      {ticks.map((tick) => {
        const at = y(tick);
        if (at === undefined || at < pane.y || at > pane.y + pane.height) return null;
        return (
          <g key={tick} transform={`translate(${edge},${at})`}>
            <line x2={outward * TICK_SIZE} stroke={line} />
            <text
              x={outward * LABEL_OFFSET}
              dy="0.355em"
              textAnchor={side === 'right' ? 'start' : 'end'}
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
