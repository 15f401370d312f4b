/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last
 * point and, from each of `threshold - 2` buckets in between, the point that makes the largest
 * triangle with the previous kept point and the next bucket's average. Spikes survive, which
 * plain decimation would drop. Used to draw about one point per pixel, since an SVG path slows
 * down past ~1,000 points a series.
 *
 * The buckets span equal stretches of x (time), not equal counts of points: a chart's older part
 * comes from 1 s bars and its newest seconds from dense ticks, and buckets by count would give a
 * few seconds of ticks most of the pixels and draw minutes of bars with a point every 15 s. A
 * bucket with no points keeps none, so the result may be shorter than `threshold`.
 *
 * Reads `count` points from the columns (x ascending) and writes the kept indices into `out`,
 * returning how many it wrote; it allocates nothing.
 */
export function lttbIndices(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  count: number,
  threshold: number,
  out: Int32Array,
): number {
  if (threshold >= count || threshold < 3) {
    const n = Math.min(count, out.length);
    for (let i = 0; i < n; i++) out[i] = i;
    return n;
  }
  const buckets = threshold - 2;
  const lastIndex = count - 1;
  const firstX = xs[0] as number;
  const width = ((xs[lastIndex] as number) - firstX) / buckets;

  let kept = 0;
  let previous = 0;
  out[kept++] = 0;
  let start = 1;
  let end = firstIndexAtOrAbove(xs, start, lastIndex, edgeOf(0, buckets, firstX, width));
  for (let bucket = 0; bucket < buckets; bucket++) {
    // The next bucket's average is the triangle's third corner; after the last, the last point.
    const nextEnd =
      bucket + 1 < buckets
        ? firstIndexAtOrAbove(xs, end, lastIndex, edgeOf(bucket + 1, buckets, firstX, width))
        : count;
    if (start < end) {
      averageOrNext(xs, ys, end, nextEnd);
      previous = largestTriangle(
        xs,
        ys,
        start,
        end,
        previous,
        corner[0] as number,
        corner[1] as number,
      );
      out[kept++] = previous;
    }
    start = end;
    end = nextEnd;
  }
  out[kept++] = lastIndex;
  return kept;
}

/**
 * The upper x edge of a bucket: its points have x below it. The last bucket's edge is infinite,
 * so it takes every point left whatever rounding did to firstX + buckets * width.
 */
function edgeOf(bucket: number, buckets: number, firstX: number, width: number): number {
  return bucket >= buckets - 1 ? Infinity : firstX + (bucket + 1) * width;
}

/** The first index in [from, limit) whose x is at least `x`, or `limit`. */
function firstIndexAtOrAbove(
  xs: ArrayLike<number>,
  from: number,
  limit: number,
  x: number,
): number {
  let i = from;
  while (i < limit && (xs[i] as number) < x) i++;
  return i;
}

// The triangle's third corner, written by averageOrNext and reused so the loop allocates nothing.
const corner = new Float64Array(2);

/** Sets `corner` to the mean point of [start, end), or to the point at `start` when it is empty. */
function averageOrNext(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  start: number,
  end: number,
): void {
  if (end <= start) {
    corner[0] = xs[start] as number;
    corner[1] = ys[start] as number;
    return;
  }
  let sumX = 0;
  let sumY = 0;
  for (let i = start; i < end; i++) {
    sumX += xs[i] as number;
    sumY += ys[i] as number;
  }
  corner[0] = sumX / (end - start);
  corner[1] = sumY / (end - start);
}

/** The index in [start, end) making the largest triangle with the previous kept point and (avgX, avgY). */
function largestTriangle(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  start: number,
  end: number,
  previous: number,
  avgX: number,
  avgY: number,
): number {
  const px = xs[previous] as number;
  const py = ys[previous] as number;
  let maxArea = -1;
  let chosen = start;
  for (let i = start; i < end; i++) {
    const area = Math.abs(
      (px - avgX) * ((ys[i] as number) - py) - (px - (xs[i] as number)) * (avgY - py),
    );
    if (area > maxArea) {
      maxArea = area;
      chosen = i;
    }
  }
  return chosen;
}
