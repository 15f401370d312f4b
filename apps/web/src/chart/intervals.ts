import { HISTORY_INTERVALS, HISTORY_INTERVAL_NAMES } from '@ticker/protocol';
import type { HistoryInterval } from '@ticker/protocol';

/**
 * The candle intervals the history API serves (docs/API.md "Intervals"), as the chart offers
 * them, and the ranges that pick an interval and a span at once.
 */
export type Interval = HistoryInterval;
export type ChartRange = '1H' | '1D' | '1W' | '1M' | '1Y';

export const INTERVALS: readonly Interval[] = HISTORY_INTERVAL_NAMES;
export const CHART_RANGES: readonly ChartRange[] = ['1H', '1D', '1W', '1M', '1Y'];

/** How the toolbar and the shortcuts' help name each interval: a day reads 1D, as the ranges do. */
export const INTERVAL_LABELS: Readonly<Record<Interval, string>> = {
  '1s': '1s',
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '1h': '1h',
  '4h': '4h',
  '1d': '1D',
};

/** Each interval's length: the protocol package's list, which the server and client share. */
export const INTERVAL_MS: Readonly<Record<Interval, number>> = HISTORY_INTERVALS;

const DAY_MS = 86_400_000;

/**
 * Each range with the interval that draws it in one to a few hundred candles, as trading
 * screens pair them (TradingView's 1D is 1–5 min bars, 1Y is daily). Every one is a single
 * history request (≤ 1,000 candles), so a range is full from the first second.
 */
export const RANGES: Readonly<Record<ChartRange, { readonly spanMs: number; interval: Interval }>> =
  {
    '1H': { spanMs: 3_600_000, interval: '1m' },
    '1D': { spanMs: DAY_MS, interval: '5m' },
    '1W': { spanMs: 7 * DAY_MS, interval: '1h' },
    '1M': { spanMs: 30 * DAY_MS, interval: '4h' },
    '1Y': { spanMs: 365 * DAY_MS, interval: '1d' },
  };

/** Most candles on screen when an interval is chosen on its own: readable bodies on a wide screen. */
export const DEFAULT_VISIBLE_CANDLES = 150;

export function isInterval(value: unknown): value is Interval {
  return INTERVALS.includes(value as Interval);
}

export function isChartRange(value: unknown): value is ChartRange {
  return CHART_RANGES.includes(value as ChartRange);
}
