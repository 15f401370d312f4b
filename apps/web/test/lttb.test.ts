import { describe, expect, it } from 'vitest';
import { lttbIndices } from '../src/lib/lttb';

/** Runs LTTB over `ys` (x = index) and returns the kept indices as a plain array. */
function kept(ys: readonly number[], threshold: number, xs?: readonly number[]): number[] {
  const out = new Int32Array(Math.max(threshold, ys.length));
  const n = lttbIndices(xs ?? ys.map((_, i) => i), ys, ys.length, threshold, out);
  return Array.from(out.subarray(0, n));
}

/** A deterministic pseudo-random walk (mulberry32), so a failure reproduces. */
function randomWalk(count: number, seed: number): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const ys: number[] = [];
  let y = 1_000;
  for (let i = 0; i < count; i++) {
    y += Math.round((next() - 0.5) * 20);
    ys.push(y);
  }
  return ys;
}

describe('lttbIndices', () => {
  it('returns every index when the threshold is at least the count', () => {
    const ys = [5, 1, 4, 2, 3];
    expect(kept(ys, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(kept(ys, 100)).toEqual([0, 1, 2, 3, 4]);
  });

  it('returns nothing for no points', () => {
    expect(kept([], 10)).toEqual([]);
  });

  it('writes no more indices than the output holds when keeping everything', () => {
    const out = new Int32Array(3);
    expect(lttbIndices([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], 5, 10, out)).toBe(3);
    expect(Array.from(out)).toEqual([0, 1, 2]);
  });

  it('keeps the first and last point', () => {
    const ys = randomWalk(1_000, 1);
    const indices = kept(ys, 50);
    expect(indices[0]).toBe(0);
    expect(indices.at(-1)).toBe(999);
  });

  it('returns exactly `threshold` strictly increasing indices for evenly spaced points', () => {
    for (const [count, threshold] of [
      [10, 3],
      [10, 9],
      [101, 7],
      [1_000, 50],
      [4_097, 640],
    ] as const) {
      const indices = kept(randomWalk(count, count + threshold), threshold);
      expect(indices).toHaveLength(threshold);
      for (let i = 1; i < indices.length; i++) {
        expect(indices[i]).toBeGreaterThan(indices[i - 1] ?? Infinity);
      }
      expect(Math.min(...indices)).toBe(0);
      expect(Math.max(...indices)).toBe(count - 1);
    }
  });

  it('picks the point forming the largest triangle with its neighbours', () => {
    // count 5, threshold 3: one bucket [1, 4) between point 0 and the last bucket's average
    // (4, 0); the triangle's area grows with y there, so the peak at index 2 wins.
    expect(kept([0, 1, 5, 2, 0], 3)).toEqual([0, 2, 4]);
    // A dip is as far from the line as a peak.
    expect(kept([0, -1, -2, -7, 0], 3)).toEqual([0, 3, 4]);
  });

  it('measures the triangle in x as well as y', () => {
    // Same ys, one bucket [1, 4): the area is |10 * x - lastX * y|, so moving the last point's x
    // from 4 to 40 turns the best point from the latest in the bucket to the earliest.
    expect(kept([0, 1, 1, 1, 10], 3, [0, 1, 2, 3, 4])).toEqual([0, 3, 4]);
    expect(kept([0, 1, 1, 1, 10], 3, [0, 1, 2, 3, 40])).toEqual([0, 1, 4]);
  });

  it('keeps a spike that plain decimation would drop', () => {
    const count = 1_000;
    const threshold = 20;
    const spikeAt = 517;
    const ys = Array.from({ length: count }, (_, i) => (i === spikeAt ? 500 : 100));
    const step = Math.ceil(count / threshold);
    const decimated = Array.from({ length: threshold }, (_, i) => i * step);
    expect(decimated).not.toContain(spikeAt);

    expect(kept(ys, threshold)).toContain(spikeAt);
  });

  it('keeps both extremes of a sharp swing', () => {
    const ys = Array.from({ length: 300 }, (_, i) => Math.sin(i / 40) * 10);
    ys[100] = 1_000;
    ys[200] = -1_000;
    const indices = kept(ys, 12);
    expect(indices).toContain(100);
    expect(indices).toContain(200);
  });

  it('reads only the first `count` points of longer columns', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = [0, 1, 5, 2, 0, 9_999, 9_999, 9_999];
    const out = new Int32Array(8);
    expect(lttbIndices(xs, ys, 5, 3, out)).toBe(3);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 2, 4]);
  });

  it('buckets by x, so sparse old points and dense new ones share the output by span', () => {
    // 100 points a second apart, then 10,000 a millisecond apart: 110 s in all. Buckets by count
    // would give the first 100 s about half a point; by x they get about 100 s / 110 s of them.
    const xs = [
      ...Array.from({ length: 100 }, (_, i) => i * 1_000),
      ...Array.from({ length: 10_000 }, (_, i) => 100_000 + i),
    ];
    const ys = randomWalk(xs.length, 3);
    const indices = kept(ys, 52, xs);
    const sparse = indices.filter((i) => i < 100).length;
    expect(sparse).toBeGreaterThanOrEqual(44);
    // Each of the 50 buckets spans 2.2 s: no two kept neighbours are more than two apart.
    for (let k = 1; k < indices.length; k++) {
      const gap = (xs[indices[k] as number] as number) - (xs[indices[k - 1] as number] as number);
      expect(gap).toBeLessThanOrEqual(4_400);
    }
  });

  it('keeps nothing from an empty stretch and still ends on the last point', () => {
    // Points at 0..9 and 90..99: 10 buckets of ~10 each, eight of them empty.
    const xs = [
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => 90 + i),
    ];
    const indices = kept(randomWalk(20, 5), 12, xs);
    expect(indices.length).toBeLessThan(12);
    expect(indices[0]).toBe(0);
    expect(indices.at(-1)).toBe(19);
    for (let k = 1; k < indices.length; k++) {
      expect(indices[k]).toBeGreaterThan(indices[k - 1] ?? Infinity);
    }
    expect(indices.filter((i) => i >= 10).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps one inner point when every x is the same', () => {
    // Every bucket but the last spans nothing; the last takes the inner points, and on one
    // vertical line every triangle is flat, so the first of them is kept.
    expect(kept([1, 5, 2, 9, 3], 4, [7, 7, 7, 7, 7])).toEqual([0, 1, 4]);
  });

  it('works on typed-array columns', () => {
    const ys = Float64Array.from(randomWalk(200, 7));
    const xs = Float64Array.from(ys, (_, i) => 1_000 * i);
    const out = new Int32Array(25);
    const n = lttbIndices(xs, ys, 200, 25, out);
    expect(n).toBe(25);
    expect(out[0]).toBe(0);
    expect(out[24]).toBe(199);
  });
});
