import { describe, expect, it } from 'vitest';
import { StableValues, sameValues } from '../src/lib/use-stable-values';

describe('StableValues', () => {
  it('hands back the array it kept while the values are the same', () => {
    const first = [1, 2, 3];
    const kept = new StableValues(first);
    expect(kept.of([1, 2, 3])).toBe(first);
    const changed = [1, 2, 4];
    expect(kept.of(changed)).toBe(changed);
    expect(kept.of([1, 2, 4])).toBe(changed);
    expect(kept.of([1, 2])).toEqual([1, 2]);
  });

  it('compares as Object.is does', () => {
    expect(sameValues([Number.NaN], [Number.NaN])).toBe(true);
    expect(sameValues([0], [-0])).toBe(false);
    expect(sameValues([], [])).toBe(true);
  });
});
