export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  /** How many recent samples these come from. */
  readonly samples: number;
}

/**
 * The most recent samples of a latency, in a fixed ring so that recording (per tick, for tick
 * age) never allocates; percentiles are computed only when asked for.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = this.next + 1 === this.samples.length ? 0 : this.next + 1;
    if (this.count < this.samples.length) this.count += 1;
  }

  /** Nearest-rank p50 and p99 of the window, or null before the first sample. */
  percentiles(): Percentiles | null {
    const count = this.count;
    if (count === 0) return null;
    const sorted = this.scratch.subarray(0, count);
    sorted.set(this.samples.subarray(0, count));
    sorted.sort();
    return { p50: rank(sorted, 0.5), p99: rank(sorted, 0.99), samples: count };
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }
}

function rank(sorted: Float64Array, quantile: number): number {
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] as number;
}
