import type { RingBuffer } from './ring-buffer';

/** One chart point: epoch milliseconds and a display price. */
export interface PricePoint {
  readonly time: number;
  readonly price: number;
}

/**
 * Converts a buffer of scaled integer prices into chart points, oldest first. Called once per
 * committed frame per chart, which is where allocating a fresh array is acceptable.
 */
export function toPricePoints(buffer: RingBuffer, priceDecimals: number): PricePoint[] {
  const scale = 10 ** priceDecimals;
  const points: PricePoint[] = [];
  for (let i = 0; i < buffer.size; i++) {
    points.push({ time: buffer.timeAt(i), price: buffer.valueAt(i) / scale });
  }
  return points;
}
