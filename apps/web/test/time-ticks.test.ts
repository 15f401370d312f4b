import { describe, expect, it } from 'vitest';
import { timeTicks } from '../src/lib/time-ticks';

const points = (times: number[]) => times.map((time) => ({ time, price: 1 }));

describe('timeTicks', () => {
  it('spreads whole-second ticks across the window, inside it', () => {
    const ticks = timeTicks(points([10_250, 20_000, 40_250]));
    expect(ticks).toEqual([11_000, 20_000, 30_000, 40_000]);
  });

  it('gives no ticks for an empty or sub-second window', () => {
    expect(timeTicks(points([]))).toEqual([]);
    expect(timeTicks(points([5_000, 5_900]))).toEqual([]);
  });

  it('never repeats a tick when the window is short', () => {
    const ticks = timeTicks(points([0, 1_500]));
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});
