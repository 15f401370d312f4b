import type { CandleColumns } from './candle-columns';
import type { IndicatorSpec } from './indicator-spec';

/** Where the chart draws an indicator: over the candles, or over the volume bars. */
export type IndicatorPane = 'price' | 'volume';

/**
 * An indicator computed incrementally over a candle series, one value per candle and line.
 *
 * The chart calls `reset` after a load, a prepend or anything else that moves indices, and
 * `update` as candles arrive: a live tick changes the last candle (`from = size - 1`), a new
 * candle is appended (`from = old size - 1` or `old size`). An update costs O(1) or O(period) per
 * changed index and allocates nothing, except when a column doubles.
 */
export interface Indicator {
  /** What this indicator was made from; `formatIndicator(spec)` is a stable key for it. */
  readonly spec: IndicatorSpec;
  /** A short legend label: "SMA 20", "BB 20 2", "VWAP", "Vol MA 20". */
  readonly label: string;
  readonly pane: IndicatorPane;
  /** Number of output lines: 1, or 3 for Bollinger Bands (middle, upper, lower). */
  readonly lineCount: number;
  /** A name per line, in line order, for legends and colours: `['middle', 'upper', 'lower']`. */
  readonly lineNames: readonly string[];
  /** Number of candles computed: the `size` of the candles at the last reset or update. */
  readonly size: number;
  /** Recomputes every index of `candles`. */
  reset(candles: CandleColumns): void;
  /**
   * Recomputes indices `from … candles.size - 1` only. The caller guarantees indices below
   * `from` are unchanged since the previous reset or update; `from` may be at most the size
   * computed then. Throws a RangeError otherwise.
   */
  update(candles: CandleColumns, from: number): void;
  /** The value of `line` at candle `index`; NaN where undefined (e.g. before `period` candles). */
  valueAt(line: number, index: number): number;
}
