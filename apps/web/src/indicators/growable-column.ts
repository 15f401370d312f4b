/** Slots a column starts with: a few minutes of 1 s bars before the first doubling. */
const INITIAL_CAPACITY = 256;

/**
 * A Float64Array that grows by doubling, for per-candle indicator values. Unlike the feed's ring
 * buffers it never drops old values: an indicator holds exactly one value per candle of the
 * series it was computed over, and the series may grow when history is prepended.
 */
export class GrowableColumn {
  private values: Float64Array;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new RangeError(`column capacity must be a positive integer, got ${initialCapacity}`);
    }
    this.values = new Float64Array(initialCapacity);
  }

  get capacity(): number {
    return this.values.length;
  }

  /**
   * Makes room for `size` values, keeping the current ones. Doubling keeps appends amortised
   * O(1); only the update that crosses a power of two allocates.
   */
  reserve(size: number): void {
    if (size <= this.values.length) return;
    let capacity = this.values.length;
    while (capacity < size) capacity *= 2;
    const grown = new Float64Array(capacity);
    grown.set(this.values);
    this.values = grown;
  }

  /** The value at `index`; the caller keeps `index` below the reserved size. */
  at(index: number): number {
    return this.values[index] as number;
  }

  set(index: number, value: number): void {
    this.values[index] = value;
  }
}
