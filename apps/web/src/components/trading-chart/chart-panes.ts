import type { PlotBox } from './chart-frame';

/** Space between the price pane and the volume pane, in CSS pixels. */
export const PANE_GAP = 6;

/** Where the two panes lie in the chart's plot area (its y from the top of the chart's box). */
export interface ChartPanes {
  readonly price: PlotBox;
  readonly volume: PlotBox;
}

/**
 * Splits one plot area into the price pane and the volume pane under it: volume takes a fifth
 * of the chart's height, 48 to 160 pixels, as trading screens size it. One recharts chart draws
 * both panes, so they share one time axis and one set of recharts' work per frame.
 */
export function chartPanes(plot: PlotBox, chartHeight: number): ChartPanes {
  const volumeHeight = Math.min(
    160,
    Math.max(48, Math.round(chartHeight * 0.2)),
    Math.max(0, plot.height / 2 - PANE_GAP),
  );
  const priceHeight = Math.max(1, plot.height - volumeHeight - PANE_GAP);
  return {
    price: { x: plot.x, y: plot.y, width: plot.width, height: priceHeight },
    volume: {
      x: plot.x,
      y: plot.y + plot.height - volumeHeight,
      width: plot.width,
      height: volumeHeight,
    },
  };
}

/**
 * The domain to give the price axis, which spans the whole plot, so that `[low, high]` fills
 * the price pane exactly and the room below it (the gap and the volume pane) is below `low`.
 * On a log axis the same holds in logarithms.
 */
export function priceAxisDomain(
  [low, high]: readonly [number, number],
  plotHeight: number,
  panes: ChartPanes,
  log: boolean,
): [number, number] {
  const below = (plotHeight - panes.price.height) / panes.price.height;
  if (log && low > 0) {
    const span = Math.log(high) - Math.log(low);
    return [Math.exp(Math.log(low) - span * below), high];
  }
  return [low - (high - low) * below, high];
}

/** The domain to give the volume axis so that `[0, top]` fills the volume pane at the bottom. */
export function volumeAxisDomain(
  top: number,
  plotHeight: number,
  panes: ChartPanes,
): [number, number] {
  return [0, (top * plotHeight) / panes.volume.height];
}
