import { HISTORY_INTERVALS, HISTORY_INTERVAL_NAMES } from '@ticker/protocol';
import type { HistoryInterval } from '@ticker/protocol';

/**
 * The candle intervals of the market (HISTORY_INTERVALS), coarsest first: the levels of a tree.
 * Each divides the one before it exactly (a day into six 4-hour candles, … a minute into sixty
 * seconds), so a candle is exactly the aggregate of its children, and a second's candle is the
 * aggregate of its ticks.
 */
export const INTERVALS: ReadonlyArray<{ readonly name: HistoryInterval; readonly ms: number }> = [
  ...HISTORY_INTERVAL_NAMES,
]
  .reverse()
  .map((name) => ({ name, ms: HISTORY_INTERVALS[name] }));

/** The level of the tree that is one day (the root of each day's candles). */
export const DAY_LEVEL = 0;
/** The level of one second: its children are ticks. */
export const SECOND_LEVEL = INTERVALS.length - 1;

/**
 * The instant the market is anchored at: every symbol trades at its reference price at the start
 * of 2026-01-01 UTC, and the market runs from there in both directions. Fixed forever: moving it
 * would change every price of every seed.
 */
export const MARKET_EPOCH = Date.UTC(2026, 0, 1);

/**
 * The instants the market is served for: ten years either side of the epoch. Each day is one
 * step of a walk from the epoch (day-walk.ts), so this bounds what reaching any day costs.
 */
export const MARKET_RANGE = {
  min: Date.UTC(2016, 0, 1),
  max: Date.UTC(2036, 0, 1) - 1,
} as const;

/** The level of an interval by name, or undefined. */
export function levelOf(name: string): number | undefined {
  const level = INTERVALS.findIndex((interval) => interval.name === name);
  return level === -1 ? undefined : level;
}

export function intervalMs(level: number): number {
  const interval = INTERVALS[level];
  if (interval === undefined) throw new RangeError(`no interval at level ${level}`);
  return interval.ms;
}

/** How many candles of `level + 1` make one of `level`. */
export function childCount(level: number): number {
  return intervalMs(level) / intervalMs(level + 1);
}

/** The index of the candle of `level` holding `time` (negative before the epoch). */
export function candleIndex(level: number, time: number): number {
  return Math.floor((time - MARKET_EPOCH) / intervalMs(level));
}

/** When candle `index` of `level` starts (epoch ms). */
export function candleStart(level: number, index: number): number {
  return MARKET_EPOCH + index * intervalMs(level);
}
