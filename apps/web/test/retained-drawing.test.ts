import { scaleLinear, scaleLog } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import { ChartCandles } from '../src/chart/chart-candles';
import {
  RetainedDrawing,
  holds,
  lineInSpace,
  linePiecesInSpace,
  closeSpace,
  piecesOf,
  liveSegment,
  rangeToDraw,
  spaceTransform,
  spaceX,
  spaceY,
} from '../src/components/trading-chart/retained-drawing';
import type { AxisScale, DrawingSpace } from '../src/components/trading-chart/retained-drawing';

const MINUTE = 60_000;
const T0 = 1_764_547_200_000;

/** Applies an SVG `matrix(a b c d e f)` to a point. */
function apply(transform: string, px: number, py: number): [number, number] {
  const [a, b, c, d, e, f] = (/^matrix\((.*)\)$/.exec(transform)?.[1] ?? '')
    .split(' ')
    .map(Number) as [number, number, number, number, number, number];
  return [a * px + c * py + e, b * px + d * py + f];
}

/** The chart's own mapping (recharts' scales after `toAxis`) and the drawing's must agree. */
function expectSameMapping(
  space: DrawingSpace,
  x: AxisScale,
  y: AxisScale,
  toAxis: (value: number) => number,
  points: readonly [number, number][],
): void {
  const transform = spaceTransform(space, x, y, toAxis);
  for (const [time, value] of points) {
    const [px, py] = apply(transform, spaceX(space, time), spaceY(space, value));
    expect(px).toBeCloseTo(x(time) ?? NaN, 6);
    expect(py).toBeCloseTo(y(toAxis(value)) ?? NaN, 6);
  }
}

describe('spaceTransform', () => {
  const x = scaleLinear()
    .domain([T0, T0 + 300 * MINUTE])
    .range([8, 1208]);
  const points: [number, number][] = [
    [T0 - 50 * MINUTE, 6_912_345],
    [T0 + 17 * MINUTE + 30_000, 7_388_001],
    [T0 + 400 * MINUTE, 7_012_000],
  ];
  const space = (originValue: number, log = false): DrawingSpace => ({
    originTime: T0 + 100 * MINUTE,
    intervalMs: MINUTE,
    originValue,
    log,
  });

  it('maps a drawing of scaled prices onto a price axis', () => {
    const y = scaleLinear().domain([68_000, 76_000]).range([700, 10]);
    expectSameMapping(space(7_100_000), x, y, (price) => price / 100, points);
  });

  it('maps it onto a percent axis, whose base moves with the first candle on screen', () => {
    const y = scaleLinear().domain([-5, 7.5]).range([700, 10]);
    for (const base of [6_950_000, 7_300_000]) {
      expectSameMapping(space(7_100_000), x, y, (price) => (price / base - 1) * 100, points);
    }
  });

  it('maps a drawing of logarithms onto a log axis', () => {
    const y = scaleLog().domain([60_000, 80_000]).range([700, 10]);
    expectSameMapping(space(Math.log(7_100_000), true), x, y, (price) => price / 100, points);
  });

  it('maps volumes onto the volume pane’s axis', () => {
    const y = scaleLinear().domain([0, 90_000]).range([900, 740]);
    const volumes: [number, number][] = [
      [T0, 0],
      [T0 + 3 * MINUTE, 812_345_678],
    ];
    expectSameMapping(space(0), x, y, (volume) => volume / 10_000, volumes);
  });
});

describe('rangeToDraw and holds', () => {
  it('draws a screen’s worth either side, of closed candles only', () => {
    expect(rangeToDraw(300, 400, 1_000)).toEqual({ first: 200, end: 500 });
    expect(rangeToDraw(50, 150, 140)).toEqual({ first: 0, end: 140 });
  });

  it('holds a view inside it, and not one that leaves it', () => {
    const drawn = rangeToDraw(300, 400, 1_000);
    expect(holds(drawn, 250, 420, 1_000)).toBe(true);
    expect(holds(drawn, 199, 300, 1_000)).toBe(false);
    expect(holds(drawn, 450, 501, 1_000)).toBe(false);
    // The live candle past the closed ones is drawn apart: a live view is held.
    expect(holds(rangeToDraw(900, 1_001, 1_000), 900, 1_001, 1_000)).toBe(true);
  });
});

