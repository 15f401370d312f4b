import type { KeyedRandom } from './keyed-random.js';

/** Where a node's high and low are, and what they are. */
export interface Extremes {
  readonly high: number;
  readonly highAt: number;
  readonly low: number;
  readonly lowAt: number;
}

/** No trade position: the extreme is not inherited and is placed here. */
export const FREE = -1;

/** How far a placed extreme strays from its natural position (log-normal, as a share). */
const PLACEMENT_JITTER = 0.3;

/**
 * Places a node's high and low among its trades. An extreme inherited from the parent (the
 * parent's high fell in this node) keeps its value and position. Otherwise the proposed value is
 * taken if an interior trade is free to carry it (not the first or last, which are the open and
 * close, nor the other extreme's), else the extreme is the open or the close: a node of one or
 * two trades has no room for more, so the counts always allow what the prices claim.
 *
 * An extreme goes where a random walk would most likely have reached it: a Brownian path takes
 * time in proportion to the square of the distance it covers, so the route from the open over
 * the extremes to the close is shared out by squared legs (and the cheaper order of the two
 * extremes is the likelier). Placed anywhere at random, the path would have to rush to them and
 * back, and its short moves would swing far more than the symbol's volatility says.
 */
export function placeExtremes(
  trades: number,
  open: number,
  close: number,
  proposedHigh: number,
  proposedLow: number,
  inheritedHighAt: number,
  inheritedLowAt: number,
  random: KeyedRandom,
): Extremes {
  const last = trades - 1;
  const top = Math.max(open, close);
  const bottom = Math.min(open, close);
  // Interior trades free to carry an extreme: the first and last carry the open and close.
  let room = Math.max(0, last - 1);
  if (inheritedHighAt > 0 && inheritedHighAt < last) room -= 1;
  if (inheritedLowAt > 0 && inheritedLowAt < last && inheritedLowAt !== inheritedHighAt) room -= 1;
  const highExtends = inheritedHighAt === FREE && room > 0 && proposedHigh > top;
  if (highExtends) room -= 1;
  const lowExtends = inheritedLowAt === FREE && room > 0 && proposedLow < bottom;
  const high = inheritedHighAt !== FREE ? proposedHigh : highExtends ? proposedHigh : top;
  const low = inheritedLowAt !== FREE ? proposedLow : lowExtends ? proposedLow : bottom;
  let highAt = inheritedHighAt !== FREE ? inheritedHighAt : open >= close ? 0 : last;
  let lowAt = inheritedLowAt !== FREE ? inheritedLowAt : open <= close ? 0 : last;

  // Shares of the route (0 to 1) at which each extreme is reached.
  let highShare = highAt / Math.max(1, last);
  let lowShare = lowAt / Math.max(1, last);
  if (highExtends && lowExtends) {
    const highFirst = [open, high, low, close];
    const lowFirst = [open, low, high, close];
    const costHighFirst = squaredLegs(highFirst);
    const costLowFirst = squaredLegs(lowFirst);
    const takeHighFirst = random.next() * (costHighFirst + costLowFirst) < costLowFirst;
    const route = takeHighFirst ? highFirst : lowFirst;
    const [first = 1 / 3, second = 2 / 3] = legShares(route);
    highShare = takeHighFirst ? first : second;
    lowShare = takeHighFirst ? second : first;
  } else if (highExtends) {
    highShare = shareBetween(open, high, close, lowShare, inheritedLowAt !== FREE);
  } else if (lowExtends) {
    lowShare = shareBetween(open, low, close, highShare, inheritedHighAt !== FREE);
  }
  if (highExtends) highAt = interiorAt(jitter(highShare, random), last, inheritedLowAt, FREE);
  if (lowExtends) lowAt = interiorAt(jitter(lowShare, random), last, highAt, inheritedHighAt);
  return { high, highAt, low, lowAt };
}

/** The sum of squared legs of a route through prices: the time a random walk needs for it. */
function squaredLegs(route: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < route.length; i++)
    sum += ((route[i] as number) - (route[i - 1] as number)) ** 2;
  return sum;
}

/** Where the route's inner points fall, as shares of the whole, by squared legs. */
function legShares(route: readonly number[]): number[] {
  const total = squaredLegs(route);
  const shares: number[] = [];
  let covered = 0;
  for (let i = 1; i < route.length - 1; i++) {
    covered += ((route[i] as number) - (route[i - 1] as number)) ** 2;
    shares.push(total === 0 ? i / (route.length - 1) : covered / total);
  }
  return shares;
}

/**
 * The share for one extreme between the open and the close; when the other extreme is pinned
 * at `otherShare` (inherited), the route passes it too, on the side that costs less.
 */
function shareBetween(
  open: number,
  extreme: number,
  close: number,
  otherShare: number,
  otherPinned: boolean,
): number {
  const [share = 0.5] = legShares([open, extreme, close]);
  if (!otherPinned) return share;
  // The other extreme sits at otherShare: fit this one into the longer side of it.
  return otherShare >= 0.5 ? share * otherShare : otherShare + share * (1 - otherShare);
}

function jitter(share: number, random: KeyedRandom): number {
  return Math.min(1, Math.max(0, share * Math.exp(PLACEMENT_JITTER * random.gaussian())));
}

/**
 * The interior trade nearest to `share` of the way that is neither `taken` nor `alsoTaken`
 * (FREE for none); the caller has made sure one is left.
 */
function interiorAt(share: number, last: number, taken: number, alsoTaken: number): number {
  const wanted = Math.min(last - 1, Math.max(1, Math.round(share * last)));
  const free = (at: number) => at > 0 && at < last && at !== taken && at !== alsoTaken;
  for (let distance = 0; distance < last; distance++) {
    if (free(wanted - distance)) return wanted - distance;
    if (free(wanted + distance)) return wanted + distance;
  }
  throw new Error(`no free interior trade among ${last + 1}`);
}
