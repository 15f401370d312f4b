import { SESSION_MS } from '@ticker/protocol';
import type { CandleColumns } from './candle-columns';
import { ColumnIndicator } from './column-indicator';
import { GrowableColumn } from './growable-column';
import type { IndicatorPane } from './indicator';
import type { IndicatorSpec } from './indicator-spec';

/**
 * Volume-weighted average price since the start of each candle's session: Σ(typical × volume) /
 * Σ volume with typical = (high + low + close) / 3, starting over at every UTC midnight, which is
 * where the server's session starts (`SESSION_MS`, docs/PROTOCOL.md "The session"). A candle
 * belongs to the day its start falls in. NaN while the day has traded no volume.
 *
 * The running sums are per index, so a changed index is one addition to the sums before it,
 * O(1). (high + low + close) × volume is summed and divided by 3 only when read, so the sums stay
 * integers (exact below 2^53) on scaled-integer candles.
 */
export class VwapIndicator extends ColumnIndicator {
  readonly spec: IndicatorSpec = { kind: 'vwap' };
  readonly label = 'VWAP';
  readonly pane: IndicatorPane = 'price';
  readonly lineNames: readonly string[] = ['vwap'];
  /** Σ (high + low + close) × volume since the start of the candle's day. */
  private readonly weighted = new GrowableColumn();
  /** Σ volume since the start of the candle's day. */
  private readonly volumes = new GrowableColumn();

  protected reserve(size: number): void {
    this.weighted.reserve(size);
    this.volumes.reserve(size);
  }

  protected computeAt(candles: CandleColumns, index: number): void {
    const volume = candles.volumeAt(index);
    let weighted = (candles.highAt(index) + candles.lowAt(index) + candles.closeAt(index)) * volume;
    let volumes = volume;
    if (index > 0 && sameDay(candles.startAt(index - 1), candles.startAt(index))) {
      weighted += this.weighted.at(index - 1);
      volumes += this.volumes.at(index - 1);
    }
    this.weighted.set(index, weighted);
    this.volumes.set(index, volumes);
  }

  protected lineValue(_line: number, index: number): number {
    const volumes = this.volumes.at(index);
    return volumes > 0 ? this.weighted.at(index) / (3 * volumes) : NaN;
  }
}

function sameDay(a: number, b: number): boolean {
  return Math.floor(a / SESSION_MS) === Math.floor(b / SESSION_MS);
}
