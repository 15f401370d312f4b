// Millisecond latencies counted in 1 ms buckets: recording allocates nothing, however many ticks
// arrive between two samples, and percentiles are exact to the millisecond.

export class MsHistogram {
  private readonly buckets: Uint32Array;
  private total = 0;

  /** `maxMs`: the last bucket; larger values (and a clock step backwards, as 0) are clamped. */
  constructor(readonly maxMs: number) {
    this.buckets = new Uint32Array(maxMs + 1);
  }

  get count(): number {
    return this.total;
  }

  record(ms: number): void {
    const bucket = Math.min(this.maxMs, Math.max(0, Math.round(ms)));
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    this.total += 1;
  }

  /** The smallest value at or below which `p` percent of the records fall; null when empty. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let ms = 0; ms <= this.maxMs; ms++) {
      seen += this.buckets[ms] ?? 0;
      if (seen >= rank) return ms;
    }
    return this.maxMs;
  }

  reset(): void {
    this.buckets.fill(0);
    this.total = 0;
  }
}
