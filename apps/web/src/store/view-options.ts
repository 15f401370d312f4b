import { INTERVALS, isInterval } from '../chart/intervals';
import type { Interval } from '../chart/intervals';

/** How the chart area is laid out: the focused symbol in detail, or a grid of many. */
export type Layout = 'single' | 'grid';
/** Candle interval of the focused chart (the history API's intervals). */
export type Timeframe = Interval;
/** How the focused chart draws prices. */
export type ChartStyle = 'candles' | 'line' | 'area';
/** The price axis: prices, percent change from the first candle on screen, or logarithmic. */
export type PriceScale = 'linear' | 'percent' | 'log';
/** How much time the charts span. */
export type ChartWindow = '1m' | '5m' | '15m' | '1h';
/** What a phone shows: one screen at a time. */
export type PhoneScreen = 'watchlist' | 'chart';
/** An explicit theme; null follows the system. */
export type ThemeChoice = 'light' | 'dark' | null;

export const LAYOUTS: readonly Layout[] = ['single', 'grid'];
export const TIMEFRAMES: readonly Timeframe[] = INTERVALS;
export const CHART_STYLES: readonly ChartStyle[] = ['candles', 'line', 'area'];
export const PRICE_SCALES: readonly PriceScale[] = ['linear', 'percent', 'log'];
export const CHART_WINDOWS: readonly ChartWindow[] = ['1m', '5m', '15m', '1h'];

export const WINDOW_MS: Readonly<Record<ChartWindow, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
};

/** Charts shown at once in grid mode: the first symbols of the watchlist. */
export const GRID_CHARTS = 12;
/** Symbols compared with the focused one at most: more lines than that are unreadable. */
export const MAX_COMPARE = 3;
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
  return isInterval(value);
}
export function isChartStyle(value: unknown): value is ChartStyle {
  return CHART_STYLES.includes(value as ChartStyle);
}
export function isPriceScale(value: unknown): value is PriceScale {
  return PRICE_SCALES.includes(value as PriceScale);
}
export function isChartWindow(value: unknown): value is ChartWindow {
  return CHART_WINDOWS.includes(value as ChartWindow);
}
