import { Batcher } from './batcher.js';
import type { PublishBatch } from './batcher.js';
import { MarketSimulator } from './market-simulator.js';
import { SymbolHistory } from './symbol-history.js';
import type { TradingHours } from './trading-hours.js';
import type { SymbolSpec } from './universe.js';
import { warmUp } from './warm-up.js';

export interface MarketOptions {
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  /** Total simulated ticks per second over all symbols. */
  readonly tickRate: number;
  /** Simulated time the session starts at (epoch ms). */
  readonly startTime: number;
  readonly stockHours: TradingHours | null;
}

/**
 * The simulated market and its record: ticks generated, sealed into one numbered batch per topic
 * per flush, and kept as each symbol's history. What the all-in-one server and the source share.
 */
export class Market {
  readonly universe: readonly SymbolSpec[];
  readonly startTime: number;
  readonly histories: readonly SymbolHistory[];
  /** Ticks generated so far. */
  ticks = 0;
  /** Batches sealed so far (published or not). */
  batches = 0;
  private readonly simulator: MarketSimulator;
  private readonly batcher: Batcher;

  constructor(options: MarketOptions) {
    this.universe = options.universe;
    this.startTime = options.startTime;
    this.histories = options.universe.map(() => new SymbolHistory(options.startTime));
    this.simulator = new MarketSimulator(options.universe, {
      seed: options.seed,
      ticksPerSecond: options.tickRate,
      startTime: options.startTime,
      stockHours: options.stockHours,
    });
    this.batcher = new Batcher(
      options.universe.map((s) => s.id),
      {
        onSealed: (index, batch) => {
          this.ticks += batch.count;
          this.batches += 1;
          this.histories[index]?.append(batch);
        },
      },
    );
  }

  /**
   * Generates every tick up to `time`, seals each topic's batch and hands the encoded ones that
   * `isWanted` to `publish` (history records them all).
   */
  flush(time: number, publish: PublishBatch, isWanted: (symbolIndex: number) => boolean): void {
    this.simulator.advanceTo(time, this.batcher);
    this.batcher.flush(publish, isWanted);
  }

  /** Simulates up to `until` in `stepMs` flushes with nobody listening; see `warmUp`. */
  warmUp(until: number, stepMs: number): void {
    warmUp(this.simulator, this.batcher, this.startTime, until, stepMs);
  }
}
