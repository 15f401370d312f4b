/**
 * The candle intervals of the market's history, finest first, with their lengths: the
 * `interval` of the history API (docs/API.md), the server's tree of candles (each divides the
 * next coarser one exactly) and `@ticker/client`'s `history()` all read this one list.
 */
export const HISTORY_INTERVALS = {
  '1s': 1_000,
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
} as const;

export type HistoryInterval = keyof typeof HISTORY_INTERVALS;

/** Every interval's name, finest first. */
export const HISTORY_INTERVAL_NAMES = Object.keys(HISTORY_INTERVALS) as readonly HistoryInterval[];
