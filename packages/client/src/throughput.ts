const BUCKET_MS = 1_000;
/** One bucket fills while the others, all complete, make up the reported rate. */
const BUCKETS = 6;

export interface Rates {
  readonly ticksPerSecond: number;
  readonly framesPerSecond: number;
  readonly bytesPerSecond: number;
}

/**
 * Ticks, frames and bytes per second over the last few whole seconds: counts go into one-second
 * buckets, so recording is three additions and rates are steady rather than jumpy.
 */
export class Throughput {
  private readonly ticks = new Float64Array(BUCKETS);
  private readonly frames = new Float64Array(BUCKETS);
  private readonly bytes = new Float64Array(BUCKETS);
  /** Absolute index (time / BUCKET_MS) of the bucket being filled; -1 before any record. */
  private bucket = -1;
  private firstBucket = -1;
  private startedAt = 0;

  record(now: number, bytes: number, ticks: number): void {
    this.roll(now);
    const slot = this.bucket % BUCKETS;
    this.frames[slot] = (this.frames[slot] as number) + 1;
    this.bytes[slot] = (this.bytes[slot] as number) + bytes;
    this.ticks[slot] = (this.ticks[slot] as number) + ticks;
  }

  rates(now: number): Rates {
    if (this.bucket < 0) return { ticksPerSecond: 0, framesPerSecond: 0, bytesPerSecond: 0 };
    this.roll(now);
    const complete = Math.min(BUCKETS - 1, this.bucket - this.firstBucket);
    if (complete === 0) {
      // Less than a second of history: scale the partial bucket by the time it covers.
      const scale = 1_000 / Math.max(now - this.startedAt, 1);
      const slot = this.bucket % BUCKETS;
      return {
        ticksPerSecond: (this.ticks[slot] as number) * scale,
        framesPerSecond: (this.frames[slot] as number) * scale,
        bytesPerSecond: (this.bytes[slot] as number) * scale,
      };
    }
    return {
      ticksPerSecond: this.sumComplete(this.ticks, complete) / complete,
      framesPerSecond: this.sumComplete(this.frames, complete) / complete,
      bytesPerSecond: this.sumComplete(this.bytes, complete) / complete,
    };
  }

  private sumComplete(counts: Float64Array, complete: number): number {
    let sum = 0;
    for (let back = 1; back <= complete; back++)
      sum += counts[(this.bucket - back) % BUCKETS] as number;
    return sum;
  }

  /** Moves to the bucket of `now`, emptying the buckets it passes over. */
  private roll(now: number): void {
    const bucket = Math.floor(now / BUCKET_MS);
    if (this.bucket < 0) {
      this.bucket = this.firstBucket = bucket;
      this.startedAt = now;
      return;
    }
    const last = Math.min(bucket, this.bucket + BUCKETS);
    for (let b = this.bucket + 1; b <= last; b++) {
      const slot = b % BUCKETS;
      this.ticks[slot] = this.frames[slot] = this.bytes[slot] = 0;
    }
    if (bucket > this.bucket) this.bucket = bucket;
  }
}
