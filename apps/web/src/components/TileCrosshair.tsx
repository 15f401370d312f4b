import { useSyncExternalStore } from 'react';
import type { HoverModel } from '../chart/hover-model';
import type { PricePoint } from '../feed/chart-points';
import { formatClockTime } from '../lib/format';
import { formatAxisPrice } from '../lib/price-ticks';
import type { AxisScale } from './trading-chart/retained-drawing';

interface TileCrosshairProps {
  /** Shared by every tile of the grid: the instant under the pointer, over whichever tile. */
  readonly hover: HoverModel;
  readonly points: readonly PricePoint[];
  readonly plot: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  };
  readonly x: AxisScale;
  readonly y: AxisScale;
  readonly decimals: number;
  readonly line: string;
  readonly labelBackground: string;
  readonly labelText: string;
}

const LABEL_WIDTH = 128;
const LABEL_HEIGHT = 18;

/**
 * A grid tile's crosshair: a vertical line at the instant the pointer is at over any tile (the
 * tiles share one hover), a dot on this tile's price line there, and its time and price. Only
 * this layer follows the pointer; the tile's own drawing does not redraw.
 */
export function TileCrosshair({
  hover,
  points,
  plot,
  x,
  y,
  decimals,
  line,
  labelBackground,
  labelText,
}: TileCrosshairProps) {
  const at = useSyncExternalStore(hover.subscribe, hover.current);
  if (at === null) return null;
  const point = pointAt(points, at.time);
  const px = x(at.time);
  if (!point || px === undefined || px < plot.x || px > plot.x + plot.width) return null;
  const py = y(point.price);
  const labelX = Math.min(px + 6, plot.x + plot.width - LABEL_WIDTH);
  return (
    <g
      className="tile-crosshair"
      data-testid="tile-crosshair"
      data-hover={Math.round(at.time)}
      data-time={point.time}
      pointerEvents="none"
    >
      <line
        x1={px}
        x2={px}
        y1={plot.y}
        y2={plot.y + plot.height}
        stroke={line}
        strokeDasharray="3 3"
      />
      {py !== undefined && <circle cx={px} cy={py} r={3} fill={line} />}
      <rect
        x={labelX}
        y={plot.y}
        width={LABEL_WIDTH}
        height={LABEL_HEIGHT}
        rx={3}
        fill={labelBackground}
      />
      <text x={labelX + 6} y={plot.y + 13} fill={labelText} fontSize={11}>
        {`${formatClockTime(point.time)}  ${formatAxisPrice(point.price, decimals)}`}
      </text>
    </g>
  );
}

/** The last point at or before `time` (the price then), or the first if `time` is before all. */
export function pointAt(points: readonly PricePoint[], time: number): PricePoint | undefined {
  let low = 0;
  let high = points.length - 1;
  if (high < 0) return undefined;
  if (time < (points[0] as PricePoint).time) return points[0];
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((points[middle] as PricePoint).time <= time) low = middle;
    else high = middle - 1;
  }
  return points[low];
}
