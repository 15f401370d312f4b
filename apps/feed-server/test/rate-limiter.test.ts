import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/domain/rate-limiter.js';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true); // one token per 100 ms at 10/s
    expect(bucket.take(100)).toBe(false);
  });

  it('refills no higher than the burst after a long pause', () => {
    const bucket = new TokenBucket(10, 2, 0);
    bucket.take(0);
    bucket.take(0);
    const allowed = [1, 2, 3].map(() => bucket.take(60_000)).filter(Boolean).length;
    expect(allowed).toBe(2);
  });

  it('ignores a clock that steps backwards', () => {
    const bucket = new TokenBucket(1, 1, 1_000);
    expect(bucket.take(1_000)).toBe(true);
    expect(bucket.take(0)).toBe(false);
  });
});
