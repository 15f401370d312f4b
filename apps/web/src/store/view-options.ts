/** How the chart area is laid out: the focused symbol in detail, or a grid of many. */
export type Layout = 'single' | 'grid';
/** Candle interval. */
export type Timeframe = '1s' | '1m';
/** How much time the charts span. */
export type ChartWindow = '1m' | '5m' | '15m' | '1h';
/** An explicit theme; null follows the system. */
export type ThemeChoice = 'light' | 'dark' | null;

export const LAYOUTS: readonly Layout[] = ['single', 'grid'];
export const TIMEFRAMES: readonly Timeframe[] = ['1s', '1m'];
export const CHART_WINDOWS: readonly ChartWindow[] = ['1m', '5m', '15m', '1h'];

export const WINDOW_MS: Readonly<Record<ChartWindow, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
};

/** Charts shown at once in grid mode: the first symbols of the watchlist. */
export const GRID_CHARTS = 12;
/** More rows than anyone reads; it also bounds subscriptions and memory. */
export const MAX_WATCHLIST = 100;

export type SortKey = 'ticker' | 'last' | 'change' | 'changePercent' | 'high' | 'low' | 'volume';
export interface SortOrder {
  readonly key: SortKey;
  readonly direction: 'asc' | 'desc';
}

export function isLayout(value: unknown): value is Layout {
  return LAYOUTS.includes(value as Layout);
}
export function isTimeframe(value: unknown): value is Timeframe {
  return TIMEFRAMES.includes(value as Timeframe);
}
export function isChartWindow(value: unknown): value is ChartWindow {
  return CHART_WINDOWS.includes(value as ChartWindow);
}
