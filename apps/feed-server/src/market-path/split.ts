import { bridgeMaximum, bridgeMinimum, drawAtPositions, reflectInto } from './bridge.js';
import { FREE, placeExtremes } from './extremes.js';
import type { KeyedRandom } from './keyed-random.js';
import { NO_TRADES, pathNode } from './path-node.js';
import type { PathNode } from './path-node.js';

/** Scratch for the run boundaries of one split: at most two positions per child. */
let positions = new Float64Array(128);
let values = new Float64Array(128);
const counts: number[] = [];
const extraLots: number[] = [];

/**
 * Splits a node into its `weights.length` children (consecutive spans of its time), drawn to
 * agree with it exactly: the trades are shared out in proportion to each child's trading time,
 * the lots in proportion to the trades, each child's open and close are the values of its first
 * and last trade on the node's pinned path (bridge.ts), and the child holding the node's high
 * (or low) trade inherits it. The first child's open is the node's open, the last's close its
 * close, the children's highest high its high: the node is their aggregate.
 */
export function splitNode(
  node: PathNode,
  weights: Float64Array,
  step: number,
  random: KeyedRandom,
): PathNode[] {
  const k = weights.length;
  varyActivity(weights, random);
  shareTrades(node.trades, weights, random);
  shareLots(node.lots - node.trades, node.trades, random);
  const drawn = runBoundaries(k);
  if (positions.length < drawn) {
    positions = new Float64Array(drawn * 2);
    values = new Float64Array(drawn * 2);
  }
  fillRunBoundaries(k);
  drawAtPositions(node, step, positions, drawn, random, values);

  const children: PathNode[] = [];
  let first = 0;
  let drawnAt = 0;
  for (let j = 0; j < k; j++) {
    const trades = counts[j] as number;
    if (trades === 0) {
      children.push(NO_TRADES);
      continue;
    }
    const last = first + trades - 1;
    const open = values[drawnAt] as number;
    const close = trades === 1 ? open : (values[drawnAt + 1] as number);
    drawnAt += trades === 1 ? 1 : 2;
    const holdsHigh = node.highAt >= first && node.highAt <= last;
    const holdsLow = node.lowAt >= first && node.lowAt <= last;
    const variance = step * step * (trades - 1);
    // A child that does not hold the node's high stays below it: beyond, its excursion folds
    // back, so the node's high is touched where it was placed and (almost) nowhere else.
    const top = Math.max(open, close);
    const bottom = Math.min(open, close);
    const maximum = Math.ceil(bridgeMaximum(open, close, variance, random));
    const minimum = Math.floor(bridgeMinimum(open, close, variance, random));
    let proposedHigh = node.high;
    if (!holdsHigh)
      proposedHigh = top >= node.high - 1 ? top : reflectInto(maximum, top, node.high - 1);
    let proposedLow = node.low;
    if (!holdsLow)
      proposedLow = bottom <= node.low + 1 ? bottom : reflectInto(minimum, node.low + 1, bottom);
    const extremes = placeExtremes(
      trades,
      open,
      close,
      proposedHigh,
      proposedLow,
      holdsHigh ? node.highAt - first : FREE,
      holdsLow ? node.lowAt - first : FREE,
      random,
    );
    children.push(pathNode(trades, trades + (extraLots[j] as number), open, close, extremes));
    first = last + 1;
  }
  return children;
}

/**
 * How busy each child is beyond its trading time: a log-normal factor per child, so that trades
 * bunch as they do in markets (busy minutes and quiet ones) rather than spreading evenly.
 */
const ACTIVITY_SIGMA = 0.35;

function varyActivity(weights: Float64Array, random: KeyedRandom): void {
  for (let j = 0; j < weights.length; j++) {
    const weight = weights[j] as number;
    const factor = Math.exp(ACTIVITY_SIGMA * random.gaussian());
    if (weight > 0) weights[j] = weight * factor;
  }
}

/** Trades per child: a multinomial draw over the weights, made of binomials, summing exactly. */
function shareTrades(trades: number, weights: ArrayLike<number>, random: KeyedRandom): void {
  counts.length = weights.length;
  let lastTrading = -1;
  let total = 0;
  for (let j = 0; j < weights.length; j++) {
    const weight = weights[j] as number;
    total += weight;
    if (weight > 0) lastTrading = j;
  }
  let left = trades;
  for (let j = 0; j < weights.length; j++) {
    const weight = weights[j] as number;
    let share = 0;
    if (j === lastTrading) share = left;
    else if (weight > 0 && left > 0) share = random.binomial(left, weight / total);
    counts[j] = share;
    left -= share;
    total -= weight;
  }
}

/** Lots beyond one per trade, shared out in proportion to each child's trades. */
function shareLots(extra: number, trades: number, random: KeyedRandom): void {
  extraLots.length = counts.length;
  let left = extra;
  let tradesLeft = trades;
  for (let j = 0; j < counts.length; j++) {
    const share = counts[j] as number;
    let lots = 0;
    if (share > 0) lots = share === tradesLeft ? left : random.binomial(left, share / tradesLeft);
    extraLots[j] = lots;
    left -= lots;
    tradesLeft -= share;
  }
}

/** How many positions the children's first and last trades take. */
function runBoundaries(k: number): number {
  let drawn = 0;
  for (let j = 0; j < k; j++) {
    const trades = counts[j] as number;
    if (trades > 0) drawn += trades === 1 ? 1 : 2;
  }
  return drawn;
}

function fillRunBoundaries(k: number): void {
  let first = 0;
  let i = 0;
  for (let j = 0; j < k; j++) {
    const trades = counts[j] as number;
    if (trades === 0) continue;
    positions[i++] = first;
    if (trades > 1) positions[i++] = first + trades - 1;
    first += trades;
  }
}
