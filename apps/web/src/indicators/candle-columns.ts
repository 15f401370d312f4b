/**
 * Candles as indicators read them: oldest first, prices and volumes as scaled integers (units of
 * the symbol's last decimal). Indicators only read through these accessors, so any column store
 * (a `CandleBuffer`, a page of history, a test fake) can feed them without copying.
 */
export interface CandleColumns {
  readonly size: number;
  /** Epoch ms, a multiple of the interval. */
  startAt(index: number): number;
  openAt(index: number): number;
  highAt(index: number): number;
  lowAt(index: number): number;
  closeAt(index: number): number;
  volumeAt(index: number): number;
}

/**
 * Reads one number per candle. Module-level constants rather than closures made per call, so the
 * hot path never allocates one.
 */
export type CandleReader = (candles: CandleColumns, index: number) => number;

export const readClose: CandleReader = (candles, index) => candles.closeAt(index);

export const readVolume: CandleReader = (candles, index) => candles.volumeAt(index);
