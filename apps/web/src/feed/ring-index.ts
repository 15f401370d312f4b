/**
 * The slot arithmetic of a fixed-capacity ring, shared by every buffer that keeps its columns in
 * preallocated typed arrays: where the next item goes, and where the n-th oldest one lives.
 */
export class RingIndex {
  readonly capacity: number;
  /** Slot the next item is written to. */
  private head = 0;
  private length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Number of items held, at most `capacity`. */
  get size(): number {
    return this.length;
  }

  /** Claims the slot of a new newest item; once full, that is the oldest item's slot. */
  advance(): number {
    const slot = this.head;
    this.head = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.length < this.capacity) this.length += 1;
    return slot;
  }

  /** The slot of the `index`-th item, oldest first (0 is the oldest held item). */
  slot(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`index ${index} is outside [0, ${this.length})`);
    }
    // The oldest item sits at `head` once the ring has wrapped, at 0 before that.
    const start = this.length === this.capacity ? this.head : 0;
    const slot = start + index;
    return slot >= this.capacity ? slot - this.capacity : slot;
  }

  /** Index of the first item whose key (in `keys`, ascending oldest to newest) is >= `target`. */
  firstAtOrAfter(keys: Float64Array, target: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((keys[this.slot(mid)] as number) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }
}
