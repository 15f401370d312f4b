import { RingIndex } from './ring-index';

/**
 * A bounded (time, value) series that overwrites its oldest point once full.
 *
 * Both columns are preallocated typed arrays, so `push` never allocates: the feed appends every
 * tick here, at a rate where per-tick garbage would show up as GC pauses in the charts. Values
 * are kept as the feed sends them (scaled integers); converting to display numbers is the
 * reader's job and happens once per frame, not once per tick.
 */
export class RingBuffer {
  private readonly index: RingIndex;
  private readonly times: Float64Array;
  private readonly values: Float64Array;

  constructor(capacity: number) {
    this.index = new RingIndex(capacity);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Maximum number of points kept; older points are overwritten. */
  get capacity(): number {
    return this.index.capacity;
  }

  /** Number of points currently held, at most `capacity`. */
  get size(): number {
    return this.index.size;
  }

  /** Appends a point, dropping the oldest one when full. */
  push(time: number, value: number): void {
    const slot = this.index.advance();
    this.times[slot] = time;
    this.values[slot] = value;
  }

  /** Time of the `index`-th point, oldest first (0 is the oldest held point). */
  timeAt(index: number): number {
    return this.times[this.index.slot(index)] as number;
  }

  /** Value of the `index`-th point, oldest first (0 is the oldest held point). */
  valueAt(index: number): number {
    return this.values[this.index.slot(index)] as number;
  }

  /** Index of the first point at or after `time` (size if none); times must be ascending. */
  firstAtOrAfter(time: number): number {
    return this.index.firstAtOrAfter(this.times, time);
  }

  /** Forgets every point; the storage is kept for reuse. */
  clear(): void {
    this.index.clear();
  }
}
