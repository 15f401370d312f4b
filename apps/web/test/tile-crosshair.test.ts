import { describe, expect, it } from 'vitest';
import { pointAt } from '../src/components/TileCrosshair';

describe('pointAt', () => {
  const points = [
    { time: 1_000, price: 10 },
    { time: 2_000, price: 11 },
    { time: 3_000, price: 12 },
  ];

  it('answers the price standing at an instant: the last point at or before it', () => {
    expect(pointAt(points, 2_000)).toEqual({ time: 2_000, price: 11 });
    expect(pointAt(points, 2_999)).toEqual({ time: 2_000, price: 11 });
    expect(pointAt(points, 9_000)).toEqual({ time: 3_000, price: 12 });
  });

  it('answers the first point before them all, and nothing without points', () => {
    expect(pointAt(points, 0)).toEqual({ time: 1_000, price: 10 });
    expect(pointAt([], 5)).toBeUndefined();
  });
});
