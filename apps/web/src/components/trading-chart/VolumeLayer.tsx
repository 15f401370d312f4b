import { Fragment, useState } from 'react';
import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartCandles } from '../../chart/chart-candles';
import type { VisibleCandles } from '../../chart/visible-candles';
import { RetainedDrawing, piecesOf, spaceTransform, spaceX } from './retained-drawing';
import type { DrawingSpace, DrawnRange, TwoTonePaths, TwoTonePiece } from './retained-drawing';
import { BODY_LEFT, BODY_SHARE, bodyPixels } from './CandleLayer';

interface VolumeLayerProps {
  readonly candles: ChartCandles;
  readonly visible: VisibleCandles;
  /** Bumped when a page changed the candles (ChartHistory.version). */
  readonly version: number;
  readonly sizeDecimals: number;
  readonly up: string;
  readonly down: string;
}

/**
 * Volume bars under the candles, coloured by their candle's direction, as two paths, on the
 * volume pane's axis (`yAxisId="volume"`). Like the candles, the closed candles' bars are drawn
 * once and moved by a transform; the newest one is drawn at every frame.
 */
export function VolumeLayer({
  candles,
  visible,
  version,
  sizeDecimals,
  up,
  down,
}: VolumeLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale('volume');
  const [retained] = useState(() => new RetainedDrawing<TwoTonePaths>());
  if (!x || !y || visible.first >= visible.end) return null;
  const unit = 10 ** sizeDecimals;
  const toAxis = (volume: number) => volume / unit;
  const newest = candles.size - 1;
  const closed = retained.of(
    candles,
    `${version}:${newest}`,
    visible.first,
    visible.end,
    newest,
    (range) => drawBars(candles, range),
  );
  let live = '';
  if (visible.end > newest) {
    const width = bodyPixels(x, candles.intervalMs);
    const left = (x(candles.startAt(newest) + candles.intervalMs / 2) ?? 0) - width / 2;
    const base = y(0) ?? 0;
    const top = y(toAxis(candles.volumeAt(newest))) ?? base;
    live = `M${left.toFixed(1)},${base.toFixed(1)}V${top.toFixed(1)}h${width.toFixed(1)}V${base.toFixed(1)}Z`;
  }
  const liveRising = candles.closeAt(newest) >= candles.openAt(newest);
  return (
    <g className="volume-bars">
      <g transform={spaceTransform(closed.space, x, y, toAxis)}>
        {closed.pieces.map((piece, k) => (
          <Fragment key={k}>
            <path d={piece.rising} fill={up} fillOpacity={0.45} />
            <path d={piece.falling} fill={down} fillOpacity={0.45} />
          </Fragment>
        ))}
      </g>
      {live !== '' && <path d={live} fill={liveRising ? up : down} fillOpacity={0.45} />}
    </g>
  );
}

/** Closed candles' bars [first, end) in their own space: x in intervals, y in volume. */
function drawBars(candles: ChartCandles, range: DrawnRange): TwoTonePaths {
  const space: DrawingSpace = {
    originTime: range.first < range.end ? candles.startAt(range.first) : 0,
    intervalMs: candles.intervalMs,
    originValue: 0,
    log: false,
  };
  const drawPiece = (piece: DrawnRange): TwoTonePiece => {
    let rising = '';
    let falling = '';
    for (let i = piece.first; i < piece.end; i++) {
      const left = (spaceX(space, candles.startAt(i)) + BODY_LEFT).toFixed(3);
      const bar = `M${left},0V${candles.volumeAt(i)}h${BODY_SHARE}V0Z`;
      if (candles.closeAt(i) >= candles.openAt(i)) rising += bar;
      else falling += bar;
    }
    return { rising, falling };
  };
  return { space, pieces: piecesOf(range).map(drawPiece) };
}
