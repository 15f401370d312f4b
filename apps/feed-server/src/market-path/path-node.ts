import type { Extremes } from './extremes.js';

/**
 * One candle of one symbol's market tree. Prices are in ticks (the price divided by the symbol's
 * tick size: integers, so every price is on the grid) and volume in lots. A node with no trades
 * is no candle: its prices are 0 and nothing below it trades.
 *
 * The tree is built from the top: a node's figures are fixed before its children are drawn,
 * and the children are drawn to agree with them exactly. Think of a node as its trades, in
 * order: the first is at `open`, the last at `close`, the trade numbered `highAt` at `high` and
 * `lowAt` at `low`; its children are consecutive runs of those trades.
 */
export interface PathNode {
  readonly trades: number;
  readonly lots: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** The number (from 0) of a trade at the high, and of one at the low. */
  readonly highAt: number;
  readonly lowAt: number;
}

/** A node of trades between `open` and `close`, its extremes placed (extremes.ts). */
export function pathNode(
  trades: number,
  lots: number,
  open: number,
  close: number,
  extremes: Extremes,
): PathNode {
  const { high, highAt, low, lowAt } = extremes;
  return { trades, lots, open, high, low, close, highAt, lowAt };
}

export const NO_TRADES: PathNode = {
  trades: 0,
  lots: 0,
  open: 0,
  high: 0,
  low: 0,
  close: 0,
  highAt: 0,
  lowAt: 0,
};
