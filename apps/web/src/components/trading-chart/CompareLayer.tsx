import { useState } from 'react';
import { useXAxisScale, useYAxisScale } from 'recharts';
import type { CompareSeries } from '../../chart/compare-series';
import {
  RetainedDrawing,
  linePiecesInSpace,
  closeSpace,
  liveSegment,
  spaceTransform,
} from './retained-drawing';
import type { DrawingSpace } from './retained-drawing';
import { LinePieces } from './LinePieces';

interface CompareLine {
  readonly space: DrawingSpace;
  /** The line in pieces (linePiecesInSpace). */
  readonly pieces: readonly string[];
}

/**
 * Compared symbols as lines of their closes, in percent, each in its own colour. Like the
 * chart's own series, a line over closed candles is drawn once and moved by a transform (the
 * percent base, the first close on screen, moves it too: percent is affine in the price); the
 * segment to the newest close is drawn at every frame.
 */
export function CompareLayer({
  series,
  colors,
}: {
  readonly series: readonly CompareSeries[];
  readonly colors: readonly string[];
}) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const [retained] = useState(() => new Map<string, RetainedDrawing<CompareLine>>());
  if (!x || !y) return null;
  return (
    <g className="compare-lines">
      {series.map((line, k) => {
        const { ticker, candles, first, end, toAxis, version } = line;
        let drawing = retained.get(ticker);
        if (!drawing) {
          drawing = new RetainedDrawing<CompareLine>();
          retained.set(ticker, drawing);
        }
        const newest = candles.size - 1;
        const close = (index: number) => candles.closeAt(index);
        const closed = drawing.of(candles, `${version}:${newest}`, first, end, newest, (range) => {
          const space = closeSpace(candles, range, false);
          return { space, pieces: linePiecesInSpace(space, candles, range, close) };
        });
        const color = colors[k % colors.length] ?? 'currentColor';
        const pixel = (price: number) => y(toAxis(price)) ?? 0;
        return (
          <g key={ticker}>
            <g
              className="compare-line"
              data-ticker={ticker}
              transform={spaceTransform(closed.space, x, y, toAxis)}
            >
              <LinePieces pieces={closed.pieces} stroke={color} strokeWidth={1.5} />
            </g>
            {end > newest && (
              <path
                d={liveSegment(candles, close, x, pixel)}
                fill="none"
                stroke={color}
                strokeWidth={1.5}
              />
            )}
          </g>
        );
      })}
    </g>
  );
}
