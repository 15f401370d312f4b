// Builders for the protocol messages a SymbolSeries consumes, so tests state only the ticks,
// bars and session figures they care about.
import { createTickBatch, createTickColumns, reserveTicks } from '@ticker/protocol';
import type {
  Candle,
  CandleSeries,
  Quote,
  QuoteSnapshot,
  SessionStats,
  Snapshot,
  TickBatch,
  TickColumns,
} from '@ticker/protocol';

/** One tick as a test writes it: [time, price, size]. */
export type TickRow = readonly [time: number, price: number, size: number];

function fill(columns: TickColumns, ticks: readonly TickRow[]): void {
  reserveTicks(columns, ticks.length);
  ticks.forEach(([time, price, size], i) => {
    columns.time[i] = time;
    columns.price[i] = price;
    columns.size[i] = size;
  });
  columns.count = ticks.length;
  columns.baseTime = ticks[0]?.[0] ?? 0;
}

export function tickBatch(ticks: readonly TickRow[], seq = 0): TickBatch {
  // Capacity 1 makes reserveTicks grow the columns, as a decoder reusing a batch would.
  const batch = createTickBatch(1);
  fill(batch, ticks);
  batch.seq = seq;
  return batch;
}

/** A session that has traded, or the all-zero one of a symbol that has not. */
export function session(figures: Partial<SessionStats> = {}): SessionStats {
  return {
    startTime: 0,
    open: 0,
    high: 0,
    low: 0,
    last: 0,
    volume: 0,
    tradeCount: 0,
    ...figures,
  };
}

export function snapshot(
  options: {
    ticks?: readonly TickRow[];
    candles?: readonly CandleSeries[];
    session?: SessionStats;
  } = {},
): Snapshot {
  const history = createTickColumns(1);
  fill(history, options.ticks ?? []);
  return {
    requestId: 1,
    symbolId: 7,
    nextSeq: 0,
    session: options.session ?? session(),
    history,
    candles: options.candles ?? [],
  };
}

/** A flat bar (open = high = low = close) unless figures say otherwise. */
export function candle(start: number, close: number, figures: Partial<Candle> = {}): Candle {
  return { start, open: close, high: close, low: close, close, volume: 1, ...figures };
}

/** Consecutive flat bars of `intervalMs` starting at `from`, with the given closes. */
export function candleSeries(
  intervalMs: number,
  from: number,
  closes: readonly number[],
): CandleSeries {
  return { intervalMs, candles: closes.map((close, i) => candle(from + i * intervalMs, close)) };
}

/** A quote snapshot with consecutive 1 s closes starting at `from` (a multiple of 1,000). */
export function quoteSnapshot(
  options: {
    symbolId?: number;
    from?: number;
    closes?: readonly number[];
    session?: SessionStats;
  } = {},
): QuoteSnapshot {
  const from = options.from ?? 0;
  return {
    requestId: 1,
    symbolId: options.symbolId ?? 7,
    session: options.session ?? session(),
    closes: {
      intervalMs: 1_000,
      points: (options.closes ?? []).map((close, i) => ({ start: from + i * 1_000, close })),
    },
  };
}

/** A quote: the newest trade at `lastTime` and the session so far. */
export function quote(
  lastTime: number,
  last: number,
  figures: Partial<Omit<Quote, 'lastTime' | 'last'>> = {},
): Quote {
  return {
    symbolId: 7,
    lastTime,
    last,
    high: last,
    low: last,
    volume: 1,
    tradeCount: 1,
    ...figures,
  };
}
