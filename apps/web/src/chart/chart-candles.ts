import type { Candle } from '@ticker/client';

const INITIAL_CAPACITY = 1_024;

/**
 * One symbol's candles at one interval, oldest first, as far back as the chart has scrolled:
 * pages from the history API are put in front (older) or at the end (the latest), and live
 * trades grow the open candle or open the next. Columns are preallocated with room on both
 * sides, so a trade writes numbers and a page copies one block; nothing is allocated per trade.
 * Prices are scaled integers, as the feed sends them.
 */
export class ChartCandles {
  readonly intervalMs: number;
  private starts: Float64Array;
  private opens: Float64Array;
  private highs: Float64Array;
  private lows: Float64Array;
  private closes: Float64Array;
  private volumes: Float64Array;
  /** Index of the oldest candle in the columns; the room before it is for older pages. */
  private head: number;
  private count = 0;

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
    this.starts = new Float64Array(INITIAL_CAPACITY);
    this.opens = new Float64Array(INITIAL_CAPACITY);
    this.highs = new Float64Array(INITIAL_CAPACITY);
    this.lows = new Float64Array(INITIAL_CAPACITY);
    this.closes = new Float64Array(INITIAL_CAPACITY);
    this.volumes = new Float64Array(INITIAL_CAPACITY);
    this.head = INITIAL_CAPACITY / 2;
  }

  get size(): number {
    return this.count;
  }

  startAt(index: number): number {
    return this.starts[this.head + index] as number;
  }
  openAt(index: number): number {
    return this.opens[this.head + index] as number;
  }
  highAt(index: number): number {
    return this.highs[this.head + index] as number;
  }
  lowAt(index: number): number {
    return this.lows[this.head + index] as number;
  }
  closeAt(index: number): number {
    return this.closes[this.head + index] as number;
  }
  volumeAt(index: number): number {
    return this.volumes[this.head + index] as number;
  }

  /** Start of the oldest candle, or null while there is none. */
  oldestStart(): number | null {
    return this.count === 0 ? null : this.startAt(0);
  }

  /** Start of the newest candle, or null while there is none. */
  newestStart(): number | null {
    return this.count === 0 ? null : this.startAt(this.count - 1);
  }

  /** Index of the first candle starting at or after `time` (size if none). */
  firstAtOrAfter(time: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.startAt(mid) < time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * The newest candles: every candle from the page's first start on is replaced by the page's,
   * so a reload after a gap keeps the older history and corrects the rest.
   */
  replaceLatest(page: readonly Candle[]): void {
    const first = page[0];
    if (first === undefined) return;
    this.count = this.firstAtOrAfter(first.start);
    this.ensureRoomAfter(page.length);
    this.copyIn(page, page.length, this.head + this.count);
    this.count += page.length;
  }

  /**
   * Older candles: those of the page before the oldest held go in front (the rest are held
   * already). Returns how many were added.
   */
  prepend(page: readonly Candle[]): number {
    const oldest = this.oldestStart() ?? Infinity;
    let older = 0;
    while (older < page.length && (page[older] as Candle).start < oldest) older++;
    if (older === 0) return 0;
    if (this.head < older) this.regrow(older, 0);
    this.head -= older;
    this.copyIn(page, older, this.head);
    this.count += older;
    return older;
  }

  /**
   * Folds one trade in: it grows the newest candle, or opens the next when it falls in a later
   * interval. A trade older than the newest candle is already in it (the server counted it).
   */
  addTrade(time: number, price: number, size: number): void {
    const start = time - (time % this.intervalMs);
    if (this.count > 0) {
      const last = this.head + this.count - 1;
      const lastStart = this.starts[last] as number;
      if (start === lastStart) {
        if (price > (this.highs[last] as number)) this.highs[last] = price;
        if (price < (this.lows[last] as number)) this.lows[last] = price;
        this.closes[last] = price;
        this.volumes[last] = (this.volumes[last] as number) + size;
        return;
      }
      if (start < lastStart) return;
    }
    this.ensureRoomAfter(1);
    const i = this.head + this.count;
    this.starts[i] = start;
    this.opens[i] = price;
    this.highs[i] = price;
    this.lows[i] = price;
    this.closes[i] = price;
    this.volumes[i] = size;
    this.count += 1;
  }

  /** Copies the page's first `count` candles to slot `at`. */
  private copyIn(page: readonly Candle[], count: number, at: number): void {
    for (let i = 0; i < count; i++) {
      const candle = page[i] as Candle;
      this.starts[at + i] = candle.start;
      this.opens[at + i] = candle.open;
      this.highs[at + i] = candle.high;
      this.lows[at + i] = candle.low;
      this.closes[at + i] = candle.close;
      this.volumes[at + i] = candle.volume;
    }
  }

  private ensureRoomAfter(extra: number): void {
    if (this.head + this.count + extra > this.starts.length) this.regrow(this.head, extra);
  }

  /** Grows (doubling) to fit `before` free slots in front and `after` behind, centred. */
  private regrow(before: number, after: number): void {
    let capacity = this.starts.length;
    const needed = before + this.count + after;
    while (capacity < needed * 1.5) capacity *= 2;
    const head = Math.max(before, Math.floor((capacity - this.count - after) / 2));
    const move = (old: Float64Array) => {
      const grown = new Float64Array(capacity);
      grown.set(old.subarray(this.head, this.head + this.count), head);
      return grown;
    };
    this.starts = move(this.starts);
    this.opens = move(this.opens);
    this.highs = move(this.highs);
    this.lows = move(this.lows);
    this.closes = move(this.closes);
    this.volumes = move(this.volumes);
    this.head = head;
  }
}
