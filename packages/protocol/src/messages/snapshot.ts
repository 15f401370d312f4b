import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { DecodeError } from '../errors.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';
import type { SharedFrame } from '../shared-frame.js';
import { readSession, writeSession } from './session.js';
import type { SessionStats } from './session.js';
import { MAX_PRICE, createTickColumns, readTicks, writeTicks } from './ticks.js';
import type { TickColumns } from './ticks.js';

/**
 * One OHLCV bar: the ticks with `start <= time < start + intervalMs` (docs/PROTOCOL.md
 * "Candles"). Prices in price units, volume in size units; `low <= open, close <= high`.
 */
export interface Candle {
  /** Bar start, ms since the Unix epoch, a multiple of the series interval. */
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface CandleSeries {
  readonly intervalMs: number;
  /** Oldest first, starts strictly increasing. */
  readonly candles: readonly Candle[];
}

/**
 * A candle series as a sender keeps it: columns in a ring of `start.length` slots, the oldest
 * of `count` candles at `first`. Encoding from it writes the same bytes as from a `CandleSeries`
 * without an object per candle, which matters to a server encoding snapshots every flush.
 */
export interface CandleRing {
  readonly intervalMs: number;
  readonly count: number;
  readonly first: number;
  readonly start: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * Everything a new chart needs at once: sent after a subscribe (one per symbol) and in answer to
 * a resync. Live batches continue from `nextSeq` without a gap.
 */
export interface Snapshot {
  /** The subscribe or resync this answers. */
  readonly requestId: number;
  readonly symbolId: number;
  /** The `seq` of the first tick batch after this snapshot. */
  readonly nextSeq: number;
  readonly session: SessionStats;
  /** Recent ticks, oldest first. */
  readonly history: TickColumns;
  readonly candles: readonly CandleSeries[];
}

/**
 * What a snapshot is encoded from, without its request id (the part shared by every request it
 * answers); its candle series may be kept as rings.
 */
export interface SnapshotBody extends Omit<Snapshot, 'requestId' | 'candles'> {
  readonly candles: ReadonlyArray<CandleSeries | CandleRing>;
}

export function encodeSnapshot(
  snapshot: SnapshotBody & { readonly requestId: number },
  writer: ByteWriter = new ByteWriter(1024),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Snapshot);
  writer.varint(snapshot.requestId);
  writeSnapshotBody(writer, snapshot);
  return writer.finish();
}

/** Encodes `body` once into `frame`, whose `frameFor(requestId)` then answers any request. */
export function encodeSharedSnapshot(body: SnapshotBody, frame: SharedFrame): void {
  writeSnapshotBody(frame.begin(MessageType.Snapshot), body);
}

/** Every field after the request id, in wire order. */
function writeSnapshotBody(writer: ByteWriter, body: SnapshotBody): void {
  writer.varint(body.symbolId);
  writer.varint(body.nextSeq);
  writeSession(writer, body.session);
  writer.varint(body.candles.length);
  for (const series of body.candles) {
    if ('first' in series) writeCandleRing(writer, series);
    else writeCandleSeries(writer, series);
  }
  writeTicks(writer, body.history, `snapshot of symbol ${body.symbolId}`);
}

export function decodeSnapshot(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
  history: TickColumns = createTickColumns(),
): Snapshot {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Snapshot);
  const requestId = reader.varint();
  const symbolId = reader.varint();
  const nextSeq = reader.varint();
  const session = readSession(reader);
  const seriesCount = reader.bounded('candle series count', limits.maxCandleSeries);
  const candles: CandleSeries[] = [];
  for (let i = 0; i < seriesCount; i++) candles.push(readCandleSeries(reader, limits));
  readTicks(reader, history, limits.maxHistoryTicks, 'history');
  reader.end();
  return { requestId, symbolId, nextSeq, session, history, candles };
}

/**
 * intervalMs, count, then (if any) the first start; per candle: start delta in intervals (0 for
 * the first), zigzag(open - previous close), high - open, open - low, close - low, volume.
 * Storing high/low/close as distances keeps each one byte or two and makes "low <= open, close
 * <= high" impossible to violate in a valid frame.
 */
