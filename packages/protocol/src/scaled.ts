/**
 * Prices and sizes travel as integers scaled by 10^decimals. These helpers convert at the edges
 * (simulator output, UI labels) and nowhere in between.
 */
export function toScaled(value: number, decimals: number): number {
  return Math.round(value * 10 ** decimals);
}

/** Formats a scaled integer with exactly `decimals` fraction digits, without float drift. */
export function formatScaled(scaled: number, decimals: number): string {
  return (scaled / 10 ** decimals).toFixed(decimals);
}
