/**
 * A token bucket per client: `ratePerSecond` sustained, bursts up to `burst`. Pure and
 * clock-injected, so it is tested without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token if there is one; returns false when the client is over its rate. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Whether anything is left to spend. Budgets of bytes spend whole messages, which may be larger
   * than what is left (or than the burst): the bucket then goes into debt, and the rate holds.
   */
  canSpend(now: number): boolean {
    this.refill(now);
    return this.tokens > 0;
  }

  spend(amount: number): void {
    this.tokens -= amount;
  }

  /** Milliseconds until `canSpend` holds again (0 if it does now). */
  msUntilSpendable(now: number): number {
    this.refill(now);
    return this.tokens > 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond) + 1;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedAt = now;
  }

  /** Whether it has refilled completely by `now`: then it is no different from a new one. */
  isFull(now: number): boolean {
    const elapsed = Math.max(0, now - this.updatedAt);
    return this.tokens + (elapsed * this.ratePerSecond) / 1000 >= this.burst;
  }
}
