import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/index.js';
import { fromHex, hex } from './helpers.js';
import { decodeVector, encodeVector } from './vectors.js';
import type { Vector } from './vectors.js';

const vectors = (
  JSON.parse(readFileSync(new URL('../test-vectors/v1.json', import.meta.url), 'utf8')) as {
    vectors: Vector[];
  }
).vectors;
const valid = vectors.map((vector) => fromHex(vector.hex));

/** Decodes untrusted bytes; fails the property if anything but DecodeError escapes. */
function decodeOnlyDecodeErrors(bytes: Uint8Array): void {
  try {
    decodeVector(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) {
      throw new Error(`non-DecodeError escaped for ${hex(bytes)}: ${String(error)}`, {
        cause: error,
      });
    }
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(bytes.length);
  }
}

/** Bit flips, byte replacements, truncations, insertions and splices of valid frames. */
const mutated = fc
  .tuple(
    fc.constantFrom(...valid),
    fc.array(
      fc.record({
        kind: fc.constantFrom('flip', 'set', 'cut', 'insert', 'delete'),
        at: fc.nat(),
        byte: fc.nat({ max: 255 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([frame, edits]) => {
    let bytes = Array.from(frame);
    for (const { kind, at, byte } of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (kind === 'flip') bytes[i] = (bytes[i] ?? 0) ^ (1 << (byte % 8));
      else if (kind === 'set') bytes[i] = byte;
      else if (kind === 'cut') bytes = bytes.slice(0, i);
      else if (kind === 'insert') bytes.splice(i, 0, byte);
      else bytes.splice(i, 1);
    }
    return new Uint8Array(bytes);
  });

/** Random bodies behind a valid version and any type, so decoding gets past the header. */
const randomFrames = fc
  .tuple(fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 200 }))
  .map(([type, body]) => new Uint8Array([1, type, ...body]));

describe('fuzz: hostile bytes raise only DecodeError', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), decodeOnlyDecodeErrors), {
      numRuns: 5_000,
    });
  });

  it('random bodies behind a valid header', () => {
    fc.assert(fc.property(randomFrames, decodeOnlyDecodeErrors), { numRuns: 10_000 });
  });

  it('mutations of every valid frame', () => {
    fc.assert(fc.property(mutated, decodeOnlyDecodeErrors), { numRuns: 20_000 });
  });

  it('leaves the decoder working: every golden vector still round-trips', () => {
    for (const vector of vectors) {
      expect(hex(encodeVector(decodeVector(fromHex(vector.hex))))).toBe(vector.hex);
    }
  });
});
