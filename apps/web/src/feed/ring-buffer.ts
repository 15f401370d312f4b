/**
 * A bounded (time, value) series that overwrites its oldest point once full.
 *
 * Both columns are preallocated typed arrays, so `push` never allocates: the feed appends every
 * tick here, at a rate where per-tick garbage would show up as GC pauses in the charts. Values
 * are kept as the feed sends them (scaled integers); converting to display numbers is the
 * reader's job and happens once per frame, not once per tick.
 */
export class RingBuffer {
  /** Maximum number of points kept; older points are overwritten. */
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** Index the next point is written to. */
  private head = 0;
  private length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Number of points currently held, at most `capacity`. */
  get size(): number {
    return this.length;
  }

  /** Appends a point, dropping the oldest one when full. */
  push(time: number, value: number): void {
    this.times[this.head] = time;
    this.values[this.head] = value;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.length < this.capacity) this.length += 1;
  }

  /** Time of the `index`-th point, oldest first (0 is the oldest held point). */
  timeAt(index: number): number {
    return this.times[this.physical(index)] ?? Number.NaN;
  }

  /** Value of the `index`-th point, oldest first (0 is the oldest held point). */
  valueAt(index: number): number {
    return this.values[this.physical(index)] ?? Number.NaN;
  }

  /** Forgets every point; the storage is kept for reuse. */
  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private physical(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`index ${index} is outside [0, ${this.length})`);
    }
    // The oldest point sits at `head` once the buffer has wrapped, at 0 before that.
    const start = this.length === this.capacity ? this.head : 0;
    const physical = start + index;
    return physical >= this.capacity ? physical - this.capacity : physical;
  }
}
