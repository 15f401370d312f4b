import { describe, expect, it } from 'vitest';
import { KeyedRandom } from '../src/market-path/keyed-random.js';

const draws = (random: KeyedRandom, count: number) =>
  Array.from({ length: count }, () => random.next());

describe('KeyedRandom', () => {
  it('draws the same numbers for the same key, and others for any other key', () => {
    const a = new KeyedRandom();
    const b = new KeyedRandom();
    expect(draws(a.seed(1, 2, 3, 4), 5)).toEqual(draws(b.seed(1, 2, 3, 4), 5));
    const first = draws(a.seed(1, 2, 3, 4), 5);
    for (const key of [
      [2, 2, 3, 4],
      [1, 3, 3, 4],
      [1, 2, 4, 4],
      [1, 2, 3, 5],
      [1, 2, 3, -4],
      [1, 2, 3, 4 + 65_536],
    ] as const) {
      const [seed, symbol, level, index] = key;
      expect(draws(b.seed(seed, symbol, level, index), 5)).not.toEqual(first);
    }
  });

  it('draws uniforms in [0, 1), counts around their means, binomials within their bounds', () => {
    const random = new KeyedRandom().seed(7, 0, 0, 0);
    const uniforms = draws(random, 10_000);
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((a, b) => a + b, 0) / uniforms.length).toBeCloseTo(0.5, 1);
    for (const mean of [0.5, 4, 29, 31, 1_000, 1e6]) {
      const counts = Array.from({ length: 2_000 }, () => random.poisson(mean));
      const average = counts.reduce((a, b) => a + b, 0) / counts.length;
      expect(Math.abs(average - mean)).toBeLessThan(4 * Math.sqrt(mean / counts.length) + 0.01);
      expect(counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
    }
    for (const [n, p] of [
      [10, 0.3],
      [1_000, 0.001],
      [1_000, 0.999],
      [1e6, 0.25],
    ] as const) {
      const counts = Array.from({ length: 2_000 }, () => random.binomial(n, p));
      const average = counts.reduce((a, b) => a + b, 0) / counts.length;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(average - n * p)).toBeLessThan(4 * (sd / Math.sqrt(counts.length)) + 0.05);
      expect(counts.every((c) => Number.isInteger(c) && c >= 0 && c <= n)).toBe(true);
    }
  });
});
