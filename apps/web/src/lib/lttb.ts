/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last
 * point and, from each of `threshold - 2` buckets in between, the point that makes the largest
 * triangle with the previous kept point and the next bucket's average. Spikes survive, which
 * plain decimation would drop. Used to draw about one point per pixel, since recharts' SVG slows
 * down past ~1,000 points a series.
 *
 * Reads `count` points from the columns and writes the kept indices into `out`, returning how
 * many it wrote; it allocates nothing.
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
  const bucketSize = (count - 2) / (threshold - 2);
  let kept = 0;
  let previous = 0;
  out[kept++] = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // The next bucket's average is the triangle's third corner.
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, count);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgX += xs[i] as number;
      avgY += ys[i] as number;
    }
    const span = Math.max(nextEnd - nextStart, 1);
    avgX /= span;
    avgY /= span;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
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
    out[kept++] = chosen;
    previous = chosen;
  }
  out[kept++] = count - 1;
  return kept;
}
