import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/** Which side crossed the spread: a buyer lifting the offer or a seller hitting the bid. */
export const Side = {
  Buy: 0,
  Sell: 1,
} as const;
export type Side = (typeof Side)[keyof typeof Side];

/** Largest price, so that a zigzagged delta between two prices stays below 2^53. */
export const MAX_PRICE = 2 ** 51 - 1;

/**
 * The ticks of one topic for one flush, stored column by column in preallocated typed arrays so
 * that neither the batcher nor a decoder allocates per tick. Entries `[0, count)` are valid.
 *
 * - `price`: integer price in units of 10^-priceDecimals of the symbol, in [0, MAX_PRICE].
 * - `size`: integer size in lots (units of 10^-sizeDecimals), > 0.
 * - `time`: milliseconds since the Unix epoch, non-decreasing, each >= `baseTime`.
 * - `side`: a `Side`.
 */
export interface TickBatch {
  symbolId: number;
  /** Per-topic batch sequence number; the next batch of the topic carries `seq + 1`. */
  seq: number;
  baseTime: number;
  count: number;
  price: Float64Array;
  size: Float64Array;
  time: Float64Array;
  side: Uint8Array;
}

export function createTickBatch(capacity = 64): TickBatch {
  return {
    symbolId: 0,
    seq: 0,
    baseTime: 0,
    count: 0,
    price: new Float64Array(capacity),
    size: new Float64Array(capacity),
    time: new Float64Array(capacity),
    side: new Uint8Array(capacity),
  };
}

/** Makes room for `capacity` ticks, keeping the first `count`; amortised, never per tick. */
export function reserveTickBatch(batch: TickBatch, capacity: number): void {
  if (batch.price.length >= capacity) return;
  let grown = Math.max(batch.price.length * 2, 16);
  while (grown < capacity) grown *= 2;
  batch.price = copyInto(new Float64Array(grown), batch.price, batch.count);
  batch.size = copyInto(new Float64Array(grown), batch.size, batch.count);
  batch.time = copyInto(new Float64Array(grown), batch.time, batch.count);
  batch.side = copyInto(new Uint8Array(grown), batch.side, batch.count);
}

function copyInto<T extends Float64Array | Uint8Array>(target: T, source: T, count: number): T {
  target.set(source.subarray(0, count));
  return target;
}

/**
 * Layout (docs/PROTOCOL.md "Tick batch"): header, symbolId, seq, baseTime, count, then per tick
 * zigzag(price - previous price) with the first price relative to 0, varint(size * 2 + side), and
 * varint(time - previous time) with the first time relative to baseTime.
 * Throws a plain Error if the batch breaks its own invariants: that is the caller's bug.
 */
export function encodeTickBatch(
  batch: TickBatch,
  writer: ByteWriter = new ByteWriter(),
): Uint8Array {
  const { count, price, size, time, side } = batch;
  writer.reset();
  writeHeader(writer, MessageType.TickBatch);
  writer.varint(batch.symbolId);
  writer.varint(batch.seq);
  writer.varint(batch.baseTime);
  writer.varint(count);
  let previousPrice = 0;
  let previousTime = batch.baseTime;
  for (let i = 0; i < count; i++) {
    const p = price[i] as number;
    const t = time[i] as number;
    const s = size[i] as number;
    if (t < previousTime || s <= 0 || p < 0 || p > MAX_PRICE) {
      throw new Error(
        `tick ${i} of symbol ${batch.symbolId} breaks batch invariants: price=${p} size=${s} time=${t} previous time=${previousTime}`,
      );
    }
    writer.zigzag(p - previousPrice);
    writer.varint(s * 2 + (side[i] as number));
    writer.varint(t - previousTime);
    previousPrice = p;
    previousTime = t;
  }
  return writer.finish();
}

/**
 * Decodes into `out`, growing its columns only when a batch is larger than any before, so a
 * long-lived `out` makes steady-state decoding allocation-free. Returns `out`.
 */
export function decodeTickBatch(
  bytes: Uint8Array,
  out: TickBatch = createTickBatch(),
  limits: Limits = DEFAULT_LIMITS,
): TickBatch {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.TickBatch);
  const symbolId = reader.varint();
  const seq = reader.varint();
  const baseTime = reader.varint();
  const count = reader.bounded('tick count', limits.maxTicksPerBatch);
  // Each tick takes at least 3 bytes, so a count the frame cannot hold fails before allocating.
  if (count * 3 > reader.remaining)
    reader.fail(`truncated: ${count} ticks need at least ${count * 3} bytes`);
  reserveTickBatch(out, count);
  const { price, size, time, side } = out;
  let previousPrice = 0;
  let previousTime = baseTime;
  for (let i = 0; i < count; i++) {
    previousPrice += reader.zigzag();
    const sizeAndSide = reader.varint();
    previousTime += reader.varint();
    const lots = Math.floor(sizeAndSide / 2);
    if (lots === 0) reader.fail(`tick ${i} has size 0`);
    price[i] = previousPrice;
    size[i] = lots;
    side[i] = sizeAndSide % 2;
    time[i] = previousTime;
  }
  reader.end();
  out.symbolId = symbolId;
  out.seq = seq;
  out.baseTime = baseTime;
  out.count = count;
  return out;
}
