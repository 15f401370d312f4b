import type { ByteReader } from '../byte-reader.js';
import { MAX_VARINT_BYTES, writeVarint, zigzag } from '../byte-writer.js';
import type { ByteWriter } from '../byte-writer.js';
import { DecodeError, ErrorCode } from '../errors.js';

/** Which side crossed the spread: a buyer lifting the offer or a seller hitting the bid. */
export const Side = {
  Buy: 0,
  Sell: 1,
} as const;
export type Side = (typeof Side)[keyof typeof Side];

/** Largest price, so that a zigzagged delta between two prices stays below 2^53. */
export const MAX_PRICE = 2 ** 51 - 1;

/**
 * A list of ticks stored column by column in preallocated typed arrays, so neither the batcher
 * nor a decoder allocates per tick. Entries `[0, count)` are valid.
 *
 * - `price`: integer price in units of 10^-priceDecimals of the symbol, in [0, MAX_PRICE].
 * - `size`: integer size in units of 10^-sizeDecimals, > 0.
 * - `time`: milliseconds since the Unix epoch, non-decreasing, each >= `baseTime`.
 * - `side`: a `Side`.
 */
export interface TickColumns {
  baseTime: number;
  count: number;
  price: Float64Array;
  size: Float64Array;
  time: Float64Array;
  side: Uint8Array;
}

export function createTickColumns(capacity = 64): TickColumns {
  return {
    baseTime: 0,
    count: 0,
    price: new Float64Array(capacity),
    size: new Float64Array(capacity),
    time: new Float64Array(capacity),
    side: new Uint8Array(capacity),
  };
}

/** Makes room for `capacity` ticks, keeping the first `count`; amortised, never per tick. */
export function reserveTicks(ticks: TickColumns, capacity: number): void {
  if (ticks.price.length >= capacity) return;
  let grown = Math.max(ticks.price.length * 2, 16);
  while (grown < capacity) grown *= 2;
  ticks.price = copyInto(new Float64Array(grown), ticks.price, ticks.count);
  ticks.size = copyInto(new Float64Array(grown), ticks.size, ticks.count);
  ticks.time = copyInto(new Float64Array(grown), ticks.time, ticks.count);
  ticks.side = copyInto(new Uint8Array(grown), ticks.side, ticks.count);
}

function copyInto<T extends Float64Array | Uint8Array>(target: T, source: T, count: number): T {
  target.set(source.subarray(0, count));
  return target;
}

const MAX_TICK_BYTES = 3 * MAX_VARINT_BYTES;
/** The fewest bytes a tick can take (three one-byte varints). */
export const MIN_TICK_BYTES = 3;

/**
 * Writes `baseTime`, then per tick zigzag(price delta), varint(size * 2 + side), varint(time
 * delta); the first price is relative to 0 and the first time to `baseTime`. A tick list is
 * always the last field of its message and runs to the end of the frame: the WebSocket message
 * already delimits it, so a count would only cost bytes (docs/PROTOCOL.md "Tick list").
 * Throws a plain Error if the ticks break their own invariants: that is the caller's bug.
 */
export function writeTicks(writer: ByteWriter, ticks: TickColumns, owner: string): void {
  const { count, price, size, time, side } = ticks;
  writer.varint(ticks.baseTime);
  writer.ensure(count * MAX_TICK_BYTES);
  // Written straight into the buffer: one capacity check per list, not three per tick.
  const buffer = writer.buffer;
  let position = writer.position;
  let previousPrice = 0;
  let previousTime = ticks.baseTime;
  for (let i = 0; i < count; i++) {
    const p = price[i] as number;
    const t = time[i] as number;
    const s = size[i] as number;
    if (t < previousTime || s < 1 || p < 0 || p > MAX_PRICE) {
      throw new Error(
        `tick ${i} of ${owner} breaks tick invariants: price=${p} size=${s} time=${t} previous time=${previousTime}`,
      );
    }
    position = writeVarint(buffer, position, zigzag(p - previousPrice));
    position = writeVarint(buffer, position, s * 2 + (side[i] as number));
    position = writeVarint(buffer, position, t - previousTime);
    previousPrice = p;
    previousTime = t;
  }
  writer.position = position;
}

/**
 * Reads what `writeTicks` wrote into `out`, growing its columns only when a list is larger than
 * any before, so a long-lived `out` makes steady-state decoding allocation-free.
 *
 * This is the decoder's hot loop (30 M ticks/s target, see bench/): one- and two-byte varints,
 * nearly every field, are read inline from locals; longer ones and every error go through the
 * reader, which keeps the bounds checks and offsets in one place. The three inline blocks are
 * repeated on purpose: a shared helper returning its end position through a module slot
 * measured 27 M ticks/s against 35-38 M inline (bench/codec-bench.ts, 2026-11-22).
 */
export function readTicks(
  reader: ByteReader,
  out: TickColumns,
  maxTicks: number,
  what: string,
): void {
  const baseTime = reader.varint();
  // Every tick takes at least MIN_TICK_BYTES, so this bounds the count before any allocation.
  const mostTicks = Math.floor(reader.remaining / MIN_TICK_BYTES);
  reserveTicks(out, Math.min(mostTicks, maxTicks));
  const { price, size, time, side } = out;
  const bytes = reader.bytes;
  const end = bytes.length;
  let position = reader.position;
  let previousPrice = 0;
  let previousTime = baseTime;
  let i = 0;
  for (; position < end; i++) {
    if (i === maxTicks) {
      throw new DecodeError(
        `${what} holds more than ${maxTicks} ticks`,
        position,
        ErrorCode.LimitExceeded,
      );
    }
    const priceStart = position;
    let v: number;
    let b0 = position < end ? (bytes[position] as number) : 0x80;
    let b1 = position + 1 < end ? (bytes[position + 1] as number) : 0x80;
    if (b0 < 0x80) {
      v = b0;
      position += 1;
    } else if (b1 < 0x80) {
      v = (b0 & 0x7f) | (b1 << 7);
      position += 2;
    } else {
      reader.position = position;
      v = reader.varint();
      position = reader.position;
    }
    previousPrice += v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    if (previousPrice < 0 || previousPrice > MAX_PRICE) {
      throw new DecodeError(`tick ${i} price ${previousPrice} is out of range`, priceStart);
    }

    const sizeStart = position;
    b0 = position < end ? (bytes[position] as number) : 0x80;
    b1 = position + 1 < end ? (bytes[position + 1] as number) : 0x80;
    if (b0 < 0x80) {
      v = b0;
      position += 1;
    } else if (b1 < 0x80) {
      v = (b0 & 0x7f) | (b1 << 7);
      position += 2;
    } else {
      reader.position = position;
      v = reader.varint();
      position = reader.position;
    }
    if (v < 2) throw new DecodeError(`tick ${i} has size 0`, sizeStart);
    size[i] = Math.floor(v / 2);
    side[i] = v % 2;

    b0 = position < end ? (bytes[position] as number) : 0x80;
    b1 = position + 1 < end ? (bytes[position + 1] as number) : 0x80;
    if (b0 < 0x80) {
      v = b0;
      position += 1;
    } else if (b1 < 0x80) {
      v = (b0 & 0x7f) | (b1 << 7);
      position += 2;
    } else {
      reader.position = position;
      v = reader.varint();
      position = reader.position;
    }
    previousTime += v;
    price[i] = previousPrice;
    time[i] = previousTime;
  }
  reader.position = position;
  out.baseTime = baseTime;
  out.count = i;
}
