import type { CandleSeries } from '@ticker/protocol';
import { RingIndex } from './ring-index';

/** One OHLCV bar as charts read it (prices still scaled integers). */
export interface CandleView {
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * The most recent bars of one interval, in preallocated columns. It starts from the server's
 * candles (snapshot) and then folds every live tick into the current bar, opening a new one when
 * a tick crosses the interval boundary, so the client's bars match the server's without asking.
 */
export class CandleBuffer {
  readonly intervalMs: number;
  private readonly index: RingIndex;
  private readonly starts: Float64Array;
  private readonly opens: Float64Array;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private readonly closes: Float64Array;
  private readonly volumes: Float64Array;

  constructor(intervalMs: number, capacity: number) {
    this.intervalMs = intervalMs;
    this.index = new RingIndex(capacity);
    this.starts = new Float64Array(capacity);
    this.opens = new Float64Array(capacity);
    this.highs = new Float64Array(capacity);
    this.lows = new Float64Array(capacity);
    this.closes = new Float64Array(capacity);
    this.volumes = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.index.capacity;
  }

  get size(): number {
    return this.index.size;
  }

  /** Replaces everything with the server's series (oldest first). */
  load(series: CandleSeries): void {
    this.index.clear();
    for (const candle of series.candles) {
      this.append(candle.start, candle.open, candle.high, candle.low, candle.close, candle.volume);
    }
  }

  clear(): void {
    this.index.clear();
  }

  addTick(time: number, price: number, size: number): void {
    const start = time - (time % this.intervalMs);
    if (this.index.size > 0) {
      const last = this.index.slot(this.index.size - 1);
      const lastStart = this.starts[last] as number;
      if (start === lastStart) {
        if (price > (this.highs[last] as number)) this.highs[last] = price;
        if (price < (this.lows[last] as number)) this.lows[last] = price;
        this.closes[last] = price;
        this.volumes[last] = (this.volumes[last] as number) + size;
        return;
      }
      if (start < lastStart) return; // older than the newest bar: already counted by the server
    }
    this.append(start, price, price, price, price, size);
  }

  /** Index of the first bar starting at or after `time` (size if none). */
  firstAtOrAfter(time: number): number {
    return this.index.firstAtOrAfter(this.starts, time);
  }

  startAt(index: number): number {
    return this.starts[this.index.slot(index)] as number;
  }

  closeAt(index: number): number {
    return this.closes[this.index.slot(index)] as number;
  }

  at(index: number): CandleView {
    const i = this.index.slot(index);
    return {
      start: this.starts[i] as number,
      open: this.opens[i] as number,
      high: this.highs[i] as number,
      low: this.lows[i] as number,
      close: this.closes[i] as number,
      volume: this.volumes[i] as number,
    };
  }

  private append(
    start: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    const i = this.index.advance();
    this.starts[i] = start;
    this.opens[i] = open;
    this.highs[i] = high;
    this.lows[i] = low;
    this.closes[i] = close;
    this.volumes[i] = volume;
  }
}
