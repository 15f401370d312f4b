import { describe, expect, it } from 'vitest';
import { defaultUniverse } from '../src/config.js';
import { Batcher } from '../src/domain/batcher.js';
import { MarketSimulator } from '../src/domain/market-simulator.js';
import type { TickSink } from '../src/domain/market-simulator.js';
import { warmUp } from '../src/domain/warm-up.js';

const universe = defaultUniverse();
const START = 1_732_200_000_000;
const UNTIL = START + 60_000;

const simulator = (): MarketSimulator =>
  new MarketSimulator(universe, { seed: 5, ticksPerSecond: 1_000, startTime: START });

interface Sealed {
  index: number;
  seq: number;
  times: number[];
}

function warmedUp(stepMs: number): { sealed: Sealed[]; market: MarketSimulator } {
  const sealed: Sealed[] = [];
  const batcher = new Batcher(
    universe.map((s) => s.id),
    {
      onSealed: (index, batch) =>
        sealed.push({ index, seq: batch.seq, times: Array.from(batch.time.slice(0, batch.count)) }),
    },
  );
  const market = simulator();
  warmUp(market, batcher, START, UNTIL, stepMs);
  return { sealed, market };
}

describe('warmUp', () => {
  it('seals every tick up to the instant, one batch per symbol per flush step, and leaves none behind', () => {
    const { sealed, market } = warmedUp(50);
    const all: number[] = [];
    const oneGo: TickSink = { addTick: (_i, _p, _s, time) => all.push(time) };
    simulator().advanceTo(UNTIL, oneGo);
    expect(sealed.reduce((sum, batch) => sum + batch.times.length, 0)).toBe(all.length);
    expect(all.length).toBeGreaterThan(50_000);

    // Like the live loop: a symbol's batch spans at most one flush interval, batches follow in
    // time, and sequence numbers count up from 0 without a gap.
    const btc = sealed.filter((batch) => batch.index === 0);
    expect(btc.length).toBeGreaterThan(200);
    expect(btc.map((batch) => batch.seq)).toEqual(btc.map((_, i) => i));
    for (const [i, batch] of btc.entries()) {
      const first = batch.times[0] ?? 0;
      expect((batch.times.at(-1) ?? 0) - first).toBeLessThanOrEqual(50);
      expect(first).toBeGreaterThanOrEqual(btc[i - 1]?.times.at(-1) ?? START);
    }

    const after: number[] = [];
    market.advanceTo(UNTIL, { addTick: (_i, _p, _s, time) => after.push(time) });
    expect(after).toEqual([]);
  });

  it('ends on the instant even when the step does not divide the span', () => {
    const { sealed } = warmedUp(7_000); // 60 s = 8 steps of 7 s and one of 4 s
    const btc = sealed.filter((batch) => batch.index === 0);
    expect(btc).toHaveLength(9);
    const last = btc.at(-1)?.times ?? [];
    expect(Math.min(...last)).toBeGreaterThanOrEqual(START + 56_000);
    expect(Math.max(...last)).toBeLessThanOrEqual(UNTIL);
  });
});
