import { Side } from '@ticker/protocol';
import type { TradingHours } from '../domain/trading-hours.js';
import type { SymbolSpec } from '../domain/universe.js';
import { drawAtPositions, tradeStep } from './bridge.js';
import { DayWalk } from './day-walk.js';
import {
  DAY_LEVEL,
  SECOND_LEVEL,
  candleIndex,
  candleStart,
  childCount,
  intervalMs,
} from './intervals.js';
import { KeyedRandom } from './keyed-random.js';
import { NO_TRADES } from './path-node.js';
import type { PathNode } from './path-node.js';
import { splitNode } from './split.js';
import { symbolModels } from './symbol-model.js';
import type { SymbolModel } from './symbol-model.js';

export interface MarketPathOptions {
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  /** Trades per second over all symbols, shared out by each symbol's `activity`. */
  readonly ticksPerSecond: number;
  /** Session for stocks; null means always open. Crypto always trades. */
  readonly stockHours: TradingHours | null;
}

/** Receives one trade of a second, in the order they happened. */
export type TradeSink = (price: number, size: number, time: number, side: Side) => void;

/**
 * Nodes whose children are kept: enough for a day of 1 s candles and a year of 5 min candles of
 * a few symbols at once (about 50 MB at the most, typically far less); older ones are dropped
 * first and drawn again, identically, when asked for.
 */
const MAX_KEPT_NODES = 400_000;
/** The key of the draws of a second's trades, below the tree's levels. */
const TRADES_KEY = SECOND_LEVEL + 1;

/**
 * The market as a function of its seed and of time (docs/API.md "The market"): every symbol's
 * candles at every interval, and every trade, at any instant, the same on every process. Each
 * day is drawn from the day walk; each candle below is drawn from its parent (split.ts), so a
 * coarser candle is exactly the aggregate of the finer ones and a second's candle exactly the
 * aggregate of its trades. Reaching any instant costs one split per level, once.
 */
export class MarketPath {
  readonly models: readonly SymbolModel[];
  private readonly symbols: readonly SymbolSpec[];
  private readonly seed: number;
  private readonly random = new KeyedRandom();
  private readonly walks: DayWalk[];
  private readonly kept = new Map<string, readonly PathNode[]>();
  private keptNodes = 0;
  private readonly weights: Float64Array[];
  // Scratch for the trades of one second, reused from second to second.
  private prices = new Float64Array(256);
  private positions = new Float64Array(256);
  private gaps = new Float64Array(257);
  private sizeWeights = new Float64Array(256);

  constructor(options: MarketPathOptions) {
    this.symbols = options.universe;
    this.seed = options.seed;
    this.models = symbolModels(options.universe, options.ticksPerSecond, options.stockHours);
    this.walks = this.models.map((model) => new DayWalk(model, options.seed, this.random));
    this.weights = Array.from(
      { length: SECOND_LEVEL },
      (_, level) => new Float64Array(childCount(level)),
    );
  }

  /** Candle `index` of `level` for the symbol at `symbolIndex`; NO_TRADES when nothing traded. */
  node(symbolIndex: number, level: number, index: number): PathNode {
    if (level === DAY_LEVEL) return this.walk(symbolIndex).node(index);
    const perParent = childCount(level - 1);
    const parentIndex = Math.floor(index / perParent);
    const parent = this.node(symbolIndex, level - 1, parentIndex);
    if (parent.trades === 0) return NO_TRADES;
    const children = this.children(symbolIndex, level - 1, parentIndex, parent);
    return children[index - parentIndex * perParent] ?? NO_TRADES;
  }

  /** The candle holding `time` at `level`. */
  nodeAt(symbolIndex: number, level: number, time: number): PathNode {
    return this.node(symbolIndex, level, candleIndex(level, time));
  }

