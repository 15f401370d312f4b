import { TokenBucket } from './rate-limiter.js';

/** Buckets that have refilled completely are dropped this often: this bounds the map under churn. */
const PRUNE_INTERVAL_MS = 10_000;

/**
 * A token bucket per client address, for budgets that hold across connections and requests
 * (new connections, HTTP requests). An address that stops asking costs nothing once its bucket
 * is full again, so many addresses asking once each do not grow the map for long.
 */
export class AddressBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private prunedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.prunedAt = now;
  }

  /** Takes one token from the address's bucket; false when the address is over its budget. */
  take(address: string, now: number): boolean {
    this.prune(now);
    let bucket = this.buckets.get(address);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst, now);
      this.buckets.set(address, bucket);
    }
    return bucket.take(now);
  }

  /** Addresses with a bucket that has not refilled yet (or not been pruned). */
  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    if (now - this.prunedAt < PRUNE_INTERVAL_MS) return;
    this.prunedAt = now;
    for (const [address, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(address);
    }
  }
}
