import { readClose } from './candle-columns';
import type { CandleColumns } from './candle-columns';
import { ColumnIndicator, checkPeriod } from './column-indicator';
import { GrowableColumn } from './growable-column';
import type { IndicatorPane } from './indicator';
import { formatBandWidth } from './indicator-spec';
import type { IndicatorSpec } from './indicator-spec';
import { WindowSum } from './window-sum';

/** Line numbers of `BollingerBands.valueAt`. */
export const BAND_LINE = { middle: 0, upper: 1, lower: 2 } as const;

/**
 * Bollinger Bands over closes: middle = SMA(period), upper/lower = middle ± width × the
 * population standard deviation of the window (TradingView's `ta.bb` uses `ta.stdev`, which
 * divides by period). NaN before `period` candles.
 *
 * The deviation is summed afresh over the window for each changed index, O(period): a running
 * sum of squares (Σx² / n − mean²) cancels catastrophically when the bands are narrow relative to
 * the price (a close of 65,000.00 is 6.5e6 scaled, its square 4e13; a deviation of a few units
 * is lost in that), and sums of squares of such prices pass 2^53, beyond exact integers. A live
 * tick costs one pass over at most 500 closes; only a reset pays O(n × period).
 */
export class BollingerBands extends ColumnIndicator {
  readonly spec: IndicatorSpec;
  readonly label: string;
  readonly pane: IndicatorPane = 'price';
  readonly lineNames: readonly string[] = ['middle', 'upper', 'lower'];
  readonly period: number;
  readonly width: number;
  private readonly window: WindowSum;
  /** Population standard deviation of the window ending at each index. */
  private readonly deviations = new GrowableColumn();

  constructor(period: number, width: number) {
    super();
    checkPeriod(period);
    if (!Number.isFinite(width) || width <= 0) {
      throw new RangeError(`Bollinger band width must be a positive number, got ${width}`);
    }
    this.period = period;
    this.width = width;
    this.spec = { kind: 'bb', period, width };
    this.label = `BB ${period} ${formatBandWidth(width)}`;
    this.window = new WindowSum(period, readClose);
  }

  protected reserve(size: number): void {
    this.window.reserve(size);
    this.deviations.reserve(size);
  }

  protected computeAt(candles: CandleColumns, index: number): void {
    const sum = this.window.computeAt(candles, index);
    let deviation = NaN;
    if (index >= this.period - 1) {
      const mean = sum / this.period;
      let squares = 0;
      for (let i = index - this.period + 1; i <= index; i++) {
        const d = candles.closeAt(i) - mean;
        squares += d * d;
      }
      deviation = Math.sqrt(squares / this.period);
    }
    this.deviations.set(index, deviation);
  }

  protected lineValue(line: number, index: number): number {
    if (index < this.period - 1) return NaN;
    const middle = this.window.at(index) / this.period;
    if (line === BAND_LINE.middle) return middle;
    const offset = this.width * this.deviations.at(index);
    return line === BAND_LINE.upper ? middle + offset : middle - offset;
  }
}
