import { useXAxisScale, useYAxisScale } from 'recharts';
import type { PlotBox } from './chart-frame';
import type { AxisScale } from './retained-drawing';

interface GridLayerProps {
  /** The plot the grid covers: every pane of the chart. */
  readonly plot: PlotBox;
  /** The time axis's ticks: a vertical line each. */
  readonly times: readonly number[];
  /** The price axis's ticks: a horizontal line each. */
  readonly prices: readonly number[];
  readonly stroke: string;
}

const DASHES = '3 3';

/**
 * The grid behind a chart, at the ticks of recharts' (hidden) axes, as two paths. recharts'
 * CartesianGrid draws an element per line and reads its axes' ticks from recharts' store at
 * every redraw, which during a pan is every frame.
 */
export function GridLayer(props: GridLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return <Grid {...props} x={x} y={y} />;
}

/** The grid on scales of its own (a chart drawn without recharts, as a grid tile). */
export function Grid({
  plot,
  times,
  prices,
  stroke,
  x,
  y,
}: GridLayerProps & { readonly x: AxisScale; readonly y: AxisScale }) {
  const { horizontal, vertical } = gridLines(plot, x, times, y, prices);
  return (
    <g className="chart-grid" fill="none" stroke={stroke} strokeDasharray={DASHES}>
      <path d={horizontal} />
      <path d={vertical} />
    </g>
  );
}

/** The grid's lines inside the plot: one path across it per price tick, one down it per time. */
export function gridLines(
  plot: PlotBox,
  x: AxisScale,
  times: readonly number[],
  y: AxisScale,
  prices: readonly number[],
): { readonly horizontal: string; readonly vertical: string } {
  const right = plot.x + plot.width;
  const bottom = plot.y + plot.height;
  let vertical = '';
  for (const time of times) {
    const at = x(time);
    if (at !== undefined && at >= plot.x && at <= right) vertical += `M${at},${plot.y}V${bottom}`;
  }
  let horizontal = '';
  for (const price of prices) {
    const at = y(price);
    if (at !== undefined && at >= plot.y && at <= bottom) horizontal += `M${plot.x},${at}H${right}`;
  }
  return { horizontal, vertical };
}
