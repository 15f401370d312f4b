import { SESSION_MS, createTickColumns, reserveTicks } from '@ticker/protocol';
import type {
  CandleRing,
  CandleSeries,
  ClosePoint,
  CloseSeries,
  Quote,
  QuoteSnapshotBody,
  SessionStats,
  Snapshot,
  SnapshotBody,
  TickBatch,
  TickColumns,
} from '@ticker/protocol';

export interface HistoryOptions {
  /** Recent ticks kept for snapshots: enough to draw a chart at once. */
  readonly tickCapacity: number;
  /** Candle intervals kept, e.g. 1 s and 1 min, each with how many candles. */
  readonly candles: ReadonlyArray<{ readonly intervalMs: number; readonly capacity: number }>;
}

export const DEFAULT_HISTORY: HistoryOptions = {
  tickCapacity: 2_048,
  // 10 minutes of 1 s candles and two hours of 1 min candles: what the dashboard's windows
  // show at once. Deeper history is the history API's (src/history/), not every snapshot's.
  candles: [
    { intervalMs: 1_000, capacity: 600 },
    { intervalMs: 60_000, capacity: 120 },
  ],
};

/**
 * A fixed-size ring of OHLCV bars for one interval, updated in place as ticks arrive. It is its
 * own wire form (`CandleRing`): a snapshot encodes straight from these columns, with no object
 * per bar, made or kept.
 */
class CandleBars implements CandleRing {
  readonly intervalMs: number;
  readonly start: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  private newest = -1;
  count = 0;

  constructor(intervalMs: number, capacity: number) {
    this.intervalMs = intervalMs;
    this.start = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
  }

  add(price: number, size: number, time: number): void {
    const bucket = time - (time % this.intervalMs);
    const i = this.newest;
    if (i >= 0 && this.start[i] === bucket) {
      if (price > (this.high[i] as number)) this.high[i] = price;
      if (price < (this.low[i] as number)) this.low[i] = price;
      this.close[i] = price;
      this.volume[i] = (this.volume[i] as number) + size;
      return;
    }
    const next = (i + 1) % this.start.length;
    this.newest = next;
    this.count = Math.min(this.count + 1, this.start.length);
    this.start[next] = bucket;
    this.open[next] = this.high[next] = this.low[next] = this.close[next] = price;
    this.volume[next] = size;
  }

  /** Replaces the bars with `series` (oldest first), keeping the newest that fit. */
  restore(series: CandleSeries): void {
    const capacity = this.start.length;
    const candles = series.candles.slice(-capacity);
    candles.forEach((candle, i) => {
      this.start[i] = candle.start;
      this.open[i] = candle.open;
      this.high[i] = candle.high;
      this.low[i] = candle.low;
      this.close[i] = candle.close;
      this.volume[i] = candle.volume;
    });
    this.count = candles.length;
    this.newest = candles.length - 1;
  }

  /** The closes of the newest `count` bars, oldest first. Allocates, like `series`. */
  closes(count: number): CloseSeries {
    const capacity = this.start.length;
    const points: ClosePoint[] = [];
    for (let k = Math.min(count, this.count) - 1; k >= 0; k--) {
      const i = (this.newest - k + capacity) % capacity;
      points.push({ start: this.start[i] as number, close: this.close[i] as number });
    }
    return { intervalMs: this.intervalMs, points };
  }

  /** The slot of the oldest bar. */
  get first(): number {
    const capacity = this.start.length;
    return (this.newest - this.count + 1 + capacity) % capacity;
  }
}

/**
 * What a new subscriber of one symbol needs: the session so far, recent ticks in a bounded ring,
 * and candles per interval. Fed with each batch as it is sealed (not as ticks are generated),
 * so a snapshot never contains a tick that the next batch will carry too.
 */
export class SymbolHistory {
  private readonly price: Float64Array;
  private readonly size: Float64Array;
  private readonly time: Float64Array;
  private readonly side: Uint8Array;
  private newest = -1;
  private count = 0;
  private readonly candles: CandleBars[];
  private sessionStart: number;
  private open = 0;
  private high = 0;
  private low = 0;
  private last = 0;
  private volume = 0;
  private tradeCount = 0;
  private lastTime = 0;
  /** The `seq` of the batch after those recorded: what a snapshot promises comes next. */
  nextSeq = 0;
  /**
   * Changes whenever the history does (each batch appended, each restore): an encoding of it
   * made at the same version is still exact, so caches can tell when to encode again.
   */
  version = 0;
  /** Changes when the history is replaced (`restore`): encodings of an earlier one are no use. */
  restores = 0;
  private deferred: (() => Omit<Snapshot, 'requestId'>) | null = null;

  constructor(sessionStart: number, options: HistoryOptions = DEFAULT_HISTORY) {
    const capacity = Math.max(1, options.tickCapacity);
    this.price = new Float64Array(capacity);
    this.size = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.side = new Uint8Array(capacity);
    this.candles = options.candles.map(
      ({ intervalMs, capacity }) => new CandleBars(intervalMs, capacity),
    );
    this.sessionStart = sessionStart;
  }

  /** Appends a sealed batch: its ticks, and its place in the symbol's sequence. */
  append(batch: TickBatch): void {
    // Deferred, the fill will hold these ticks already: only the sequence moves on.
    if (this.deferred === null) this.record(batch);
    this.nextSeq = batch.seq + 1;
    this.version += 1;
  }

  /**
   * Leaves this history empty until it is first read, then fills it from `fill` (what it would
   * hold had it recorded every batch appended so far), keeping its sequence. A market of
   * hundreds of symbols then starts at once, and fills its histories afterwards, when first read
   * or one per event-loop turn (history-warming.ts), whichever comes first.
   */
  deferTo(fill: () => Omit<Snapshot, 'requestId'>): void {
    this.deferred = fill;
  }

