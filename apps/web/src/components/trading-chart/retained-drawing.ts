import type { ChartCandles } from '../../chart/chart-candles';

/** recharts' scale of an axis: a value to a pixel. */
export type AxisScale = (value: number) => number | undefined;

/**
 * A series drawn once in its own space and moved onto the screen by an SVG transform, so that
 * a frame of zoom or pan changes one attribute instead of rebuilding paths of thousands of
 * segments. Every mapping the chart uses from data to pixels is affine in this space: time is
 * linear on the time axis, and a price is linear on the price and percent axes and its
 * logarithm on the log axis. The space's origin is a candle of the drawing, which keeps its
 * coordinates small enough for the single precision paths are stored in.
 */
export interface DrawingSpace {
  /** The instant at x = 0; x counts intervals from it. */
  readonly originTime: number;
  readonly intervalMs: number;
  /** The value at y = 0: a scaled price, or its logarithm when `log`. */
  readonly originValue: number;
  readonly log: boolean;
}

export function spaceX(space: DrawingSpace, time: number): number {
  return (time - space.originTime) / space.intervalMs;
}

export function spaceY(space: DrawingSpace, value: number): number {
  return (space.log ? Math.log(value) : value) - space.originValue;
}

/**
 * The SVG transform that puts the space on the screen: `x` is the time axis's scale, and a
 * value is at `y(toAxis(value))`. Two points of each axis fix the affine map.
 */
export function spaceTransform(
  space: DrawingSpace,
  x: AxisScale,
  y: AxisScale,
  toAxis: (value: number) => number,
): string {
  const x0 = x(space.originTime) ?? 0;
  const kx = (x(space.originTime + space.intervalMs) ?? 0) - x0;
  const value = (at: number) =>
    space.log ? Math.exp(space.originValue + at) : space.originValue + at;
  // Steps far apart on the axis (a factor of e, or a hundred axis units: dollars, percent,
  // lots), so that the two pixels measured are far from rounding.
  const perUnit = Math.abs(toAxis(space.originValue + 1) - toAxis(space.originValue));
  const step = space.log ? 1 : perUnit > 0 ? 100 / perUnit : 1;
  const y0 = y(toAxis(value(0))) ?? 0;
  const ky = ((y(toAxis(value(step))) ?? 0) - y0) / step;
  return `matrix(${kx} 0 0 ${ky} ${x0} ${y0})`;
}

/**
 * A line through `valueAt(i)` at the centres of candles [range.first, range.end) in the space,
 * broken where there is no value (NaN, or nothing positive on a log axis).
 */
export function lineInSpace(
  space: DrawingSpace,
  candles: ChartCandles,
  range: DrawnRange,
  valueAt: (index: number) => number,
): string {
  const digits = space.log ? 6 : 2;
  let d = '';
  let pen = false;
  for (let i = range.first; i < range.end; i++) {
    const value = valueAt(i);
    if (Number.isNaN(value) || (space.log && !(value > 0))) {
      pen = false;
      continue;
    }
    const x = spaceX(space, candles.startAt(i)) + 0.5;
    d += `${pen ? 'L' : 'M'}${x.toFixed(3)},${spaceY(space, value).toFixed(digits)}`;
    pen = true;
  }
  return d;
}

/**
 * A retained drawing is cut into this many pieces along time, each its own SVG element. The
 * browser rasters a tile from the elements that cross it; a single path three screens wide
 * crosses every tile of its band and would be stroked whole for each one.
 */
const PIECES_PER_DRAWING = 12;
/** Below this many candles a piece costs more as an element than it saves in raster. */
const MIN_PIECE_CANDLES = 32;

/** The range cut into consecutive pieces of equal length (the last one shorter). */
export function piecesOf(range: DrawnRange): DrawnRange[] {
  const length = range.end - range.first;
  const size = Math.max(MIN_PIECE_CANDLES, Math.ceil(length / PIECES_PER_DRAWING));
  const pieces: DrawnRange[] = [];
  for (let first = range.first; first < range.end; first += size) {
    pieces.push({ first, end: Math.min(range.end, first + size) });
  }
  return pieces;
}

/**
 * `lineInSpace` cut into pieces (piecesOf), each ending at the next one's first point so the
 * line stays joined.
 */
