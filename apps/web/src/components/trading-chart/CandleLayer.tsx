import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { VisibleCandles } from '../../chart/visible-candles';
import type { ChartStyle } from '../../store/view-options';

interface CandleLayerProps {
  readonly candles: ChartCandles;
  readonly visible: VisibleCandles;
  readonly style: ChartStyle;
  readonly up: string;
  readonly down: string;
  readonly line: string;
}

/** Bodies take this share of their interval's width; the rest is the gap between candles. */
const BODY_SHARE = 0.7;

/**
 * The price series, drawn on recharts' own scales: candles as two paths (rising and falling, so
 * a thousand candles are two SVG elements, not two thousand), or a line or area of closes.
 */
export function CandleLayer({ candles, visible, style, up, down, line }: CandleLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y || visible.first >= visible.end) return null;
  const { first, end, toAxis } = visible;
  const intervalMs = candles.intervalMs;
  if (style !== 'candles') {
    let d = '';
    let firstX = 0;
    let lastX = 0;
    for (let i = first; i < end; i++) {
      const px = x(candles.startAt(i) + intervalMs / 2) ?? 0;
      const py = y(toAxis(candles.closeAt(i))) ?? 0;
      if (i === first) firstX = px;
      lastX = px;
      d += `${i === first ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
    }
    const bottom = y(yFloor(visible)) ?? 0;
    return (
      <g className="price-series" data-style={style}>
        {style === 'area' && (
          <path
            d={`${d}L${lastX.toFixed(1)},${bottom.toFixed(1)}L${firstX.toFixed(1)},${bottom.toFixed(1)}Z`}
            fill={line}
            fillOpacity={0.12}
            stroke="none"
          />
        )}
        <path className="chart-series" d={d} fill="none" stroke={line} strokeWidth={1.5} />
      </g>
    );
  }
  const width = Math.abs((x(intervalMs) ?? 0) - (x(0) ?? 0)) * BODY_SHARE;
  const bodyWidth = Math.max(1, width);
  let rising = '';
  let falling = '';
  for (let i = first; i < end; i++) {
    const open = candles.openAt(i);
    const close = candles.closeAt(i);
    const center = x(candles.startAt(i) + intervalMs / 2) ?? 0;
    const high = y(toAxis(candles.highAt(i))) ?? 0;
    const low = y(toAxis(candles.lowAt(i))) ?? 0;
    const top = y(toAxis(Math.max(open, close))) ?? 0;
    const bottom = y(toAxis(Math.min(open, close))) ?? 0;
    const left = center - bodyWidth / 2;
    const shape =
      `M${center.toFixed(1)},${high.toFixed(1)}V${low.toFixed(1)}` +
      `M${left.toFixed(1)},${top.toFixed(1)}h${bodyWidth.toFixed(1)}` +
      `v${Math.max(1, bottom - top).toFixed(1)}h${(-bodyWidth).toFixed(1)}Z`;
    if (close >= open) rising += shape;
    else falling += shape;
  }
  return (
    <g className="price-series" data-style="candles">
      <path className="candles-up chart-series" d={rising} fill={up} stroke={up} strokeWidth={1} />
      <path className="candles-down" d={falling} fill={down} stroke={down} strokeWidth={1} />
    </g>
  );
}

/** The bottom an area is filled down to: the lowest value on screen. */
function yFloor(visible: VisibleCandles): number {
  return Number.isFinite(visible.low) ? visible.low : 0;
}
