import { describe, expect, it } from 'vitest';
import { MARKET_START } from '../src/chart/chart-history';
import {
  LIVE_MARGIN_CANDLES,
  MAX_VISIBLE_CANDLES,
  MIN_VISIBLE_CANDLES,
  liveEnd,
  liveViewport,
  pan,
  visibleRange,
  zoom,
} from '../src/chart/viewport';
import type { Viewport } from '../src/chart/viewport';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A live edge well after the market's start, on a whole minute. */
const LIVE = MARKET_START + 1_000 * DAY;

describe('liveEnd', () => {
  it('is now before there is a candle', () => {
    expect(liveEnd(null, MINUTE, 1_234_567)).toBe(1_234_567);
  });

  it('leaves the margin after the newest candle, whatever the clock says', () => {
    const newest = LIVE - 10 * MINUTE;
    expect(liveEnd(newest, MINUTE, 0)).toBe(newest + (1 + LIVE_MARGIN_CANDLES) * MINUTE);
    expect(liveEnd(newest, HOUR, LIVE)).toBe(newest + (1 + LIVE_MARGIN_CANDLES) * HOUR);
  });
});

describe('visibleRange', () => {
  it('ends at the live edge while live', () => {
    expect(visibleRange({ spanMs: HOUR, end: null }, LIVE)).toEqual({
      from: LIVE - HOUR,
      to: LIVE,
    });
  });

  it('ends at the view’s own end once scrolled back', () => {
    const end = LIVE - DAY;
    expect(visibleRange({ spanMs: HOUR, end }, LIVE)).toEqual({ from: end - HOUR, to: end });
  });
});

describe('zoom', () => {
  const scrolledEnd = LIVE - DAY;
  const scrolled: Viewport = { spanMs: 100 * MINUTE, end: scrolledEnd };

  it('keeps the right edge live while live, whatever the anchor', () => {
    for (const anchor of [0, 0.3, 1]) {
      expect(zoom({ spanMs: 100 * MINUTE, end: null }, 2, anchor, LIVE, MINUTE)).toEqual({
        spanMs: 200 * MINUTE,
        end: null,
      });
    }
    expect(zoom({ spanMs: 100 * MINUTE, end: null }, 0.5, 0.5, LIVE, MINUTE)).toEqual({
      spanMs: 50 * MINUTE,
      end: null,
    });
  });

  it('keeps the instant under the pointer in place once scrolled back', () => {
    const before = visibleRange(scrolled, LIVE);
    for (const anchor of [0, 0.25, 0.5, 0.9, 1]) {
      for (const factor of [0.5, 0.8, 1.25, 2]) {
        const next = zoom(scrolled, factor, anchor, LIVE, MINUTE);
        expect(next.end).not.toBeNull();
        expect(next.spanMs).toBeCloseTo(scrolled.spanMs * factor, 6);
        const after = visibleRange(next, LIVE);
        const atBefore = before.from + anchor * (before.to - before.from);
        const atAfter = after.from + anchor * (after.to - after.from);
        expect(atAfter).toBeCloseTo(atBefore, 3);
      }
    }
  });

  it('pins the left edge when anchored there and the right edge when anchored there', () => {
    const left = visibleRange(zoom(scrolled, 2, 0, LIVE, MINUTE), LIVE);
    expect(left).toEqual({ from: scrolledEnd - 100 * MINUTE, to: scrolledEnd + 100 * MINUTE });
    const right = visibleRange(zoom(scrolled, 0.5, 1, LIVE, MINUTE), LIVE);
    expect(right.to).toBe(scrolledEnd);
    expect(right.to - right.from).toBe(50 * MINUTE);
  });

  it('clamps the span to the fewest and the most candles of the interval', () => {
    const min = MIN_VISIBLE_CANDLES * MINUTE;
    const max = MAX_VISIBLE_CANDLES * MINUTE;
    expect(zoom({ spanMs: 100 * MINUTE, end: null }, 0.001, 1, LIVE, MINUTE).spanMs).toBe(min);
    expect(zoom({ spanMs: 100 * MINUTE, end: null }, 1_000, 1, LIVE, MINUTE).spanMs).toBe(max);
    expect(zoom(scrolled, 0.001, 0.5, LIVE, MINUTE).spanMs).toBe(min);
    expect(zoom(scrolled, 1_000, 0.5, LIVE, MINUTE).spanMs).toBe(max);
    // The clamp follows the interval: an hour's 12 candles are 12 hours.
    expect(zoom({ spanMs: 100 * HOUR, end: null }, 0.001, 1, LIVE, HOUR).spanMs).toBe(
      MIN_VISIBLE_CANDLES * HOUR,
    );
  });

  it('keeps the anchor in place when the span is clamped', () => {
    const next = zoom(scrolled, 0.001, 0.5, LIVE, MINUTE);
    const before = visibleRange(scrolled, LIVE);
    const after = visibleRange(next, LIVE);
    expect((after.from + after.to) / 2).toBe((before.from + before.to) / 2);
  });

  it('follows the live edge again when zooming out reaches it', () => {
    const nearLive: Viewport = { spanMs: 100 * MINUTE, end: LIVE - 10 * MINUTE };
    expect(zoom(nearLive, 2, 0.5, LIVE, MINUTE)).toEqual({ spanMs: 200 * MINUTE, end: null });
  });

  it('never shows time before the market’s start', () => {
    const early: Viewport = { spanMs: 100 * MINUTE, end: MARKET_START + 120 * MINUTE };
    const next = zoom(early, 4, 0.9, LIVE, MINUTE);
    expect(next).toEqual({ spanMs: 400 * MINUTE, end: MARKET_START + 400 * MINUTE });
    expect(visibleRange(next, LIVE).from).toBe(MARKET_START);
  });
});

