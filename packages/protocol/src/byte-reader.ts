import { DecodeError, ErrorCode } from './errors.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });
const MAX_VARINT_BYTES = 8; // ceil(53 / 7): every safe integer fits.

/**
 * A bounds-checked cursor over untrusted bytes. Every read either succeeds or throws
 * `DecodeError` with the offset; nothing here can throw a RangeError or loop unboundedly.
 */
export class ByteReader {
  bytes: Uint8Array;
  /** Next byte to read. Hot loops may read it, advance it themselves, and write it back. */
  position: number;

  constructor(bytes: Uint8Array, start = 0) {
    this.bytes = bytes;
    this.position = start;
  }

  /** Points the reader at new bytes, so hot decoders can reuse one reader per frame. */
  reset(bytes: Uint8Array, start = 0): this {
    this.bytes = bytes;
    this.position = start;
    return this;
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  fail(message: string, code: ErrorCode = ErrorCode.MalformedFrame): never {
    throw new DecodeError(message, this.position, code);
  }

  u8(): number {
    if (this.position >= this.bytes.length) this.fail('truncated: expected 1 more byte');
    return this.bytes[this.position++] as number;
  }

  varint(): number {
    const bytes = this.bytes;
    const position = this.position;
    if (position < bytes.length) {
      const first = bytes[position] as number;
      // Most fields (deltas, small ids) fit one byte: take them without the general loop.
      if (first < 0x80) {
        this.position = position + 1;
        return first;
      }
    }
    return this.varintSlow();
  }

  private varintSlow(): number {
    const bytes = this.bytes;
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.position >= bytes.length) this.fail('truncated varint');
      const byte = bytes[this.position++] as number;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) this.fail('varint exceeds 2^53 - 1');
        return result;
      }
      multiplier *= 128;
    }
    return this.fail(`varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** A varint that must be at most `max`; `what` names the field in the error. */
  bounded(what: string, max: number): number {
    const start = this.position;
    const value = this.varint();
    if (value > max) {
      throw new DecodeError(
        `${what} ${value} exceeds limit ${max}`,
        start,
        ErrorCode.LimitExceeded,
      );
    }
    return value;
  }

  /** A varint that must be at least `min` (e.g. a tick size of 0 is meaningless). */
  atLeast(what: string, min: number): number {
    const start = this.position;
    const value = this.varint();
    if (value < min) throw new DecodeError(`${what} ${value} is below ${min}`, start);
    return value;
  }

  string(maxBytes: number): string {
    const length = this.bounded('string length', maxBytes);
    if (length > this.remaining) this.fail(`truncated string: need ${length} bytes`);
    const start = this.position;
    this.position += length;
    try {
      return textDecoder.decode(this.bytes.subarray(start, this.position));
    } catch {
      throw new DecodeError('string is not valid UTF-8', start);
    }
  }

  /** Called after the last field so trailing garbage is rejected, not ignored silently. */
  end(): void {
    if (this.position !== this.bytes.length) {
      this.fail(`${this.remaining} unexpected trailing bytes`);
    }
  }
}
