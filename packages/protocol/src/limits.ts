/**
 * Bounds every decoder enforces, so untrusted bytes can never make it loop long or allocate much.
 * See docs/PROTOCOL.md "Limits".
 */
export interface Limits {
  /** Ticks in one tick batch. The server splits larger flushes. */
  readonly maxTicksPerBatch: number;
  /** Ticks of history in one snapshot. */
  readonly maxHistoryTicks: number;
  /** Candle series (intervals) in one snapshot. */
  readonly maxCandleSeries: number;
  /** Candles in one series of a snapshot. */
  readonly maxCandlesPerSeries: number;
  /** Symbol ids in one subscribe or unsubscribe request. */
  readonly maxSymbolsPerRequest: number;
  /** UTF-8 bytes in any string field (tickers, names, messages). */
  readonly maxStringBytes: number;
  /** Entries in a symbol directory. */
  readonly maxDirectorySymbols: number;
  /** Limit entries in a hello. */
  readonly maxHelloLimits: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxTicksPerBatch: 4096,
  maxHistoryTicks: 16_384,
  maxCandleSeries: 8,
  maxCandlesPerSeries: 4096,
  maxSymbolsPerRequest: 256,
  maxStringBytes: 512,
  maxDirectorySymbols: 10_000,
  maxHelloLimits: 64,
};