  /** Fills a deferred history now (see `deferTo`); says whether there was one to fill. */
  fillIfDeferred(): boolean {
    const fill = this.deferred;
    if (fill === null) return false;
    this.deferred = null;
    const { nextSeq, version } = this;
    this.restore(fill());
    this.nextSeq = nextSeq;
    this.version = version + 1;
    return true;
  }

  /** Appends ticks, oldest first. */
  record(ticks: TickColumns): void {
    const capacity = this.price.length;
    for (let t = 0; t < ticks.count; t++) {
      const price = ticks.price[t] as number;
      const size = ticks.size[t] as number;
      const time = ticks.time[t] as number;
      const i = (this.newest + 1) % capacity;
      this.newest = i;
      this.price[i] = price;
      this.size[i] = size;
      this.time[i] = time;
      this.side[i] = ticks.side[t] as number;
      if (time >= this.sessionStart + SESSION_MS) this.startSession(time);
      if (this.tradeCount === 0) this.open = this.high = this.low = price;
      else if (price > this.high) this.high = price;
      else if (price < this.low) this.low = price;
      this.last = price;
      this.lastTime = time;
      this.volume += size;
      this.tradeCount++;
      for (const ring of this.candles) ring.add(price, size, time);
    }
    this.count = Math.min(this.count + ticks.count, capacity);
  }

  /**
   * A new session (the UTC day of `time`) begins: its figures start again from its first trade,
   * as the day's candle does.
   */
  private startSession(time: number): void {
    this.sessionStart = time - (time % SESSION_MS);
    this.open = this.high = this.low = this.last = 0;
    this.volume = 0;
    this.tradeCount = 0;
  }

  session(): SessionStats {
    this.fillIfDeferred();
    const { sessionStart: startTime, open, high, low, last, volume, tradeCount } = this;
    return { startTime, open, high, low, last, volume, tradeCount };
  }

  /** Copies the recent ticks, oldest first, into `out` (reused across snapshots). */
  recentTicks(out: TickColumns): TickColumns {
    this.fillIfDeferred();
    const capacity = this.price.length;
    reserveTicks(out, this.count);
    for (let k = 0; k < this.count; k++) {
      const i = (this.newest - this.count + 1 + k + capacity) % capacity;
      out.price[k] = this.price[i] as number;
      out.size[k] = this.size[i] as number;
      out.time[k] = this.time[i] as number;
      out.side[k] = this.side[i] as number;
    }
    out.count = this.count;
    out.baseTime = this.count > 0 ? (out.time[0] as number) : this.sessionStart;
    return out;
  }

  /**
   * The chart view's snapshot, without its request id: encode it at once (its candles are this
   * history's own rings, and its ticks are copied into `scratch`, reused by the next call).
   */
  snapshot(symbolId: number, scratch: TickColumns = createTickColumns()): SnapshotBody {
    this.fillIfDeferred();
    return {
      symbolId,
      nextSeq: this.nextSeq,
      session: this.session(),
      history: this.recentTicks(scratch),
      candles: this.candles,
    };
  }

  /**
   * The quote view's snapshot: the session and the closes of the newest `closeCount` bars of
   * the shortest interval kept (1 s), enough for a sparkline.
   */
  quoteSnapshot(symbolId: number, closeCount: number): QuoteSnapshotBody {
    this.fillIfDeferred();
    const shortest = this.candles.reduce<CandleBars | undefined>(
      (best, ring) => (best === undefined || ring.intervalMs < best.intervalMs ? ring : best),
      undefined,
    );
    return {
      symbolId,
      session: this.session(),
      closes: shortest?.closes(closeCount) ?? { intervalMs: 1_000, points: [] },
    };
  }

  /** The latest quote; null before the first trade, when there is nothing to quote. */
  quote(symbolId: number): Quote | null {
    this.fillIfDeferred();
    if (this.tradeCount === 0) return null;
    const { lastTime, last, high, low, volume, tradeCount } = this;
    return { symbolId, lastTime, last, high, low, volume, tradeCount };
  }

  /** Trades recorded so far: a quote changes only when this does. */
  get trades(): number {
    this.fillIfDeferred();
    return this.tradeCount;
  }

  /**
   * Becomes the history `snapshot` describes, as if every batch before its `nextSeq` had been
   * appended here: how a gateway takes over a series another process has been recording.
   * Candle intervals this history does not keep are ignored.
   */
  restore(snapshot: Omit<Snapshot, 'requestId'>): void {
    this.deferred = null;
    const { session, history } = snapshot;
    this.sessionStart = session.startTime;
    this.open = session.open;
    this.high = session.high;
    this.low = session.low;
    this.last = session.last;
    this.volume = session.volume;
    this.tradeCount = session.tradeCount;
    this.nextSeq = snapshot.nextSeq;
    this.version += 1;
    this.restores += 1;
    const capacity = this.price.length;
    const skip = Math.max(0, history.count - capacity);
    for (let k = skip; k < history.count; k++) {
      const i = k - skip;
      this.price[i] = history.price[k] as number;
      this.size[i] = history.size[k] as number;
      this.time[i] = history.time[k] as number;
      this.side[i] = history.side[k] as number;
    }
    this.count = history.count - skip;
    this.newest = this.count - 1;
    this.lastTime = this.count > 0 ? (this.time[this.newest] as number) : session.startTime;
    for (const ring of this.candles) {
      const series = snapshot.candles.find((s) => s.intervalMs === ring.intervalMs);
      ring.restore(series ?? { intervalMs: ring.intervalMs, candles: [] });
    }
  }
}
