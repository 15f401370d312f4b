import type { CandleColumns } from './candle-columns';
import { ColumnIndicator, checkPeriod } from './column-indicator';
import type { IndicatorPane } from './indicator';
import type { IndicatorSpec } from './indicator-spec';
import { GrowableColumn } from './growable-column';

/**
 * Exponential moving average of closes with α = 2 / (period + 1), seeded at index period - 1
 * with the SMA of the first `period` closes (as TradingView's `ta.ema` does), NaN before.
 * Each index depends only on the one before it, so a changed index costs O(1); only the seed
 * costs O(period), and only when it is among the changed indices.
 */
export class EmaIndicator extends ColumnIndicator {
  readonly spec: IndicatorSpec;
  readonly label: string;
  readonly pane: IndicatorPane = 'price';
  readonly lineNames: readonly string[] = ['average'];
  readonly period: number;
  private readonly alpha: number;
  private readonly values = new GrowableColumn();

  constructor(period: number) {
    super();
    checkPeriod(period);
    this.period = period;
    this.alpha = 2 / (period + 1);
    this.spec = { kind: 'ema', period };
    this.label = `EMA ${period}`;
  }

  protected reserve(size: number): void {
    this.values.reserve(size);
  }

  protected computeAt(candles: CandleColumns, index: number): void {
    const seedIndex = this.period - 1;
    let value = NaN;
    if (index === seedIndex) {
      let sum = 0;
      for (let i = 0; i <= index; i++) sum += candles.closeAt(i);
      value = sum / this.period;
    } else if (index > seedIndex) {
      const previous = this.values.at(index - 1);
      value = previous + this.alpha * (candles.closeAt(index) - previous);
    }
    this.values.set(index, value);
  }

  protected lineValue(_line: number, index: number): number {
    return this.values.at(index);
  }
}
