import { Fragment, useState } from 'react';
import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { VisibleCandles } from '../../chart/visible-candles';
import type { ChartStyle } from '../../store/view-options';
import {
  RetainedDrawing,
  closeSpace,
  piecesOf,
  spaceTransform,
  spaceX,
  spaceY,
} from './retained-drawing';
import type { AxisScale, DrawnRange, TwoTonePaths, TwoTonePiece } from './retained-drawing';

interface CandleLayerProps {
  readonly candles: ChartCandles;
  readonly visible: VisibleCandles;
  /** Bumped when a page changed the candles (ChartHistory.version). */
  readonly version: number;
  readonly style: ChartStyle;
  readonly log: boolean;
  readonly up: string;
  readonly down: string;
  readonly line: string;
}

/**
 * Bodies (and volume bars) take this share of their interval's width; the rest is the gap
 * between candles.
 */
export const BODY_SHARE = 0.7;
/** Where a body starts within its interval, in intervals. */
export const BODY_LEFT = (1 - BODY_SHARE) / 2;

/** A body's (or a volume bar's) width on screen: its share of an interval, a pixel at least. */
export function bodyPixels(x: AxisScale, intervalMs: number): number {
  return Math.max(1, Math.abs((x(intervalMs) ?? 0) - (x(0) ?? 0)) * BODY_SHARE);
}

/**
 * The price series, drawn on recharts' own scales: candles as two paths (rising and falling, so
 * a thousand candles are two SVG elements, not two thousand), or a line or area of closes.
 *
 * The closed candles are drawn once around the screen and moved by a transform as the view
 * zooms and pans (retained-drawing.ts); the newest candle, which the feed changes, is drawn on
 * its own at every frame.
 */
export function CandleLayer(props: CandleLayerProps) {
  const { candles, visible, version, style, log, up, down } = props;
  const x = useXAxisScale();
  const y = useYAxisScale();
  const [retained] = useState(() => new RetainedDrawing<TwoTonePaths>());
  if (!x || !y || visible.first >= visible.end) return null;
  if (style !== 'candles') return <CloseLine {...props} x={x} y={y} />;
  const { first, end, toAxis } = visible;
  const newest = candles.size - 1;
  const closed = retained.of(candles, `${version}:${newest}:${log}`, first, end, newest, (range) =>
    drawCandles(candles, range, log),
  );
  const pixel = (price: number) => y(toAxis(price)) ?? 0;
  const live = end > newest ? liveCandle(candles, newest, x, pixel) : '';
  const liveRising = candles.closeAt(newest) >= candles.openAt(newest);
  return (
    <g className="price-series" data-style="candles">
      <g transform={spaceTransform(closed.space, x, y, toAxis)}>
        {closed.pieces.map((piece, k) => (
          <Fragment key={k}>
            <path
              className="candles-up chart-series"
              d={piece.rising}
              fill={up}
              stroke={up}
              strokeWidth={1}
              vectorEffect="non-scaling-stroke"
            />
            <path
              className="candles-down"
              d={piece.falling}
              fill={down}
              stroke={down}
              strokeWidth={1}
              vectorEffect="non-scaling-stroke"
            />
          </Fragment>
        ))}
      </g>
      {live !== '' && (
        <path
          className="candle-live"
          d={live}
          fill={liveRising ? up : down}
          stroke={liveRising ? up : down}
          strokeWidth={1}
        />
      )}
    </g>
  );
}

/** Closed candles [first, end) in their own space: x in intervals, y in price from the first. */
function drawCandles(candles: ChartCandles, range: DrawnRange, log: boolean): TwoTonePaths {
  const space = closeSpace(candles, range, log);
  const digits = log ? 6 : 0;
  const at = (price: number) => spaceY(space, price).toFixed(digits);
  const drawPiece = (piece: DrawnRange): TwoTonePiece => {
    let rising = '';
    let falling = '';
    for (let i = piece.first; i < piece.end; i++) {
      const open = candles.openAt(i);
      const close = candles.closeAt(i);
      const left = spaceX(space, candles.startAt(i));
      const shape =
        `M${(left + 0.5).toFixed(3)},${at(candles.highAt(i))}V${at(candles.lowAt(i))}` +
        `M${(left + BODY_LEFT).toFixed(3)},${at(Math.max(open, close))}h${BODY_SHARE}` +
        `V${at(Math.min(open, close))}h${-BODY_SHARE}Z`;
      if (close >= open) rising += shape;
      else falling += shape;
    }
    return { rising, falling };
  };
  return { space, pieces: piecesOf(range).map(drawPiece) };
}

/** The newest candle in pixels: its wick and its body, at least a pixel tall and wide. */
function liveCandle(
  candles: ChartCandles,
  index: number,
  x: AxisScale,
  pixel: (price: number) => number,
): string {
  const start = candles.startAt(index);
  const intervalMs = candles.intervalMs;
  const center = x(start + intervalMs / 2) ?? 0;
  const bodyWidth = bodyPixels(x, intervalMs);
  const open = candles.openAt(index);
  const close = candles.closeAt(index);
  const top = pixel(Math.max(open, close));
  const bottom = pixel(Math.min(open, close));
  const left = center - bodyWidth / 2;
  return (
    `M${center.toFixed(1)},${pixel(candles.highAt(index)).toFixed(1)}V${pixel(candles.lowAt(index)).toFixed(1)}` +
    `M${left.toFixed(1)},${top.toFixed(1)}h${bodyWidth.toFixed(1)}` +
    `v${Math.max(1, bottom - top).toFixed(1)}h${(-bodyWidth).toFixed(1)}Z`
  );
}

/** A line or an area of closes, drawn at every frame (one point per candle). */
function CloseLine({
  candles,
  visible,
  style,
  line,
  x,
  y,
}: CandleLayerProps & { readonly x: AxisScale; readonly y: AxisScale }) {
  const { first, end, toAxis } = visible;
  const intervalMs = candles.intervalMs;
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
  const bottom = y(Number.isFinite(visible.low) ? visible.low : 0) ?? 0;
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
