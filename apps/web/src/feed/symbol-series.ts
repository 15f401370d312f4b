import type { Snapshot, TickBatch } from '@ticker/protocol';
import { CandleBuffer } from './candle-buffer';
import { RingBuffer } from './ring-buffer';

/** Ticks kept per symbol for its price line: minutes of a busy symbol, and cheap to scan. */
export const TICK_CAPACITY = 8_192;
/** An hour of 1 s bars (the server sends the last 10 minutes; the rest accrue live). */
const SECOND_BARS = 3_600;
/** Ten hours of 1 min bars. */
const MINUTE_BARS = 600;

/** Session figures as scaled integers; null before the symbol's first trade. */
export interface SessionFigures {
  open: number | null;
  high: number | null;
  low: number | null;
  last: number | null;
  volume: number;
}

/**
 * Everything the dashboard keeps about one watched symbol, outside React: recent ticks, 1 s and
 * 1 min bars, and the session's open/high/low/last/volume. Snapshots reset it; batches extend it
 * without allocating.
 */
export class SymbolSeries {
  readonly ticker: string;
  readonly ticks = new RingBuffer(TICK_CAPACITY);
  readonly seconds = new CandleBuffer(1_000, SECOND_BARS);
  readonly minutes = new CandleBuffer(60_000, MINUTE_BARS);
  readonly session: SessionFigures = { open: null, high: null, low: null, last: null, volume: 0 };
  /** Direction of the last price change: 1 up, -1 down, 0 none yet. */
  direction: -1 | 0 | 1 = 0;
  tickCount = 0;

  constructor(ticker: string) {
    this.ticker = ticker;
  }

  applySnapshot(snapshot: Snapshot): void {
    const { history, session } = snapshot;
    this.ticks.clear();
    for (let i = 0; i < history.count; i++) {
      this.ticks.push(history.time[i] as number, history.price[i] as number);
    }
    this.seconds.clear();
    this.minutes.clear();
    for (const series of snapshot.candles) {
      if (series.intervalMs === this.seconds.intervalMs) this.seconds.load(series);
      else if (series.intervalMs === this.minutes.intervalMs) this.minutes.load(series);
    }
    const traded = session.tradeCount > 0;
    this.session.open = traded ? session.open : null;
    this.session.high = traded ? session.high : null;
    this.session.low = traded ? session.low : null;
    this.session.last = traded ? session.last : null;
    this.session.volume = session.volume;
    this.direction = 0;
    this.tickCount += history.count;
  }

  // Runs for every batch: writes into preallocated columns only.
  applyBatch(batch: TickBatch): void {
    const { price, size, time, count } = batch;
    const session = this.session;
    for (let i = 0; i < count; i++) {
      const p = price[i] as number;
      const t = time[i] as number;
      const s = size[i] as number;
      this.ticks.push(t, p);
      this.seconds.addTick(t, p, s);
      this.minutes.addTick(t, p, s);
      if (session.last !== null && p !== session.last) this.direction = p > session.last ? 1 : -1;
      session.open ??= p;
      if (session.high === null || p > session.high) session.high = p;
      if (session.low === null || p < session.low) session.low = p;
      session.last = p;
      session.volume += s;
    }
    this.tickCount += count;
  }

  /** Time of the newest data: the right edge of every chart window (server clock). */
  latestTime(): number | null {
    if (this.ticks.size > 0) return this.ticks.timeAt(this.ticks.size - 1);
    if (this.seconds.size > 0) return this.seconds.startAt(this.seconds.size - 1);
    return null;
  }
}
