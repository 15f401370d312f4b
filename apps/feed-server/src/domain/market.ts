import { historyAt } from '../market-path/history-at.js';
import { MarketPath } from '../market-path/market-path.js';
import { PathPlayer } from '../market-path/path-player.js';
import { Batcher } from './batcher.js';
import type { PublishBatch } from './batcher.js';
import { DEFAULT_HISTORY, SymbolHistory } from './symbol-history.js';
import type { TradingHours } from './trading-hours.js';
import type { SymbolSpec } from './universe.js';

export interface MarketOptions {
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  /** Total ticks per second over all symbols. */
  readonly tickRate: number;
  /** When this process starts playing the market (epoch ms): what came before is history. */
  readonly startTime: number;
  readonly stockHours: TradingHours | null;
}

/**
 * The market and its record: the market path's trades played as time passes, sealed into one
 * numbered batch per topic per flush, and kept as each symbol's history, which is full from the
 * start: filled from the path's recent ticks and candles when first read (history-at.ts). What
 * the all-in-one server and the source share.
 */
export class Market {
  readonly universe: readonly SymbolSpec[];
  readonly startTime: number;
  readonly path: MarketPath;
  readonly histories: readonly SymbolHistory[];
  /** Ticks generated so far. */
  ticks = 0;
  /** Batches sealed so far (published or not). */
  batches = 0;
  private player: PathPlayer;
  /** Every tick up to here is in a sealed batch: what a history filled now must hold. */
  private playedUntil: number;
  private readonly batcher: Batcher;

  constructor(options: MarketOptions) {
    this.universe = options.universe;
    this.startTime = options.startTime;
    this.path = new MarketPath({
      universe: options.universe,
      seed: options.seed,
      ticksPerSecond: options.tickRate,
      stockHours: options.stockHours,
    });
    this.histories = options.universe.map((symbol, index) => {
      const history = new SymbolHistory(options.startTime);
      history.deferTo(() =>
        historyAt(this.path, index, symbol.id, this.playedUntil, DEFAULT_HISTORY),
      );
      return history;
    });
    this.playedUntil = options.startTime;
    this.player = new PathPlayer(this.path, options.startTime);
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
   * Plays on from `time` rather than from the start: the trades up to it are history, and each
   * symbol's next batch carries the seq given for its id (a source taking over from another,
   * src/broker/source-resume.ts). Called before the first flush.
   */
  resumeFrom(time: number, nextSeqs: ReadonlyMap<number, number>): void {
    this.player = new PathPlayer(this.path, time);
    this.playedUntil = time;
    this.universe.forEach((symbol, index) => {
      const seq = nextSeqs.get(symbol.id);
      if (seq === undefined) return;
      this.batcher.continueAt(index, seq);
      (this.histories[index] as SymbolHistory).nextSeq = seq;
    });
  }

  /**
   * Plays every tick up to `time`, seals each topic's batch and hands the encoded ones that
   * `isWanted` to `publish` (history records them all).
   */
  flush(time: number, publish: PublishBatch, isWanted: (symbolIndex: number) => boolean): void {
    this.player.advanceTo(time, this.batcher);
    this.batcher.flush(publish, isWanted);
    this.playedUntil = Math.max(this.playedUntil, time);
  }
}
