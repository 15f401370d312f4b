/**
 * What a subscription delivers (docs/PROTOCOL.md "Views"). A connection holds each symbol in at
 * most one view; subscribing it in another moves it there.
 *
 * - `Chart`: every tick, in the symbol's numbered batches, after a full snapshot (session,
 *   candles, recent ticks). What a chart draws from.
 * - `Quote`: a small snapshot (session and a short series of 1 s closes), then the latest quote
 *   at most every `QuoteIntervalMs`, conflated: a reader that falls behind skips to the newest
 *   quote instead of queueing old ones. What a watchlist row needs.
 *
 * Append new views; never renumber.
 */
export const View = {
  Chart: 0,
  Quote: 1,
} as const;
export type View = (typeof View)[keyof typeof View];

const VIEWS: ReadonlySet<number> = new Set(Object.values(View));

export function isView(value: number): value is View {
  return VIEWS.has(value);
}