function writeCandleSeries(writer: ByteWriter, series: CandleSeries): void {
  const { intervalMs, candles } = series;
  writer.varint(intervalMs);
  writer.varint(candles.length);
  const first = candles[0];
  if (!first) return;
  writer.varint(first.start);
  let previousStart = first.start;
  let previousClose = 0;
  for (const candle of candles) {
    const { start, open, high, low, close, volume } = candle;
    const steps = (start - previousStart) / intervalMs;
    const ordered =
      low <= Math.min(open, close) &&
      Math.max(open, close) <= high &&
      low >= 0 &&
      high <= MAX_PRICE;
    if (!Number.isInteger(steps) || steps < 0 || (steps === 0 && candle !== first) || !ordered) {
      throw new Error(`candle at ${start} of the ${intervalMs} ms series breaks candle invariants`);
    }
    writer.varint(steps);
    writer.zigzag(open - previousClose);
    writer.varint(high - open);
    writer.varint(open - low);
    writer.varint(close - low);
    writer.varint(volume);
    previousStart = start;
    previousClose = close;
  }
}

/** The same bytes as `writeCandleSeries`, read from ring columns. */
function writeCandleRing(writer: ByteWriter, ring: CandleRing): void {
  const { intervalMs, count, first, start, open, high, low, close, volume } = ring;
  const capacity = start.length;
  writer.varint(intervalMs);
  writer.varint(count);
  if (count === 0) return;
  let previousStart = start[first % capacity] as number;
  let previousClose = 0;
  writer.varint(previousStart);
  for (let k = 0; k < count; k++) {
    const i = (first + k) % capacity;
    const s = start[i] as number;
    const o = open[i] as number;
    const h = high[i] as number;
    const l = low[i] as number;
    const c = close[i] as number;
    const steps = (s - previousStart) / intervalMs;
    const ordered = l <= Math.min(o, c) && Math.max(o, c) <= h && l >= 0 && h <= MAX_PRICE;
    if (!Number.isInteger(steps) || steps < 0 || (steps === 0 && k > 0) || !ordered) {
      throw new Error(`candle at ${s} of the ${intervalMs} ms ring breaks candle invariants`);
    }
    writer.varint(steps);
    writer.zigzag(o - previousClose);
    writer.varint(h - o);
    writer.varint(o - l);
    writer.varint(c - l);
    writer.varint(volume[i] as number);
    previousStart = s;
    previousClose = c;
  }
}

function readCandleSeries(reader: ByteReader, limits: Limits): CandleSeries {
  const intervalMs = reader.atLeast('candle interval', 1);
  const count = reader.bounded('candle count', limits.maxCandlesPerSeries);
  if (count * 6 > reader.remaining)
    reader.fail(`truncated: ${count} candles need at least ${count * 6} bytes`);
  const candles: Candle[] = [];
  if (count === 0) return { intervalMs, candles };
  let start = reader.varint();
  let previousClose = 0;
  for (let i = 0; i < count; i++) {
    const stepsOffset = reader.offset;
    const steps = reader.varint();
    if (i > 0 && steps === 0)
      throw new DecodeError(`candle ${i} does not start after the previous one`, stepsOffset);
    start += steps * intervalMs;
    const openOffset = reader.offset;
    const open = previousClose + reader.zigzag();
    const high = open + reader.varint();
    const low = open - reader.varint();
    const closeOffset = reader.offset;
    const close = low + reader.varint();
    const volume = reader.varint();
    if (low < 0 || high > MAX_PRICE || !Number.isSafeInteger(start)) {
      throw new DecodeError(`candle ${i} is out of range`, openOffset);
    }
    if (close > high) throw new DecodeError(`candle ${i} closes above its high`, closeOffset);
    candles.push({ start, open, high, low, close, volume });
    previousClose = close;
  }
  return { intervalMs, candles };
}
