/**
 * Bounds every decoder enforces, so untrusted bytes can never make it loop long or allocate much.
 * The server advertises the ones that concern clients; see docs/PROTOCOL.md "Limits".
 */
export interface Limits {
  /** Ticks in one tick batch. The batcher splits larger flushes. */
  readonly maxTicksPerBatch: number;
  /** Symbol ids in one subscribe or unsubscribe request. */
  readonly maxSymbolsPerRequest: number;
  /** UTF-8 bytes in any string field (tickers, names, error messages). */
  readonly maxStringBytes: number;
  /** Entries in a symbol directory. */
  readonly maxDirectorySymbols: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxTicksPerBatch: 4096,
  maxSymbolsPerRequest: 256,
  maxStringBytes: 512,
  maxDirectorySymbols: 10_000,
};
