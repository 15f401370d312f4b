import { Side } from '@ticker/protocol';
import type { TickColumns } from '@ticker/protocol';

/** Trades a tape keeps: four seconds at 1,000 a second, minutes of most symbols. */
export const TAPE_CAPACITY = 4_096;

/** The trades a tape shows, newest first: read by index, 0 the newest. */
export interface TapeTrades {
  readonly size: number;
  timeAt(newest: number): number;
  priceAt(newest: number): number;
  sizeAt(newest: number): number;
  /** `Side.Buy` (buyer-initiated) or `Side.Sell`. */
  sideAt(newest: number): number;
  /** Mean size over the trades held, 0 when empty. */
  meanSize(): number;
}

/**
 * The last trades of one charted symbol, for its time and sales: preallocated columns written
 * in a ring, so a thousand trades a second cost a few typed-array writes each and nothing else.
 */
export class TradeTape implements TapeTrades {
  private readonly times = new Float64Array(TAPE_CAPACITY);
  private readonly prices = new Float64Array(TAPE_CAPACITY);
  private readonly sizes = new Float64Array(TAPE_CAPACITY);
  private readonly sides = new Uint8Array(TAPE_CAPACITY);
  /** Where the next trade goes. */
  private next = 0;
  size = 0;

  /** Trades in time order, as a batch or a snapshot's history holds them. */
  add(columns: TickColumns): void {
    const { time, price, size, side, count } = columns;
    for (let i = 0; i < count; i++) {
      const at = this.next;
      this.times[at] = time[i] as number;
      this.prices[at] = price[i] as number;
      this.sizes[at] = size[i] as number;
      this.sides[at] = side[i] as number;
      this.next = (at + 1) % TAPE_CAPACITY;
    }
    this.size = Math.min(TAPE_CAPACITY, this.size + count);
  }

  clear(): void {
    this.next = 0;
    this.size = 0;
  }

  private index(newest: number): number {
    return (this.next - 1 - newest + TAPE_CAPACITY) % TAPE_CAPACITY;
  }

  timeAt(newest: number): number {
    return this.times[this.index(newest)] as number;
  }

  priceAt(newest: number): number {
    return this.prices[this.index(newest)] as number;
  }

  sizeAt(newest: number): number {
    return this.sizes[this.index(newest)] as number;
  }

  sideAt(newest: number): number {
    return this.sides[this.index(newest)] as number;
  }

  meanSize(): number {
    if (this.size === 0) return 0;
    let total = 0;
    for (let i = 0; i < this.size; i++) total += this.sizes[i] as number;
    return total / this.size;
  }

  /** The tape as it is now, kept still while the view is paused (new trades keep coming in). */
  freeze(): TapeTrades {
    const copy = new TradeTape();
    copy.times.set(this.times);
    copy.prices.set(this.prices);
    copy.sizes.set(this.sizes);
    copy.sides.set(this.sides);
    copy.next = this.next;
    copy.size = this.size;
    return copy;
  }
}

export function isBuy(side: number): boolean {
  return side === Side.Buy;
}
