import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';

describe('backoffDelay (full jitter)', () => {
  it('spans [0, min * 2^attempt) and is capped at maxDelayMs', () => {
    const options = { minDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(0, options, () => 0)).toBe(0);
    expect(backoffDelay(0, options, () => 0.999)).toBe(99);
    expect(backoffDelay(2, options, () => 0.5)).toBe(200);
    expect(backoffDelay(3, options, () => 0.999)).toBe(799);
    expect(backoffDelay(10, options, () => 0.999)).toBe(999);
    expect(backoffDelay(10_000, options, () => 0.999)).toBe(999);
  });
});
