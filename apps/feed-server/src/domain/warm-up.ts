import type { Batcher } from './batcher.js';
import type { MarketSimulator } from './market-simulator.js';

/**
 * How much market a frozen server simulates before the instant it freezes at. 15 minutes fills
 * the 600 one-second candles (10 minutes) with room to spare and gives the hot symbols their full
 * 2,048-tick history at the default 1,000 ticks/s; it costs time linearly in TICK_RATE.
 */
export const FROZEN_WARM_UP_MS = 15 * 60_000;

const publishNothing = (): void => undefined;
const nobodyListens = (): boolean => false;

/**
 * Runs the market from `from` to `until` exactly as the live flush loop would, one `stepMs`
 * flush at a time, but with nobody listening: every batch is sealed (so sequence numbers,
 * history and candles advance as they would live) and none is encoded or published. The last
 * step lands on `until` itself, so afterwards nothing at or before `until` is left to generate.
 */
export function warmUp(
  simulator: MarketSimulator,
  batcher: Batcher,
  from: number,
  until: number,
  stepMs: number,
): void {
  for (let time = from + stepMs; time < until; time += stepMs) {
    simulator.advanceTo(time, batcher);
    batcher.flush(publishNothing, nobodyListens);
  }
  simulator.advanceTo(until, batcher);
  batcher.flush(publishNothing, nobodyListens);
}
