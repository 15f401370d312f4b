import { memo } from 'react';

interface LinePiecesProps {
  /** A retained line's pieces (linePiecesInSpace), in the drawing space of the enclosing group. */
  readonly pieces: readonly string[];
  readonly stroke: string;
  readonly strokeWidth: number;
  readonly strokeDasharray?: string | undefined;
}

/**
 * A retained line: a path per piece that has points. Memoised, since a frame of zoom or pan
 * changes only the transform of the group around it, and its pieces only when it is redrawn.
 */
export const LinePieces = memo(function LinePieces({
  pieces,
  stroke,
  strokeWidth,
  strokeDasharray,
}: LinePiecesProps) {
  return pieces.map(
    (d, piece) =>
      d !== '' && (
        <path
          key={piece}
          d={d}
          fill="none"
          stroke={stroke}
          strokeWidth={strokeWidth}
          strokeDasharray={strokeDasharray}
          vectorEffect="non-scaling-stroke"
        />
      ),
  );
});
