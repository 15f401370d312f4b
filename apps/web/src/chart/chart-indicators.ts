import { createIndicator, formatIndicators } from '../indicators';
import type { Indicator, IndicatorSpec } from '../indicators';
import type { ChartHistory } from './chart-history';

/**
 * A chart's indicators kept current with its candles at the cost of what changed: trades only
 * touch the newest candles, so each redraw updates from the last candle computed; a page of
 * history (older candles in front, or the latest replaced) recomputes them all, once.
 */
export class ChartIndicators {
  private indicators: Indicator[] = [];
  private specsKey = '';
  private history: ChartHistory | null = null;
  private computedVersion = -1;
  private computedSize = 0;

  /** The indicators of `specs`, computed over `history`'s candles as they are now. */
  sync(specs: readonly IndicatorSpec[], history: ChartHistory): readonly Indicator[] {
    const key = formatIndicators(specs);
    if (key !== this.specsKey || history !== this.history) {
      this.indicators = specs.map(createIndicator);
      this.specsKey = key;
      this.history = history;
      this.computedVersion = -1;
    }
    const { candles } = history;
    if (history.version !== this.computedVersion || candles.size < this.computedSize) {
      for (const indicator of this.indicators) indicator.reset(candles);
      this.computedVersion = history.version;
    } else if (candles.size > 0) {
      const from = Math.max(0, this.computedSize - 1);
      for (const indicator of this.indicators) indicator.update(candles, from);
    }
    this.computedSize = candles.size;
    return this.indicators;
  }
}
