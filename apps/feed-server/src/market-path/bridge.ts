import type { KeyedRandom } from './keyed-random.js';
import type { PathNode } from './path-node.js';

/** Milliseconds in a year of the volatility's unit (annualised over calendar time). */
const MS_PER_YEAR = 365.25 * 86_400_000;

/**
 * The standard deviation, in ticks, of the move from one trade to the next in a node: its
 * symbol's variance over the node's trading time, shared equally by its trades (trade time), at
 * its price level. Drawn with this step, a node's children vary as much as its symbol does over
 * their time, at every level of the tree.
 */
export function tradeStep(node: PathNode, volatility: number, tradingMs: number): number {
  return node.open * volatility * Math.sqrt(tradingMs / MS_PER_YEAR / Math.max(1, node.trades - 1));
}

/**
 * Draws a node's values at the given trade positions (ascending, distinct, within the node) into
 * `out`: at `open`, `close`, `high` and `low` where those are, elsewhere from the Brownian bridge
 * between the value drawn before and the next of them (a move of `step` ticks per trade, see
 * `tradeStep`), reflected into [low, high] and rounded to a tick. Positions between two drawn ones are left free: their values are drawn later, inside
 * the child that holds them, pinned the same way.
 */
export function drawAtPositions(
  node: PathNode,
  step: number,
  positions: ArrayLike<number>,
  count: number,
  random: KeyedRandom,
  out: Float64Array,
): void {
  const anchors = anchorsOf(node);
  let previousAt = 0;
  let previous = node.open;
  let next = 1; // anchors[0] is the open, at 0
  for (let i = 0; i < count; i++) {
    const at = positions[i] as number;
    while (next < anchors.length && (anchors[next] as Anchor).at < at) {
      previousAt = (anchors[next] as Anchor).at;
      previous = (anchors[next] as Anchor).value;
      next += 1;
    }
    let value: number;
    const anchor = anchors[next];
    if (at === 0) value = node.open;
    else if (anchor === undefined) value = node.close;
    else if (anchor.at === at) value = anchor.value;
    else {
      const span = anchor.at - previousAt;
      const mean = previous + ((anchor.value - previous) * (at - previousAt)) / span;
      const sd = step * Math.sqrt(((at - previousAt) * (anchor.at - at)) / span);
      value = reflectInto(Math.round(mean + sd * random.gaussian()), node.low, node.high);
    }
    out[i] = value;
    previousAt = at;
    previous = value;
  }
}

interface Anchor {
  readonly at: number;
  readonly value: number;
}

/** The node's pinned trades in order of position (the open first, the close last). */
function anchorsOf(node: PathNode): Anchor[] {
  const last = node.trades - 1;
  const anchors: Anchor[] = [{ at: 0, value: node.open }];
  const inner = [
    { at: node.highAt, value: node.high },
    { at: node.lowAt, value: node.low },
  ]
    .filter((anchor) => anchor.at > 0 && anchor.at < last)
    .sort((a, b) => a.at - b.at);
  anchors.push(...inner);
  if (last > 0) anchors.push({ at: last, value: node.close });
  return anchors;
}

/** Folds a value back into [low, high] as a path bouncing off the walls would. */
export function reflectInto(value: number, low: number, high: number): number {
  if (high <= low) return low;
  let v = value;
  if (v > high) v = high - (v - high);
  if (v < low) v = low + (low - v);
  return Math.min(high, Math.max(low, v));
}

/**
 * The maximum of a Brownian bridge from `a` to `b` with variance `variance` over its length,
 * drawn exactly (P(max > m) = exp(−2(m − a)(m − b) / variance)); the minimum is its mirror.
 */
export function bridgeMaximum(a: number, b: number, variance: number, random: KeyedRandom): number {
  const half = (b - a) / 2;
  return (a + b) / 2 + Math.sqrt(half * half - (variance * Math.log(random.positive())) / 2);
}

export function bridgeMinimum(a: number, b: number, variance: number, random: KeyedRandom): number {
  return -bridgeMaximum(-a, -b, variance, random);
}
