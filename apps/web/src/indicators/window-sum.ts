import type { CandleColumns, CandleReader } from './candle-columns';
import { GrowableColumn } from './growable-column';

/**
 * The sum of one candle field over the `period` candles ending at each index (over all candles
 * so far before the first full window), kept per index so that a changed index is recomputed
 * from the sum before it in O(1).
 *
 * Why this does not drift: the classic drift comes from one running accumulator that every live
 * tick adjusts (`sum += new - old`), so rounding errors pile up forever. Here a live tick only
 * recomputes `sums[last]` from `sums[last - 1]`, which the tick did not touch; and the chain
 * `sums[i] = sums[i - 1] + x[i] - x[i - period]` is taken only while it is exact: the inputs are
 * scaled integers, and integer additions whose operands and result are safe integers (below 2^53)
 * are exact in binary64, whatever the order. When a step is not provably exact (a non-integer
 * input, or sums beyond 2^53) that index is summed afresh over its window, O(period), which is
 * what a reference implementation computes. So every stored sum equals a fresh window sum, on
 * the incremental path and after a reset alike.
 */
export class WindowSum {
  readonly period: number;
  private readonly read: CandleReader;
  private readonly sums = new GrowableColumn();

  constructor(period: number, read: CandleReader) {
    this.period = period;
    this.read = read;
  }

  reserve(size: number): void {
    this.sums.reserve(size);
  }

  /** Computes and returns the sum ending at `index`; the sum at `index - 1` must be current. */
  computeAt(candles: CandleColumns, index: number): number {
    const entering = this.read(candles, index);
    let sum = entering;
    if (index > 0) {
      const previous = this.sums.at(index - 1);
      const step =
        index >= this.period ? entering - this.read(candles, index - this.period) : entering;
      sum = previous + step;
      const exact =
        Number.isSafeInteger(previous) && Number.isSafeInteger(step) && Number.isSafeInteger(sum);
      if (!exact) sum = this.sumWindow(candles, index);
    }
    this.sums.set(index, sum);
    return sum;
  }

  /** The sum ending at a computed `index`. */
  at(index: number): number {
    return this.sums.at(index);
  }

  private sumWindow(candles: CandleColumns, index: number): number {
    let sum = 0;
    for (let i = Math.max(0, index - this.period + 1); i <= index; i++) {
      sum += this.read(candles, i);
    }
    return sum;
  }
}
