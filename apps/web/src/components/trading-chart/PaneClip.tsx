import type { ReactNode } from 'react';
import type { PlotBox } from './chart-frame';

/** Draws its children clipped to one pane, so a pane's lines never spill into the other. */
export function PaneClip({
  id,
  pane,
  children,
}: {
  readonly id: string;
  readonly pane: PlotBox;
  readonly children: ReactNode;
}) {
  return (
    <g className="pane" clipPath={`url(#${id})`}>
      <defs>
        <clipPath id={id}>
          <rect x={pane.x} y={pane.y} width={pane.width} height={pane.height} />
        </clipPath>
      </defs>
      {children}
    </g>
  );
}
