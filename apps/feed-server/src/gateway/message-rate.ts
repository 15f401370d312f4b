import { TokenBucket } from '../domain/rate-limiter.js';

export type RateVerdict = 'accept' | 'refuse' | 'close';

/**
 * A run of refusals ends only after a second without one; a client is closed once a run has
 * lasted longer than that (docs/PROTOCOL.md "Message rate").
 */
const RUN_MS = 1_000;

/**
 * One connection's message rate: a token bucket of `burst` messages refilled at `perSecond`.
 * Over it, messages are refused; a client is closed (1008) once more than `burst` of them have
 * been refused in a run lasting over a second. Time matters as well as the count: when the
 * server falls behind, messages a client sent well under the rate arrive together, and a burst
 * of refusals within one read is not a flood; a client that keeps sending too fast is refused
 * again and again, however many of its messages get through in between.
 */
export class MessageRate {
  private readonly bucket: TokenBucket;
  private refusals = 0;
  private runStart = 0;
  private lastRefusal = -Infinity;

  constructor(
    perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.bucket = new TokenBucket(perSecond, burst, now);
  }

  admit(now: number): RateVerdict {
    if (now - this.lastRefusal > RUN_MS) this.refusals = 0;
    if (this.bucket.take(now)) return 'accept';
    if (this.refusals === 0) this.runStart = now;
    this.refusals += 1;
    this.lastRefusal = now;
    return this.refusals > this.burst && now - this.runStart > RUN_MS ? 'close' : 'refuse';
  }
}
