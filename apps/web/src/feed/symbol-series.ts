import { SESSION_MS } from '@ticker/protocol';
import type { Quote, QuoteSnapshot, SessionStats, Snapshot, TickBatch } from '@ticker/protocol';
import { TradeTape } from '../tape/trade-tape';
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
  /** Trades in the session so far (each tick is one). */
  tradeCount: number;
}

/**
 * Everything the dashboard keeps about one watched symbol, outside React: recent ticks, 1 s and
 * 1 min bars, and the session's open/high/low/last/volume. It is fed by either view of the feed
 * (docs/PROTOCOL.md "Views"), and never allocates per batch or per quote:
 *
 * - Chart view: a snapshot replaces everything with the server's history; batches extend it.
 * - Quote view: a quote snapshot sets the session and fills the 1 s bars with the server's recent
 *   closes; each quote updates the session and carries the newest trade into the bars and the
 *   price line. What the series already holds stays, so a symbol moved from the chart view keeps
 *   its history and continues from quotes; moved back, its chart snapshot replaces it all.
 */
export class SymbolSeries {
  readonly ticker: string;
  readonly ticks = new RingBuffer(TICK_CAPACITY);
  readonly seconds = new CandleBuffer(1_000, SECOND_BARS);
  readonly minutes = new CandleBuffer(60_000, MINUTE_BARS);
  /** When the session of the figures below ends (epoch ms, server clock). */
  private sessionEnd = Infinity;
  readonly session: SessionFigures = {
    open: null,
    high: null,
    low: null,
    last: null,
    volume: 0,
    tradeCount: 0,
  };
  /** Direction of the last price change: 1 up, -1 down, 0 none yet. */
  direction: -1 | 0 | 1 = 0;
  /**
   * The last trades with their sizes and sides, for the time and sales: made with the symbol's
   * first chart-view data (the quote view carries no trades), then kept.
   */
  trades: TradeTape | null = null;

  constructor(ticker: string) {
    this.ticker = ticker;
  }

  applySnapshot(snapshot: Snapshot): void {
    const { history } = snapshot;
    // The server's recent trades: the tape shows them at once, and goes on from them.
    this.trades ??= new TradeTape();
    this.trades.clear();
    this.trades.add(history);
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
    this.setSession(snapshot.session);
  }

  /**
   * The quote view's first message: the session, and the last minute of 1 s closes for the
   * sparkline. A close becomes a flat bar (open = high = low = close, no volume: the quote view
   * carries none per bar). Bars already held are kept: only the newest one is updated, and closes
   * after it are appended, so history from the chart view survives a move to this view.
   */
  applyQuoteSnapshot(snapshot: QuoteSnapshot): void {
    const { closes } = snapshot;
    if (closes.intervalMs === this.seconds.intervalMs) {
      for (const point of closes.points) this.seconds.addTick(point.start, point.close, 0);
    }
    this.setSession(snapshot.session);
  }

  /**
   * A conflated quote: the session as it stands, absolute. Its last trade also extends the bars
   * (the 1 s bar of `lastTime`'s second is what keeps the sparkline moving) and the price line,
   * at the quote's resolution, so a chart opened on this symbol is current until its snapshot.
   * Runs for every quote: writes into preallocated columns only.
   */
  applyQuote(quote: Quote): void {
    const { last, lastTime } = quote;
    const session = this.session;
    if (session.last !== null && last !== session.last)
      this.direction = last > session.last ? 1 : -1;
    // A quote does not carry the open. It only matters when the quote snapshot came before the
    // session's first trade; this quote's last is then the nearest known price to it.
    session.open ??= last;
    session.high = quote.high;
    session.low = quote.low;
    session.last = last;
    session.volume = quote.volume;
    session.tradeCount = quote.tradeCount;
    this.seconds.addTick(lastTime, last, 0);
    this.minutes.addTick(lastTime, last, 0);
    const { ticks } = this;
    if (ticks.size === 0 || lastTime > ticks.timeAt(ticks.size - 1)) ticks.push(lastTime, last);
  }

  // Runs for every batch: writes into preallocated columns only.
  applyBatch(batch: TickBatch): void {
    const { price, size, time, count } = batch;
    (this.trades ??= new TradeTape()).add(batch);
    const session = this.session;
    for (let i = 0; i < count; i++) {
      const p = price[i] as number;
      const t = time[i] as number;
      const s = size[i] as number;
      if (t >= this.sessionEnd) this.startSession(t);
      this.ticks.push(t, p);
      this.seconds.addTick(t, p, s);
      this.minutes.addTick(t, p, s);
      if (session.last !== null && p !== session.last) this.direction = p > session.last ? 1 : -1;
      session.open ??= p;
      if (session.high === null || p > session.high) session.high = p;
      if (session.low === null || p < session.low) session.low = p;
      session.last = p;
      session.volume += s;
      session.tradeCount += 1;
    }
  }

  /** Midnight UTC: the server's session starts again (docs/PROTOCOL.md "The session"). */
  private startSession(time: number): void {
    this.sessionEnd = time - (time % SESSION_MS) + SESSION_MS;
    const session = this.session;
    session.open = session.high = session.low = session.last = null;
    session.volume = 0;
    session.tradeCount = 0;
  }

  private setSession(session: SessionStats): void {
    this.sessionEnd = session.startTime + SESSION_MS;
    const traded = session.tradeCount > 0;
    this.session.open = traded ? session.open : null;
    this.session.high = traded ? session.high : null;
    this.session.low = traded ? session.low : null;
    this.session.last = traded ? session.last : null;
    this.session.volume = session.volume;
    this.session.tradeCount = session.tradeCount;
    this.direction = 0;
  }

  /** Time of the newest data: the right edge of every chart window (server clock). */
  latestTime(): number | null {
    if (this.ticks.size > 0) return this.ticks.timeAt(this.ticks.size - 1);
    if (this.seconds.size > 0) return this.seconds.startAt(this.seconds.size - 1);
    return null;
  }
}
