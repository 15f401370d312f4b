import { bridgeMaximum, bridgeMinimum } from './bridge.js';
import { placeExtremes, FREE } from './extremes.js';
import { DAY_LEVEL, candleStart, intervalMs } from './intervals.js';
import type { KeyedRandom } from './keyed-random.js';
import { NO_TRADES, pathNode } from './path-node.js';
import type { PathNode } from './path-node.js';
import type { SymbolModel } from './symbol-model.js';

const DAYS_PER_YEAR = 365.25;
const DAY_MS = intervalMs(DAY_LEVEL);
/** Keys of the day walk's draws, apart from the tree's levels. */
const STEP_KEY = 100;
const DAY_KEY = 101;
const DAY_ACTIVITY_SIGMA = 0.3;
/**
 * Days kept drawn per symbol, beyond which the kept ones are let go (drawing one again costs a
 * few microseconds): a year and a bit, what the live market and a year of daily candles read
 * over and over, while a client paging through twenty years cannot make them pile up.
 */
const DAYS_KEPT = 400;

/** One day's move of the level, in log price: the overnight gap, then the session's move. */
interface DayMove {
  readonly gap: number;
  readonly session: number;
  /** Variance of the session's move (for the day's high and low). */
  readonly sessionVariance: number;
}

/**
 * One symbol's price level from day to day: geometric Brownian motion with jumps, in log price,
 * at the reference price at the epoch (day 0) and walked from there in either direction, each
 * day's move drawn from that day's key alone. A day's level is reached in as many steps as days
 * lie between it and the epoch (a few thousand for decades), kept once walked: everything finer
 * is drawn from the day down, never by walking. Stocks move overnight (the gap at the open) as
 * well as in session; a day's first trade is at the level plus the gap, its last at the next
 * day's level.
 */
export class DayWalk {
  /** Log levels at the start of days 0, 1, 2, … and of days −1, −2, …. */
  private readonly ahead: number[];
  private readonly behind: number[] = [];
  /** Days drawn, kept: at most DAYS_KEPT. */
  private readonly days = new Map<number, PathNode>();

  constructor(
    private readonly model: SymbolModel,
    private readonly seed: number,
    private readonly random: KeyedRandom,
  ) {
    this.ahead = [Math.log(model.referenceTicks)];
  }

  /** The log level at the start of `day` (days from the epoch). */
  levelAt(day: number): number {
    if (day >= 0) {
      while (this.ahead.length <= day) {
        const before = this.ahead.length - 1;
        const move = this.move(before);
        this.ahead.push((this.ahead[before] as number) + move.gap + move.session);
      }
      return this.ahead[day] as number;
    }
    while (this.behind.length < -day) {
      const after = -this.behind.length; // the day after the one to reach
      const move = this.move(after - 1);
      const level = after === 0 ? (this.ahead[0] as number) : (this.behind.at(-1) as number);
      this.behind.push(level - move.gap - move.session);
    }
    return this.behind[-day - 1] as number;
  }

  /** The day's candle: its trades, lots and prices in ticks, all drawn from the day's key. */
  node(day: number): PathNode {
    let node = this.days.get(day);
    if (node === undefined) {
      node = this.drawDay(day);
      if (this.days.size >= DAYS_KEPT) this.days.clear();
      this.days.set(day, node);
    }
    return node;
  }

  private drawDay(day: number): PathNode {
    const model = this.model;
    const start = candleStart(DAY_LEVEL, day);
    const tradingMs =
      model.hours === null ? DAY_MS : model.hours.openMsWithin(start, start + DAY_MS);
    if (tradingMs === 0) return NO_TRADES;
    const move = this.move(day);
    const level = this.levelAt(day);
    const random = this.random.seed(this.seed, model.index, DAY_KEY, day);
    // Busy days and quiet ones: a log-normal factor on the day's activity, larger on days that move.
    const busy = Math.exp(DAY_ACTIVITY_SIGMA * random.gaussian() + Math.abs(move.session) * 8);
    const trades = random.poisson(model.tradesPerMs * tradingMs * busy);
    if (trades === 0) return NO_TRADES;
    const lots = trades + extraLots(trades, model.meanLots, random);
    const openLog = level + move.gap;
    const closeLog = level + move.gap + move.session;
    const open = toTicks(openLog);
    const close = trades === 1 ? open : toTicks(closeLog);
    const high = Math.ceil(
      Math.exp(bridgeMaximum(openLog, closeLog, move.sessionVariance, random)),
    );
    const low = Math.floor(
      Math.exp(bridgeMinimum(openLog, closeLog, move.sessionVariance, random)),
    );
    const extremes = placeExtremes(trades, open, close, high, Math.max(1, low), FREE, FREE, random);
    return pathNode(trades, lots, open, close, extremes);
  }

  private move(day: number): DayMove {
    const model = this.model;
    const start = candleStart(DAY_LEVEL, day);
    const open = model.hours === null ? DAY_MS : model.hours.openMsWithin(start, start + DAY_MS);
    const sessionShare = open / DAY_MS;
    const variance = (model.volatility * model.volatility) / DAYS_PER_YEAR;
    const random = this.random.seed(this.seed, model.index, STEP_KEY, day);
    const gap = Math.sqrt(variance * (1 - sessionShare)) * random.gaussian();
    const jump = random.next() < model.jumpsPerDay ? model.jumpSigma * random.gaussian() : 0;
    const sessionVariance = variance * sessionShare;
    const session = -0.5 * variance + Math.sqrt(sessionVariance) * random.gaussian() + jump;
    return { gap, session, sessionVariance: sessionVariance + jump * jump };
  }
}

/** A price in ticks from a log level: whole ticks, never below one. */
function toTicks(logLevel: number): number {
  return Math.max(1, Math.round(Math.exp(logLevel)));
}

/**
 * Lots beyond one per trade over `trades` trades, each trade taking 1 + ⌊Exp(mean)⌋ lots: the
 * sum of that many draws, as a normal with their mean and variance.
 */
function extraLots(trades: number, meanLots: number, random: KeyedRandom): number {
  const mean = 1 / (Math.exp(1 / meanLots) - 1); // E⌊Exp(m)⌋
  const variance = meanLots * meanLots;
  return Math.max(0, Math.round(trades * mean + Math.sqrt(trades * variance) * random.gaussian()));
}
