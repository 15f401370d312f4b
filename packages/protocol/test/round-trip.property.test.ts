import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTickBatch, decodeTickBatch, encodeTickBatch } from '../src/index.js';
import { anyMessage, tickList } from './arbitraries.js';
import { decodeVector, encodeVector, fromColumns, toColumns } from './vectors.js';

describe('round trip (fast-check)', () => {
  it('decode(encode(m)) equals m for every message type', () => {
    fc.assert(
      fc.property(anyMessage, (message) => {
        expect(decodeVector(encodeVector(message).slice())).toEqual(message);
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds for full-size batches decoded into one reused output', () => {
    const out = createTickBatch(1);
    fc.assert(
      fc.property(tickList(4096), ({ baseTime, ticks }) => {
        const bytes = encodeTickBatch({
          symbolId: 1,
          seq: 1,
          ...toColumns(baseTime, ticks),
        }).slice();
        expect(fromColumns(decodeTickBatch(bytes, out))).toEqual(ticks);
      }),
      { numRuns: 100 },
    );
  });
});
