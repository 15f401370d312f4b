const textEncoder = new TextEncoder();

/** The most bytes one varint of a safe integer takes. */
export const MAX_VARINT_BYTES = 8;

/**
 * A growable output buffer reused across messages: `reset()`, write fields, `finish()`.
 * The view `finish()` returns aliases the internal buffer and is valid until the next `reset()`;
 * uWS copies on `publish`/`send`, so publishing the view directly is safe.
 */
export class ByteWriter {
  /** The backing buffer; hot loops may write to it directly after `ensure()`. */
  buffer: Uint8Array;
  /** Bytes written so far; hot loops advance it themselves. */
  position = 0;

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  reset(): this {
    this.position = 0;
    return this;
  }

  get length(): number {
    return this.position;
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.position);
  }

  /** Grows geometrically so a steady stream of similar messages stops allocating quickly. */
  ensure(extraBytes: number): void {
    const needed = this.position + extraBytes;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.position));
    this.buffer = grown;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value;
  }

  /** Unsigned LEB128 for any integer in [0, 2^53). Callers validate the range. */
  varint(value: number): void {
    this.ensure(MAX_VARINT_BYTES);
    this.position = writeVarint(this.buffer, this.position, value);
  }

  /** Zigzag then LEB128, so small negative deltas stay one byte. */
  zigzag(value: number): void {
    this.varint(zigzag(value));
  }

  string(value: string): void {
    const bytes = textEncoder.encode(value);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.position);
    this.position += bytes.length;
  }
}

/** Writes `value` at `position` (room for MAX_VARINT_BYTES assumed); returns the next position. */
export function writeVarint(buffer: Uint8Array, position: number, value: number): number {
  let p = position;
  let v = value;
  // Bitwise ops are 32-bit in JS, so values past 2^31 step down with division.
  while (v > 0x7fffffff) {
    buffer[p++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  while (v > 0x7f) {
    buffer[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buffer[p++] = v;
  return p;
}

/** How many bytes `writeVarint` takes for `value`. */
export function varintLength(value: number): number {
  let bytes = 1;
  for (let v = value; v > 0x7f; v = Math.floor(v / 128)) bytes++;
  return bytes;
}

/** Maps a signed integer to an unsigned one: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... */
export function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}