export function linePiecesInSpace(
  space: DrawingSpace,
  candles: ChartCandles,
  range: DrawnRange,
  valueAt: (index: number) => number,
): string[] {
  return piecesOf(range).map((piece) =>
    lineInSpace(
      space,
      candles,
      { first: piece.first, end: Math.min(range.end, piece.end + 1) },
      valueAt,
    ),
  );
}

/**
 * The space of a drawing of candles or of a line over [range.first, range.end): its origin at
 * the first candle and the first candle's close, or its logarithm.
 */
export function closeSpace(candles: ChartCandles, range: DrawnRange, log: boolean): DrawingSpace {
  const held = range.first < range.end;
  const origin = held ? candles.closeAt(range.first) : 1;
  return {
    originTime: held ? candles.startAt(range.first) : 0,
    intervalMs: candles.intervalMs,
    originValue: log ? Math.log(origin) : origin,
    log,
  };
}

/**
 * A line's last segment, from the last closed candle's value to the newest's, in pixels: the
 * part the feed changes, drawn at every frame. Empty where either value is missing.
 */
export function liveSegment(
  candles: ChartCandles,
  valueAt: (index: number) => number,
  x: AxisScale,
  pixel: (value: number) => number,
): string {
  const newest = candles.size - 1;
  if (newest < 1) return '';
  const before = valueAt(newest - 1);
  const now = valueAt(newest);
  if (Number.isNaN(before) || Number.isNaN(now)) return '';
  const half = candles.intervalMs / 2;
  const x0 = x(candles.startAt(newest - 1) + half) ?? 0;
  const x1 = x(candles.startAt(newest) + half) ?? 0;
  return `M${x0.toFixed(1)},${pixel(before).toFixed(1)}L${x1.toFixed(1)},${pixel(now).toFixed(1)}`;
}

/** A piece of a drawing of candles or bars in two colours: rising candles' and falling ones'. */
export interface TwoTonePiece {
  readonly rising: string;
  readonly falling: string;
}

/** A drawing of candles or bars in two colours, in pieces along time (piecesOf). */
export interface TwoTonePaths {
  readonly space: DrawingSpace;
  readonly pieces: readonly TwoTonePiece[];
}

/** The candles a drawing holds: [first, end) of the chart's candles. */
export interface DrawnRange {
  readonly first: number;
  readonly end: number;
}

/**
 * What to draw for candles [first, end) on screen, of which those before `closedEnd` are
 * closed (they never change): the screen's worth on either side as well, so that a pan or a
 * zoom out keeps inside the drawing for a while.
 */
export function rangeToDraw(first: number, end: number, closedEnd: number): DrawnRange {
  const span = Math.max(1, end - first);
  return { first: Math.max(0, first - span), end: Math.min(closedEnd, end + span) };
}

/** Whether a drawing of `drawn` still holds every closed candle of [first, end). */
export function holds(drawn: DrawnRange, first: number, end: number, closedEnd: number): boolean {
  return first >= drawn.first && Math.min(end, closedEnd) <= drawn.end;
}

/**
 * A layer's retained drawing: rebuilt when what it shows changes (other candles, closed ones
 * changed, a view that leaves it), reused otherwise. Kept per component instance; updating it
 * during render is safe, since any render's result is a drawing of exactly the candles asked.
 */
export class RetainedDrawing<T> {
  private source: object | null = null;
  private key = '';
  private drawn: DrawnRange = { first: 0, end: 0 };
  private drawing: T | null = null;

  /**
   * The drawing of the closed candles around [first, end): `draw` is called with the range to
   * draw when the last one no longer holds them, or the candles (`source`) or what else the
   * drawing depends on (`key`) changed.
   */
  of(
    source: object,
    key: string,
    first: number,
    end: number,
    closedEnd: number,
    draw: (range: DrawnRange) => T,
  ): T {
    if (
      this.drawing === null ||
      source !== this.source ||
      key !== this.key ||
      !holds(this.drawn, first, end, closedEnd)
    ) {
      this.source = source;
      this.key = key;
      this.drawn = rangeToDraw(first, end, closedEnd);
      this.drawing = draw(this.drawn);
    }
    return this.drawing;
  }
}
