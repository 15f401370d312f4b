import { useLayoutEffect } from 'react';
import { usePlotArea } from 'recharts';
import type { PlotBox } from './chart-frame';

/**
 * Reads where recharts put a pane's plot area, so the crosshair maps the pointer onto exactly
 * the scales the chart was drawn with.
 */
export function PlotAreaProbe({
  offsetY,
  onPlot,
}: {
  readonly offsetY: number;
  readonly onPlot: (plot: PlotBox) => void;
}) {
  const area = usePlotArea();
  useLayoutEffect(() => {
    if (area) onPlot({ x: area.x, y: area.y + offsetY, width: area.width, height: area.height });
  }, [area, offsetY, onPlot]);
  return null;
}
