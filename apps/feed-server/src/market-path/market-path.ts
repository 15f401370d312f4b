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
  /** Nodes kept per generation (NODES_PER_GENERATION by default). */
  readonly nodesKept?: number;
}

/** Receives one trade of a second, in the order they happened. */
export type TradeSink = (price: number, size: number, time: number, side: Side) => void;

/** A candle in the symbol's own units: prices in its scaled units, volume in size units. */
export interface Candle {
  readonly start: number;
  readonly trades: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Nodes whose children are kept, in each of two generations, by default: enough for the
 * histories of every symbol and the candles being asked for, about 10 MB at the most. When the
 * newer generation is full the older is dropped; whatever is asked for again is drawn again,
 * identically.
 */
const NODES_PER_GENERATION = 60_000;
/** The key of the draws of a second's trades, below the tree's levels. */
const TRADES_KEY = SECOND_LEVEL + 1;

/**
 * The market as a function of its seed and of time (apps/feed-server/README.md "The market"): every symbol's
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
  private kept = new Map<number, readonly PathNode[]>();
  private older = new Map<number, readonly PathNode[]>();
  /** Per level, the children of a candle without trades. */
  private readonly noChildren: ReadonlyArray<readonly PathNode[]>;
  private keptNodes = 0;
  private readonly nodesKept: number;
  private readonly weights: Float64Array[];
  // Scratch for the trades of one second, reused from second to second.
  private prices = new Float64Array(256);
  private positions = new Float64Array(256);
  private gaps = new Float64Array(257);
  private sizeWeights = new Float64Array(256);

  constructor(options: MarketPathOptions) {
    this.symbols = options.universe;
    this.seed = options.seed;
    this.nodesKept = options.nodesKept ?? NODES_PER_GENERATION;
    this.models = symbolModels(options.universe, options.ticksPerSecond, options.stockHours);
    this.walks = this.models.map((model) => new DayWalk(model, options.seed, this.random));
    this.noChildren = Array.from({ length: SECOND_LEVEL }, (_, level) =>
      Array.from({ length: childCount(level) }, () => NO_TRADES),
    );
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
    return (
      this.childrenOf(symbolIndex, level - 1, parentIndex)[index - parentIndex * perParent] ??
      NO_TRADES
    );
  }

  /**
   * Visits candles `first` to `last` of `level`, in order, each with its index: one split per
   * parent rather than one descent per candle.
   */
  forEachNode(
    symbolIndex: number,
    level: number,
    first: number,
    last: number,
    visit: (node: PathNode, index: number) => void,
  ): void {
    if (level === DAY_LEVEL) {
      for (let index = first; index <= last; index++)
        visit(this.node(symbolIndex, level, index), index);
      return;
    }
    const perParent = childCount(level - 1);
    for (let parent = Math.floor(first / perParent); parent * perParent <= last; parent++) {
      const children = this.childrenOf(symbolIndex, level - 1, parent);
      const from = Math.max(first, parent * perParent);
      const to = Math.min(last, parent * perParent + perParent - 1);
      for (let index = from; index <= to; index++) {
        visit(children[index - parent * perParent] ?? NO_TRADES, index);
      }
    }
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
    const symbol = this.symbolAt(symbolIndex);
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

  /**
   * Candle `index` of `level` in the symbol's units; null when nothing traded in it. `node` is
   * its node when the caller has it already (from `forEachNode`).
   */
  candle(
    symbolIndex: number,
    level: number,
    index: number,
    node: PathNode = this.node(symbolIndex, level, index),
  ): Candle | null {
    if (node.trades === 0) return null;
    const { tickSize, lotSize } = this.symbolAt(symbolIndex);
    return {
      start: candleStart(level, index),
      trades: node.trades,
      open: node.open * tickSize,
      high: node.high * tickSize,
      low: node.low * tickSize,
      close: node.close * tickSize,
      volume: node.lots * lotSize,
    };
  }

  /**
   * The candle of `level` holding `until`, made of its trades at or before `until` only: what
   * has happened of it by then (never a trade after). Null while none has.
   */
  candleUntil(symbolIndex: number, level: number, until: number): Candle | null {
    const sum = new CandleSum(candleStart(level, candleIndex(level, until)));
    this.addUntil(symbolIndex, level, until, sum);
    return sum.candle();
  }

  /** Adds to `sum` the closed children of the candle holding `until`, then the open one's part. */
  private addUntil(symbolIndex: number, level: number, until: number, sum: CandleSum): void {
    if (level === SECOND_LEVEL) {
      this.trades(symbolIndex, candleIndex(level, until), (price, size, time) => {
        if (time <= until) sum.addTrade(price, size);
      });
      return;
    }
    const first = candleIndex(level, until) * childCount(level);
    const current = candleIndex(level + 1, until);
    for (let index = first; index < current; index++) {
      const candle = this.candle(symbolIndex, level + 1, index);
      if (candle !== null) sum.addCandle(candle);
    }
    this.addUntil(symbolIndex, level + 1, until, sum);
  }

  private symbolAt(symbolIndex: number): SymbolSpec {
    const symbol = this.symbols[symbolIndex];
    if (symbol === undefined) throw new RangeError(`no symbol at index ${symbolIndex}`);
    return symbol;
  }

  private walk(symbolIndex: number): DayWalk {
    const walk = this.walks[symbolIndex];
    if (walk === undefined) throw new RangeError(`no symbol at index ${symbolIndex}`);
    return walk;
  }

  /** The children of a candle (all NO_TRADES when it has none), kept while in use. */
  private childrenOf(symbolIndex: number, level: number, index: number): readonly PathNode[] {
    // One number per candle: 16 bits of symbol, 3 of level, 32 of index (within ±2^31).
    const key = (symbolIndex * 8 + level) * 2 ** 32 + (index + 2 ** 31);
    const kept = this.kept.get(key) ?? this.older.get(key);
    if (kept !== undefined) {
      if (!this.kept.has(key)) this.keep(key, kept); // still in use: into the newer generation
      return kept;
    }
    const parent = this.node(symbolIndex, level, index);
    if (parent.trades === 0) return this.noChildren[level] as readonly PathNode[];
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

  private keep(key: number, children: readonly PathNode[]): void {
    if (this.keptNodes + children.length > this.nodesKept) {
      this.older = this.kept;
      this.kept = new Map();
      this.keptNodes = 0;
    }
    this.kept.set(key, children);
    this.keptNodes += children.length;
  }
}

/** Candles and trades added up, in order, into one candle. */
class CandleSum {
  private trades = 0;
  private volume = 0;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;

  constructor(private readonly start: number) {}

  addTrade(price: number, size: number): void {
    this.add(1, price, price, price, price, size);
  }

  addCandle(candle: Candle): void {
    this.add(candle.trades, candle.open, candle.high, candle.low, candle.close, candle.volume);
  }

  candle(): Candle | null {
    if (this.trades === 0) return null;
    const { start, trades, open, high, low, close, volume } = this;
    return { start, trades, open, high, low, close, volume };
  }

  private add(
    trades: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ) {
    if (this.trades === 0) {
      this.open = open;
      this.high = high;
      this.low = low;
    } else {
      this.high = Math.max(this.high, high);
      this.low = Math.min(this.low, low);
    }
    this.close = close;
    this.trades += trades;
    this.volume += volume;
  }
}
