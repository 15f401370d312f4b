import { useDashboardStore, useFeedBridge } from '../dashboard-context';
import { CHART_COLORS, useResolvedTheme } from '../lib/theme';
import { useElementSize } from '../lib/use-element-size';
import { WINDOW_MS } from '../store/view-options';

/** Width of the price axis, in pixels: room for a 9-digit price with two decimals. */
export const PRICE_AXIS_WIDTH = 78;
/** Until a chart's box is measured. */
const FALLBACK_SIZE = { width: 480, height: 0 };

/**
 * What every live chart reads: its symbol's data and directory entry, the window, the theme's
 * colours and its own width (attach `ref` to the chart's box). It subscribes to
 * the symbol's chart version, the bridge's signal that the buffers hold new points, so the chart
 * re-renders exactly when there is something new to draw.
 */
export function useChartFrame<T extends HTMLElement>(ticker: string) {
  const bridge = useFeedBridge();
  useDashboardStore((s) => s.chartVersions.get(ticker) ?? 0);
  const windowMs = WINDOW_MS[useDashboardStore((s) => s.window)];
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const theme = useResolvedTheme(useDashboardStore((s) => s.theme));
  const [ref, { width }] = useElementSize<T>(FALLBACK_SIZE);
  const colors = CHART_COLORS[theme];
  return {
    series: bridge.series(ticker),
    windowMs,
    priceDecimals: symbol?.priceDecimals ?? 0,
    sizeDecimals: symbol?.sizeDecimals ?? 0,
    theme,
    colors,
    ref,
    width,
  };
}