  /**
   * Hands the trades of second `index` to `sink` in order: prices in the symbol's scaled units
   * (ticks × tick size), sizes in its size units, times in epoch ms within the second, and the
   * side by the tick rule (an uptick is a buy, a downtick a sell, an unchanged price either).
   */
  trades(symbolIndex: number, index: number, sink: TradeSink): void {
    const second = this.node(symbolIndex, SECOND_LEVEL, index);
    const count = second.trades;
    if (count === 0) return;
    const symbol = this.symbols[symbolIndex] as SymbolSpec;
    this.reserve(count);
    const { prices, positions, gaps, sizeWeights } = this;
    for (let i = 0; i < count; i++) positions[i] = i;
    const random = this.random.seed(this.seed, symbolIndex, TRADES_KEY, index);
    const model = this.models[symbolIndex] as SymbolModel;
    const step = tradeStep(second, model.volatility, this.tradingMs(model, SECOND_LEVEL, index));
    drawAtPositions(second, step, positions, count, random, prices);
    // Times: the order statistics of uniform draws over the second, from exponential gaps.
    let totalGap = 0;
    for (let i = 0; i <= count; i++) totalGap += gaps[i] = random.exponential();
    // Sizes: a lot each, and the rest shared by exponential weights (large trades are rare).
    let weightLeft = 0;
    for (let i = 0; i < count; i++) weightLeft += sizeWeights[i] = random.exponential();
    const start = candleStart(SECOND_LEVEL, index);
    let extra = second.lots - count;
    let elapsed = 0;
    let previous = -1;
    for (let i = 0; i < count; i++) {
      elapsed += gaps[i] as number;
      const time = start + Math.min(999, Math.floor((1000 * elapsed) / totalGap));
      const weight = sizeWeights[i] as number;
      const lots =
        i === count - 1 ? extra : Math.min(extra, Math.round((extra * weight) / weightLeft));
      extra -= lots;
      weightLeft -= weight;
      const price = prices[i] as number;
      const up = price > previous || (price === previous && random.next() < 0.5);
      previous = price;
      sink(price * symbol.tickSize, (1 + lots) * symbol.lotSize, time, up ? Side.Buy : Side.Sell);
    }
  }

  /** Grows the scratch arrays of `trades` to hold a second of `count` trades. */
  private reserve(count: number): void {
    if (this.prices.length > count) return;
    const size = count * 2;
    this.prices = new Float64Array(size);
    this.positions = new Float64Array(size);
    this.gaps = new Float64Array(size + 1);
    this.sizeWeights = new Float64Array(size);
  }

  private walk(symbolIndex: number): DayWalk {
    const walk = this.walks[symbolIndex];
    if (walk === undefined) throw new RangeError(`no symbol at index ${symbolIndex}`);
    return walk;
  }

  private children(
    symbolIndex: number,
    level: number,
    index: number,
    parent: PathNode,
  ): readonly PathNode[] {
    const key = `${symbolIndex}/${level}/${index}`;
    const kept = this.kept.get(key);
    if (kept !== undefined) {
      // Most recently used last: the oldest are dropped first.
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept;
    }
    const model = this.models[symbolIndex] as SymbolModel;
    const weights = this.tradingTime(model, level, index);
    let tradingMs = 0;
    for (const weight of weights) tradingMs += weight;
    const step = tradeStep(parent, model.volatility, tradingMs);
    const random = this.random.seed(this.seed, symbolIndex, level + 1, index);
    const children = splitNode(parent, weights, step, random);
    this.keep(key, children);
    return children;
  }

  /** Each child's milliseconds of trading: what its share of the parent's trades follows. */
  private tradingTime(model: SymbolModel, level: number, index: number): Float64Array {
    const weights = this.weights[level] as Float64Array;
    const perChild = childCount(level);
    for (let j = 0; j < weights.length; j++) {
      weights[j] = this.tradingMs(model, level + 1, index * perChild + j);
    }
    return weights;
  }

  /** Milliseconds of trading in candle `index` of `level`. */
  private tradingMs(model: SymbolModel, level: number, index: number): number {
    const start = candleStart(level, index);
    const ms = intervalMs(level);
    return model.hours === null ? ms : model.hours.openMsWithin(start, start + ms);
  }

  private keep(key: string, children: readonly PathNode[]): void {
    this.kept.set(key, children);
    this.keptNodes += children.length;
    for (const [oldest, nodes] of this.kept) {
      if (this.keptNodes <= MAX_KEPT_NODES) break;
      this.kept.delete(oldest);
      this.keptNodes -= nodes.length;
    }
  }
}
