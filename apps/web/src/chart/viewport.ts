import { MARKET_START } from './chart-history';

/**
 * What the focused chart shows: a span of time ending at `end`, or at the live edge while `end`
 * is null (the view then follows the market). Zoom changes the span, pan moves the end.
 */
export interface Viewport {
  readonly spanMs: number;
  readonly end: number | null;
}

/** Room after the newest candle while live, in candles: the open candle is not on the edge. */
export const LIVE_MARGIN_CANDLES = 3;
/** Fewest candles on screen: wider bodies stop being informative. */
export const MIN_VISIBLE_CANDLES = 12;
/** Most candles on screen: below a pixel each they are a smear, and drawing costs grow. */
export const MAX_VISIBLE_CANDLES = 1_500;

/** The live edge: just after the newest candle's end, or `now` before there is one. */
export function liveEnd(newestStart: number | null, intervalMs: number, now: number): number {
  if (newestStart === null) return now;
  return newestStart + intervalMs * (1 + LIVE_MARGIN_CANDLES);
}

export function visibleRange(view: Viewport, live: number): { from: number; to: number } {
  const to = view.end ?? live;
  return { from: to - view.spanMs, to };
}

function clampSpan(spanMs: number, intervalMs: number): number {
  return Math.min(
    Math.max(spanMs, MIN_VISIBLE_CANDLES * intervalMs),
    MAX_VISIBLE_CANDLES * intervalMs,
  );
}

/**
 * Zooms by `factor` (> 1 shows more time) around the instant at `anchor` (0 the left edge, 1 the
 * right), which stays under the pointer. While live the right edge stays put, as trading charts
 * keep the newest candle in view when zooming.
 */
export function zoom(
  view: Viewport,
  factor: number,
  anchor: number,
  live: number,
  intervalMs: number,
): Viewport {
  const spanMs = clampSpan(view.spanMs * factor, intervalMs);
  if (view.end === null) return { spanMs, end: null };
  const { from } = visibleRange(view, live);
  const at = from + anchor * view.spanMs;
  return settle({ spanMs, end: at + (1 - anchor) * spanMs }, live);
}

/** Moves the view by `deltaMs` (negative: back in time). Reaching the live edge follows it again. */
export function pan(view: Viewport, deltaMs: number, live: number): Viewport {
  return settle({ spanMs: view.spanMs, end: (view.end ?? live) + deltaMs }, live);
}

/** Never past the live edge (it is followed instead), never before the market's start. */
function settle(view: Viewport, live: number): Viewport {
  if (view.end === null) return view;
  if (view.end >= live) return { spanMs: view.spanMs, end: null };
  return { spanMs: view.spanMs, end: Math.max(view.end, MARKET_START + view.spanMs) };
}

/** The view a chart opens with: `spanMs` up to the live edge. */
export function liveViewport(spanMs: number, intervalMs: number): Viewport {
  return { spanMs: clampSpan(spanMs, intervalMs), end: null };
}
