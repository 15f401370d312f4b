import { describe, expect, it } from 'vitest';
import { MessageRate } from '../src/gateway/message-rate.js';

/** The verdicts for messages at `times` (ms), counted by kind. */
function verdicts(rate: MessageRate, times: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const time of times) {
    const verdict = rate.admit(time);
    counts[verdict] = (counts[verdict] ?? 0) + 1;
  }
  return counts;
}

const every = (ms: number, from: number, to: number): number[] =>
  Array.from({ length: Math.floor((to - from) / ms) }, (_, i) => from + i * ms);

describe('MessageRate', () => {
  it('accepts the rate, and a burst of twice as many at once', () => {
    expect(verdicts(new MessageRate(20, 40, 0), new Array<number>(40).fill(0))).toEqual({
      accept: 40,
    });
    expect(verdicts(new MessageRate(20, 40, 0), every(50, 0, 60_000))).toEqual({ accept: 1_200 });
  });

  it('refuses what is over the burst, but does not close for a burst read at once', () => {
    const rate = new MessageRate(20, 40, 0);
    // Five seconds of messages sent at the rate, read together after the server fell behind.
    expect(verdicts(rate, new Array<number>(100).fill(5_000))).toEqual({ accept: 40, refuse: 60 });
    // Then the rate again: nothing more is refused, nobody is closed.
    expect(verdicts(rate, every(50, 5_050, 10_000))).toEqual({ accept: 99 });
  });

  it('closes a client over the rate for more than a second, however many get through', () => {
    const rate = new MessageRate(5, 10, 0);
    // Fifty a second against five: one in ten is accepted.
    const times = every(20, 0, 3_000);
    const seen: string[] = [];
    for (const time of times) {
      seen.push(rate.admit(time));
      if (seen.at(-1) === 'close') break;
    }
    expect(seen.at(-1)).toBe('close');
    const closedAt = times[seen.length - 1] ?? 0;
    expect(closedAt).toBeGreaterThan(1_000);
    expect(closedAt).toBeLessThan(1_300);
    expect(seen.filter((v) => v === 'accept').length).toBeGreaterThan(10);
  });

  it('forgets refusals after a quiet second', () => {
    const rate = new MessageRate(5, 10, 0);
    for (let round = 0; round < 10; round++) {
      // A burst refused, then two quiet seconds: each burst starts a new run.
      const start = round * 3_000;
      expect(verdicts(rate, new Array<number>(20).fill(start)).close).toBeUndefined();
    }
  });
});
