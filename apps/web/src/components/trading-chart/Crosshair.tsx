import { useSyncExternalStore } from 'react';
import type { HoverModel } from '../../chart/hover-model';
import { BELL_PATH } from '../alerts/bell-path';
import { formatAxisPrice } from '../../lib/price-ticks';
import { formatCandleTime } from '../../lib/time-axis';
import { ALERT_BELL_SIZE, candleAt, valueAtY, xAtTime } from './chart-frame';
import type { ChartFrame } from './chart-frame';

interface CrosshairProps {
  readonly hover: HoverModel;
  readonly frame: ChartFrame;
  readonly width: number;
  readonly height: number;
  readonly utc: boolean;
  readonly line: string;
  readonly labelBackground: string;
  readonly labelText: string;
  /** The alert bell's fill and its glyph's colour. */
  readonly bell: string;
  readonly bellText: string;
}

const LABEL_HEIGHT = 18;

/**
 * Lines across both panes at the pointer, the vertical one on the hovered candle's centre, with
 * the price and the time labelled on their axes, and a bell beside the price label that sets an
 * alert at that price (use-axis-alert.ts). An overlay of its own: it redraws with the pointer,
 * the chart does not.
 */
export function Crosshair({
  hover,
  frame,
  width,
  height,
  utc,
  line,
  labelBackground,
  labelText,
  bell,
  bellText,
}: CrosshairProps) {
  const at = useSyncExternalStore(hover.subscribe, hover.current);
  const { candles, pricePlot, volumePlot } = frame;
  if (!at || !candles || !pricePlot || !volumePlot) return null;
  const intervalMs = candles.intervalMs;
  const index = candleAt(candles, at.time);
  const start = at.time - (((at.time % intervalMs) + intervalMs) % intervalMs);
  const x = xAtTime(frame, start + intervalMs / 2) ?? at.x;
  const bottom = volumePlot.y + volumePlot.height;
  const value = valueAtY(frame, at.y);
  const axisX = pricePlot.x + pricePlot.width;
  // On the price axis the pointer picks a price (for an alert), not a time.
  const onTime = at.x <= axisX;
  const priceLabel =
    value === null
      ? null
      : frame.scale === 'percent'
        ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}%`
        : formatAxisPrice(value, frame.priceDecimals);
  const timeLabel = formatCandleTime(start, intervalMs, utc);
  const timeLabelWidth = timeLabel.length * 6.6 + 12;
  const timeLabelX = Math.min(Math.max(x - timeLabelWidth / 2, 0), width - timeLabelWidth);
  return (
    <svg
      className="crosshair"
      width={width}
      height={height}
      aria-hidden="true"
      data-candle={index >= 0 ? candles.startAt(index) : undefined}
    >
      {onTime && (
        <line x1={x} x2={x} y1={pricePlot.y} y2={bottom} stroke={line} strokeDasharray="4 4" />
      )}
      {value !== null && (
        <line x1={pricePlot.x} x2={axisX} y1={at.y} y2={at.y} stroke={line} strokeDasharray="4 4" />
      )}
      {priceLabel !== null && (
        <g className="crosshair-price">
          <rect
            x={axisX}
            y={at.y - LABEL_HEIGHT / 2}
            width={width - axisX}
            height={LABEL_HEIGHT}
            fill={labelBackground}
          />
          <text x={axisX + 6} y={at.y + 4} fill={labelText} fontSize={11}>
            {priceLabel}
          </text>
          <g
            className="crosshair-bell"
            transform={`translate(${axisX - ALERT_BELL_SIZE} ${at.y - ALERT_BELL_SIZE / 2})`}
          >
            <rect width={ALERT_BELL_SIZE} height={ALERT_BELL_SIZE} rx={3} fill={bell} />
            <path d={BELL_PATH} fill={bellText} transform="translate(2 2) scale(0.875)" />
          </g>
        </g>
      )}
      {onTime && (
        <g className="crosshair-time">
          <rect
            x={timeLabelX}
            y={bottom + 2}
            width={timeLabelWidth}
            height={LABEL_HEIGHT}
            fill={labelBackground}
          />
          <text x={timeLabelX + 6} y={bottom + 15} fill={labelText} fontSize={11}>
            {timeLabel}
          </text>
        </g>
      )}
    </svg>
  );
}
