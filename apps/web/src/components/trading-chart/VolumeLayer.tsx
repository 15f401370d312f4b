import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { VisibleCandles } from '../../chart/visible-candles';

interface VolumeLayerProps {
  readonly candles: ChartCandles;
  readonly visible: VisibleCandles;
  readonly sizeDecimals: number;
  readonly up: string;
  readonly down: string;
}

/** Volume bars under the candles, coloured by their candle's direction, as two paths. */
export function VolumeLayer({ candles, visible, sizeDecimals, up, down }: VolumeLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y || visible.first >= visible.end) return null;
  const intervalMs = candles.intervalMs;
  const unit = 10 ** sizeDecimals;
  const barWidth = Math.max(1, Math.abs((x(intervalMs) ?? 0) - (x(0) ?? 0)) * 0.7);
  const base = y(0) ?? 0;
  let rising = '';
  let falling = '';
  for (let i = visible.first; i < visible.end; i++) {
    const left = (x(candles.startAt(i) + intervalMs / 2) ?? 0) - barWidth / 2;
    const top = y(candles.volumeAt(i) / unit) ?? base;
    const bar = `M${left.toFixed(1)},${base.toFixed(1)}V${top.toFixed(1)}h${barWidth.toFixed(1)}V${base.toFixed(1)}Z`;
    if (candles.closeAt(i) >= candles.openAt(i)) rising += bar;
    else falling += bar;
  }
  return (
    <g className="volume-bars">
      <path d={rising} fill={up} fillOpacity={0.45} />
      <path d={falling} fill={down} fillOpacity={0.45} />
    </g>
  );
}
