import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MessageType } from '../src/index.js';
import { fromHex, hex } from './helpers.js';
import { decodeVector, encodeVector } from './vectors.js';
import type { Vector } from './vectors.js';

const file = JSON.parse(
  readFileSync(new URL('../test-vectors/v1.json', import.meta.url), 'utf8'),
) as {
  vectors: Vector[];
};

describe('golden vectors (test-vectors/v1.json)', () => {
  it('cover every message type', () => {
    const types = new Set(file.vectors.map((vector) => fromHex(vector.hex)[1]));
    expect([...types].sort()).toEqual(Object.values(MessageType).sort());
  });

  describe.each(file.vectors.map((vector) => [vector.name, vector] as const))(
    '%s',
    (_name, vector) => {
      it('encodes to the golden bytes', () => {
        expect(hex(encodeVector(vector.message))).toBe(vector.hex);
      });

      it('decodes the golden bytes to the message', () => {
        expect(decodeVector(fromHex(vector.hex))).toEqual(vector.message);
      });
    },
  );
});
