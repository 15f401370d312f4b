import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MarketSimulator } from '../src/domain/market-simulator.js';
import type { TickSink } from '../src/domain/market-simulator.js';
import { defaultUniverse } from '../src/config.js';
import { TradingHours } from '../src/domain/trading-hours.js';

const universe = defaultUniverse();
const START = 1_732_200_000_000;

interface Recorded {
  symbol: number;
  price: number;
  size: number;
  time: number;
  side: number;
}

function record(simulator: MarketSimulator, times: readonly number[]): Recorded[] {
  const ticks: Recorded[] = [];
  const sink: TickSink = {
    addTick: (symbol, price, size, time, side) => ticks.push({ symbol, price, size, time, side }),
  };
  for (const time of times) simulator.advanceTo(time, sink);
  return ticks;
}

function bySymbolThenTime(ticks: Recorded[]): Recorded[] {
  return [...ticks].sort((a, b) => a.symbol - b.symbol || a.time - b.time);
}

function steps(from: number, to: number, every: number): number[] {
  const out: number[] = [];
  for (let t = from + every; t <= to; t += every) out.push(t);
  return out;
}

describe('MarketSimulator', () => {
  it('is pinned by a golden digest for seed 42 over 10 simulated seconds', () => {
    const simulator = new MarketSimulator(universe, {
      seed: 42,
      ticksPerSecond: 500,
      startTime: START,
    });
    const ticks = record(simulator, steps(START, START + 10_000, 50));
    const digest = createHash('sha256').update(JSON.stringify(ticks)).digest('hex');
    // If this changes on purpose (a new price model), update it and say so in the changelog.
    expect({ count: ticks.length, digest: digest.slice(0, 16) }).toMatchInlineSnapshot(`
      {
        "count": 4951,
        "digest": "40c98def124b2a0a",
      }
    `);
  });

  it('gives the same ticks however often it is advanced', () => {
    const coarse = new MarketSimulator(universe, {
      seed: 7,
      ticksPerSecond: 300,
      startTime: START,
    });
    const fine = new MarketSimulator(universe, { seed: 7, ticksPerSecond: 300, startTime: START });
    const a = record(coarse, [START + 5_000]);
    const b = record(fine, steps(START, START + 5_000, 13).concat(START + 5_000));
    expect(a.length).toBeGreaterThan(1000);
    expect(bySymbolThenTime(b)).toEqual(bySymbolThenTime(a));
  });

  it('differs with the seed', () => {
    const a = record(
      new MarketSimulator(universe, { seed: 1, ticksPerSecond: 300, startTime: START }),
      [START + 2_000],
    );
    const b = record(
      new MarketSimulator(universe, { seed: 2, ticksPerSecond: 300, startTime: START }),
      [START + 2_000],
    );
    expect(b).not.toEqual(a);
  });

  it('produces positive integer prices and sizes, ordered times, and both sides', () => {
    const simulator = new MarketSimulator(universe, {
      seed: 3,
      ticksPerSecond: 2_000,
      startTime: START,
    });
    const ticks = record(simulator, steps(START, START + 60_000, 50));
    const lastTime = new Map<number, number>();
    const sides = new Set<number>();
    const violations: Recorded[] = [];
    for (const tick of ticks) {
      const ordered = tick.time >= (lastTime.get(tick.symbol) ?? START);
      if (
        !Number.isInteger(tick.price) ||
        tick.price < 1 ||
        !Number.isInteger(tick.size) ||
        tick.size < 1 ||
        !ordered
      ) {
        violations.push(tick);
      }
      lastTime.set(tick.symbol, tick.time);
      sides.add(tick.side);
    }
    expect(ticks.length).toBeGreaterThan(100_000);
    expect(violations.slice(0, 5)).toEqual([]);
    expect(sides).toEqual(new Set([0, 1]));
  });

  it('delivers the configured total rate, shared by activity', () => {
    const simulator = new MarketSimulator(universe, {
      seed: 5,
      ticksPerSecond: 1_000,
      startTime: START,
    });
    const ticks = record(simulator, steps(START, START + 60_000, 100));
    // 60,000 expected; Poisson noise is ~0.4%, so 5% bounds cannot flake.
    expect(ticks.length).toBeGreaterThan(57_000);
    expect(ticks.length).toBeLessThan(63_000);
    const btc = ticks.filter((t) => t.symbol === 0).length; // activity 10 of the total
    const quietest = ticks.filter(
      (t) => t.symbol === universe.findIndex((s) => s.ticker === 'KO'),
    ).length;
    expect(btc).toBeGreaterThan(quietest * 5);
  });

  it('keeps prices near their reference over an hour (volatility is per year, not per tick)', () => {
    const simulator = new MarketSimulator(universe, {
      seed: 11,
      ticksPerSecond: 200,
      startTime: START,
    });
    const ticks = record(simulator, steps(START, START + 3_600_000, 1_000));
    const btc = universe[0];
    const last = ticks.filter((t) => t.symbol === 0).at(-1);
    expect(btc && last).toBeTruthy();
    if (!btc || !last) return;
    const ratio = last.price / 10 ** btc.priceDecimals / btc.referencePrice;
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
  });

  it('trades stocks only in session, while crypto trades around the clock', () => {
    const monday = Date.parse('2026-11-23T12:00:00Z'); // 2.5 hours before the open
    const simulator = new MarketSimulator(universe, {
      seed: 9,
      ticksPerSecond: 200,
      startTime: monday,
      stockHours: TradingHours.parse('14:30-21:00'),
    });
    const ticks = record(simulator, steps(monday, monday + 4 * 3_600_000, 1_000));
    const isStock = (t: Recorded) => universe[t.symbol]?.assetClass === 0;
    const open = Date.parse('2026-11-23T14:30:00Z');
    expect(ticks.filter((t) => isStock(t) && t.time < open)).toHaveLength(0);
    expect(ticks.filter((t) => isStock(t) && t.time >= open).length).toBeGreaterThan(1_000);
    expect(ticks.filter((t) => !isStock(t) && t.time < open).length).toBeGreaterThan(1_000);
  });

  it('makes occasional jumps: some tick-to-tick moves are far larger than the diffusion', () => {
    const simulator = new MarketSimulator(universe, {
      seed: 21,
      ticksPerSecond: 500,
      startTime: START,
    });
    const ticks = record(simulator, steps(START, START + 3_600_000, 1_000));
    const last = new Map<number, number>();
    let jumps = 0;
    for (const t of ticks) {
      const previous = last.get(t.symbol);
      // Between consecutive ticks (well under a second apart) diffusion moves ~0.01%; 0.4% is a jump.
      if (
        previous !== undefined &&
        Math.abs(Math.log(t.price / previous)) > 0.004 &&
        t.price > 1000
      )
        jumps++;
      last.set(t.symbol, t.price);
    }
    // 229 symbols x 2 jumps/hour, of which most exceed 0.4% (sigma 0.6-1.2%).
    expect(jumps).toBeGreaterThan(100);
    expect(jumps).toBeLessThan(2_000);
  });
});