describe('RetainedDrawing', () => {
  it('draws again only when the view leaves the drawing or what it shows changed', () => {
    const retained = new RetainedDrawing<string>();
    const candles = {};
    const drawn: string[] = [];
    const draw = (range: { first: number; end: number }) => {
      const made = `${range.first}-${range.end}`;
      drawn.push(made);
      return made;
    };
    expect(retained.of(candles, 'v1', 300, 400, 1_000, draw)).toBe('200-500');
    // Pans and zooms inside the drawing reuse it.
    for (let shift = -90; shift <= 90; shift += 10) {
      expect(retained.of(candles, 'v1', 300 + shift, 400 + shift, 1_000, draw)).toBe('200-500');
    }
    expect(retained.of(candles, 'v1', 150, 250, 1_000, draw)).toBe('50-350');
    expect(retained.of(candles, 'v2', 150, 250, 1_000, draw)).toBe('50-350');
    expect(retained.of({}, 'v2', 150, 250, 1_000, draw)).toBe('50-350');
    expect(drawn).toEqual(['200-500', '50-350', '50-350', '50-350']);
  });
});

describe('piecesOf', () => {
  it('cuts a drawing into twelve consecutive pieces, none under 32 candles', () => {
    const pieces = piecesOf({ first: 100, end: 1_300 });
    expect(pieces).toHaveLength(12);
    expect(pieces[0]).toEqual({ first: 100, end: 200 });
    expect(pieces.at(-1)).toEqual({ first: 1_200, end: 1_300 });
    for (let k = 1; k < pieces.length; k++) expect(pieces[k]?.first).toBe(pieces[k - 1]?.end);
    expect(piecesOf({ first: 0, end: 70 })).toEqual([
      { first: 0, end: 32 },
      { first: 32, end: 64 },
      { first: 64, end: 70 },
    ]);
    expect(piecesOf({ first: 5, end: 5 })).toEqual([]);
  });
});

describe('lineInSpace and liveSegment', () => {
  const candles = new ChartCandles(MINUTE);
  candles.replaceLatest(
    [100, 110, 120, 130, 140].map((close, i) => ({
      start: T0 + i * MINUTE,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    })),
  );
  const values = [Number.NaN, 110, 0, 130, 140];
  const valueAt = (i: number) => values[i] ?? Number.NaN;

  it('draws through candle centres from the first close, broken where there is no value', () => {
    const range = { first: 0, end: 4 };
    const linear = closeSpace(candles, range, false);
    expect(linear).toMatchObject({ originTime: T0, originValue: 100, log: false });
    expect(lineInSpace(linear, candles, range, valueAt)).toBe(
      'M1.500,10.00L2.500,-100.00L3.500,30.00',
    );
    // Nothing positive has no logarithm: the line breaks there too.
    const log = closeSpace(candles, range, true);
    expect(lineInSpace(log, candles, range, valueAt)).toBe(
      `M1.500,${Math.log(1.1).toFixed(6)}M3.500,${Math.log(1.3).toFixed(6)}`,
    );
  });

  it('cut into pieces, draws each one through the first point of the next, so the line stays joined', () => {
    const long = new ChartCandles(MINUTE);
    long.replaceLatest(
      Array.from({ length: 40 }, (_, i) => ({
        start: T0 + i * MINUTE,
        open: 100 + i,
        high: 100 + i,
        low: 100 + i,
        close: 100 + i,
        volume: 1,
      })),
    );
    const range = { first: 0, end: 40 };
    const space = closeSpace(long, range, false);
    const close = (i: number) => long.closeAt(i);
    const pieces = linePiecesInSpace(space, long, range, close);
    expect(pieces).toEqual([
      lineInSpace(space, long, { first: 0, end: 33 }, close),
      lineInSpace(space, long, { first: 32, end: 40 }, close),
    ]);
    expect(pieces[0]).toMatch(/L32\.500,32\.00$/);
    expect(pieces[1]).toMatch(/^M32\.500,32\.00L/);
  });

  it('draws the segment to the newest value in pixels, or nothing without both ends', () => {
    const x = scaleLinear()
      .domain([T0, T0 + 5 * MINUTE])
      .range([0, 500]);
    expect(liveSegment(candles, valueAt, x, (value) => value)).toBe('M350.0,130.0L450.0,140.0');
    expect(
      liveSegment(
        candles,
        (i) => (i === 4 ? Number.NaN : 1),
        x,
        (v) => v,
      ),
    ).toBe('');
  });
});
