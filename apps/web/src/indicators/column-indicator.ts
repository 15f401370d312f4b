import type { CandleColumns } from './candle-columns';
import type { Indicator, IndicatorPane } from './indicator';
import type { IndicatorSpec } from './indicator-spec';

/**
 * The bookkeeping every indicator shares: which indices are computed, the checks on `update`
 * and `valueAt`, and the loop over changed indices. A subclass only says how to compute one
 * index from the ones before it (`computeAt`) and how to read a line (`lineValue`).
 */
export abstract class ColumnIndicator implements Indicator {
  abstract readonly spec: IndicatorSpec;
  abstract readonly label: string;
  abstract readonly pane: IndicatorPane;
  abstract readonly lineNames: readonly string[];
  private computed = 0;

  get lineCount(): number {
    return this.lineNames.length;
  }

  get size(): number {
    return this.computed;
  }

  reset(candles: CandleColumns): void {
    this.computeFrom(candles, 0);
  }

  update(candles: CandleColumns, from: number): void {
    if (!Number.isInteger(from) || from < 0 || from > this.computed || from > candles.size) {
      throw new RangeError(
        `Cannot update ${this.label} from index ${from}: ${this.computed} computed, ` +
          `${candles.size} candles`,
      );
    }
    this.computeFrom(candles, from);
  }

  valueAt(line: number, index: number): number {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineNames.length) {
      throw new RangeError(`${this.label} has no line ${line}, only ${this.lineNames.length}`);
    }
    if (!Number.isInteger(index) || index < 0 || index >= this.computed) {
      throw new RangeError(`${this.label} index ${index} is outside [0, ${this.computed})`);
    }
    return this.lineValue(line, index);
  }

  /** Makes every column hold at least `size` values. */
  protected abstract reserve(size: number): void;

  /** Computes index `index`; every index below it is already current. */
  protected abstract computeAt(candles: CandleColumns, index: number): void;

  /** The value of a valid `line` at a computed `index`. */
  protected abstract lineValue(line: number, index: number): number;

  private computeFrom(candles: CandleColumns, from: number): void {
    const size = candles.size;
    this.reserve(size);
    for (let index = from; index < size; index++) this.computeAt(candles, index);
    this.computed = size;
  }
}

/** Throws unless `period` is a whole number of candles of at least 1. */
export function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`indicator period must be a positive integer, got ${period}`);
  }
}