describe('pan', () => {
  it('moves back from the live edge to a fixed end', () => {
    expect(pan({ spanMs: HOUR, end: null }, -10 * MINUTE, LIVE)).toEqual({
      spanMs: HOUR,
      end: LIVE - 10 * MINUTE,
    });
  });

  it('moves a scrolled view by the delta, both ways', () => {
    const view: Viewport = { spanMs: HOUR, end: LIVE - DAY };
    expect(pan(view, -HOUR, LIVE)).toEqual({ spanMs: HOUR, end: LIVE - DAY - HOUR });
    expect(pan(view, HOUR, LIVE)).toEqual({ spanMs: HOUR, end: LIVE - DAY + HOUR });
  });

  it('follows the live edge again on reaching it, or going past it', () => {
    const view: Viewport = { spanMs: HOUR, end: LIVE - HOUR };
    expect(pan(view, HOUR, LIVE)).toEqual({ spanMs: HOUR, end: null });
    expect(pan(view, DAY, LIVE)).toEqual({ spanMs: HOUR, end: null });
    expect(pan(view, HOUR - 1, LIVE)).toEqual({ spanMs: HOUR, end: LIVE - 1 });
    expect(pan({ spanMs: HOUR, end: null }, MINUTE, LIVE)).toEqual({ spanMs: HOUR, end: null });
  });

  it('stops a span after the market’s start', () => {
    expect(pan({ spanMs: HOUR, end: null }, -10_000 * DAY, LIVE)).toEqual({
      spanMs: HOUR,
      end: MARKET_START + HOUR,
    });
    const atStart: Viewport = { spanMs: HOUR, end: MARKET_START + HOUR };
    expect(pan(atStart, -MINUTE, LIVE)).toEqual(atStart);
    expect(pan(atStart, MINUTE, LIVE)).toEqual({ spanMs: HOUR, end: MARKET_START + HOUR + MINUTE });
  });

  it('keeps every result between the market’s start and the live edge', () => {
    let view: Viewport = { spanMs: 6 * HOUR, end: null };
    for (const delta of [-DAY, -500 * DAY, 3 * HOUR, -2_000 * DAY, 999 * DAY, -HOUR, 2 * DAY]) {
      view = pan(view, delta, LIVE);
      const { from, to } = visibleRange(view, LIVE);
      expect(to).toBeLessThanOrEqual(LIVE);
      expect(from).toBeGreaterThanOrEqual(MARKET_START);
      expect(to - from).toBe(6 * HOUR);
    }
  });
});

describe('liveViewport', () => {
  it('opens live with the span asked for, inside the clamp', () => {
    expect(liveViewport(2 * HOUR, MINUTE)).toEqual({ spanMs: 2 * HOUR, end: null });
    expect(liveViewport(MINUTE, MINUTE)).toEqual({
      spanMs: MIN_VISIBLE_CANDLES * MINUTE,
      end: null,
    });
    expect(liveViewport(365 * DAY, MINUTE)).toEqual({
      spanMs: MAX_VISIBLE_CANDLES * MINUTE,
      end: null,
    });
  });
});
