import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { DecodeError } from '../errors.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import type { SharedFrame } from '../shared-frame.js';
import { MessageType } from '../version.js';
import { readSession, writeSession } from './session.js';
import type { SessionStats } from './session.js';
import { MAX_PRICE } from './ticks.js';

/** The close of one candle: enough to draw a sparkline. */
export interface ClosePoint {
  /** The candle's start, ms since the Unix epoch, a multiple of the series interval. */
  readonly start: number;
  readonly close: number;
}

/** Recent candle closes of one interval, oldest first, starts strictly increasing. */
export interface CloseSeries {
  readonly intervalMs: number;
  readonly points: readonly ClosePoint[];
}

/**
 * The first message of a symbol held in the quote view (and the answer to its resync): the
 * session so far and the last closes of 1 s candles. Quotes follow.
 */
export interface QuoteSnapshot {
  readonly requestId: number;
  readonly symbolId: number;
  readonly session: SessionStats;
  readonly closes: CloseSeries;
}

/** A quote snapshot without its request id: the part shared by every request it answers. */
export type QuoteSnapshotBody = Omit<QuoteSnapshot, 'requestId'>;

/**
 * The latest state of a symbol held in the quote view, conflated: at most one per symbol every
 * `QuoteIntervalMs`, and only when it traded since the previous one. Open and the session start
 * do not change within a session and come in the quote snapshot.
 */
export interface Quote {
  readonly symbolId: number;
  /** Time of the last trade, ms since the Unix epoch. */
  readonly lastTime: number;
  readonly last: number;
  readonly high: number;
  readonly low: number;
  /** Total size traded in the session, in size units. */
  readonly volume: number;
  readonly tradeCount: number;
}

export function encodeQuoteSnapshot(
  snapshot: QuoteSnapshot,
  writer: ByteWriter = new ByteWriter(256),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.QuoteSnapshot);
  writer.varint(snapshot.requestId);
  writeQuoteSnapshotBody(writer, snapshot);
  return writer.finish();
}

/** Encodes `body` once into `frame`, whose `frameFor(requestId)` then answers any request. */
export function encodeSharedQuoteSnapshot(body: QuoteSnapshotBody, frame: SharedFrame): void {
  writeQuoteSnapshotBody(frame.begin(MessageType.QuoteSnapshot), body);
}

function writeQuoteSnapshotBody(writer: ByteWriter, body: QuoteSnapshotBody): void {
  writer.varint(body.symbolId);
  writeSession(writer, body.session);
  writeCloseSeries(writer, body.closes);
}

export function decodeQuoteSnapshot(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): QuoteSnapshot {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.QuoteSnapshot);
  const requestId = reader.varint();
  const symbolId = reader.varint();
  const session = readSession(reader);
  const closes = readCloseSeries(reader, limits);
  reader.end();
  return { requestId, symbolId, session, closes };
}

export function encodeQuote(quote: Quote, writer: ByteWriter = new ByteWriter(64)): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Quote);
  writer.varint(quote.symbolId);
  writer.varint(quote.lastTime);
  writer.varint(quote.last);
  writer.varint(quote.high);
  writer.varint(quote.low);
  writer.varint(quote.volume);
  writer.varint(quote.tradeCount);
  return writer.finish();
}

export function decodeQuote(bytes: Uint8Array): Quote {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Quote);
  const quote = {
    symbolId: reader.varint(),
    lastTime: reader.varint(),
    last: reader.varint(),
    high: reader.varint(),
    low: reader.varint(),
    volume: reader.varint(),
    tradeCount: reader.varint(),
  };
  reader.end();
  return quote;
}

/**
 * intervalMs, count, then (if any) the first start; per point: start delta in intervals (0 for
 * the first), zigzag(close - previous close), the first relative to 0.
 */
function writeCloseSeries(writer: ByteWriter, series: CloseSeries): void {
  const { intervalMs, points } = series;
  writer.varint(intervalMs);
  writer.varint(points.length);
  const first = points[0];
  if (!first) return;
  writer.varint(first.start);
  let previousStart = first.start;
  let previousClose = 0;
  for (const point of points) {
    const steps = (point.start - previousStart) / intervalMs;
    if (
      !Number.isInteger(steps) ||
      steps < 0 ||
      (steps === 0 && point !== first) ||
      point.close < 0 ||
      point.close > MAX_PRICE
    ) {
      throw new Error(
        `close at ${point.start} of the ${intervalMs} ms series breaks its invariants`,
      );
    }
    writer.varint(steps);
    writer.zigzag(point.close - previousClose);
    previousStart = point.start;
    previousClose = point.close;
  }
}

/** The fewest bytes a point takes (two one-byte varints). */
const MIN_POINT_BYTES = 2;

function readCloseSeries(reader: ByteReader, limits: Limits): CloseSeries {
  const intervalMs = reader.atLeast('close interval', 1);
  const count = reader.bounded('close count', limits.maxCandlesPerSeries);
  if (count * MIN_POINT_BYTES > reader.remaining)
    reader.fail(`truncated: ${count} closes need at least ${count * MIN_POINT_BYTES} bytes`);
  const points: ClosePoint[] = [];
  if (count === 0) return { intervalMs, points };
  let start = reader.varint();
  let close = 0;
  for (let i = 0; i < count; i++) {
    const stepsOffset = reader.offset;
    const steps = reader.varint();
    if (i > 0 && steps === 0)
      throw new DecodeError(`close ${i} does not start after the previous one`, stepsOffset);
    start += steps * intervalMs;
    const closeOffset = reader.offset;
    close += reader.zigzag();
    if (close < 0 || close > MAX_PRICE || !Number.isSafeInteger(start)) {
      throw new DecodeError(`close ${i} is out of range`, closeOffset);
    }
    points.push({ start, close });
  }
  return { intervalMs, points };
}
