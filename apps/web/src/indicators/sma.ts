import { readClose, readVolume } from './candle-columns';
import type { CandleColumns } from './candle-columns';
import { ColumnIndicator, checkPeriod } from './column-indicator';
import type { IndicatorPane } from './indicator';
import type { IndicatorSpec } from './indicator-spec';
import { WindowSum } from './window-sum';

/** What a simple moving average averages: closes (over the price) or volumes (over the bars). */
export type SmaSource = 'close' | 'volume';

/**
 * Simple moving average of the last `period` closes, or of volumes as the volume pane's
 * "Vol MA". NaN before `period` candles. O(1) per changed index on integer data (see
 * `WindowSum` for why that does not drift), O(period) otherwise.
 */
export class SmaIndicator extends ColumnIndicator {
  readonly spec: IndicatorSpec;
  readonly label: string;
  readonly pane: IndicatorPane;
  readonly lineNames: readonly string[] = ['average'];
  readonly period: number;
  private readonly window: WindowSum;

  constructor(period: number, source: SmaSource = 'close') {
    super();
    checkPeriod(period);
    this.period = period;
    if (source === 'close') {
      this.spec = { kind: 'sma', period };
      this.label = `SMA ${period}`;
      this.pane = 'price';
      this.window = new WindowSum(period, readClose);
    } else {
      this.spec = { kind: 'vma', period };
      this.label = `Vol MA ${period}`;
      this.pane = 'volume';
      this.window = new WindowSum(period, readVolume);
    }
  }

  protected reserve(size: number): void {
    this.window.reserve(size);
  }

  protected computeAt(candles: CandleColumns, index: number): void {
    this.window.computeAt(candles, index);
  }

  protected lineValue(_line: number, index: number): number {
    return index < this.period - 1 ? NaN : this.window.at(index) / this.period;
  }
}
