import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  DEFAULT_LIMITS,
  DecodeError,
  ErrorCode,
  Side,
  createTickBatch,
  decodeTickBatch,
  encodeTickBatch,
  reserveTicks,
  MAX_PRICE,
} from '../src/index.js';
import type { TickBatch } from '../src/index.js';
import { captureDecodeError, fromHex, hex } from './helpers.js';

interface PlainTick {
  price: number;
  size: number;
  time: number;
  side: number;
}

function batchOf(symbolId: number, seq: number, baseTime: number, ticks: PlainTick[]): TickBatch {
  const batch = createTickBatch(1);
  reserveTicks(batch, ticks.length);
  ticks.forEach((tick, i) => {
    batch.price[i] = tick.price;
    batch.size[i] = tick.size;
    batch.time[i] = tick.time;
    batch.side[i] = tick.side;
  });
  Object.assign(batch, { symbolId, seq, baseTime, count: ticks.length });
  return batch;
}

function ticksOf(batch: TickBatch): PlainTick[] {
  return Array.from({ length: batch.count }, (_, i) => ({
    price: batch.price[i] as number,
    size: batch.size[i] as number,
    time: batch.time[i] as number,
    side: batch.side[i] as number,
  }));
}

const sample = batchOf(7, 300, 1_732_200_000_000, [
  { price: 4_325_123, size: 123, time: 1_732_200_000_000, side: Side.Buy },
  { price: 4_325_125, size: 5, time: 1_732_200_000_004, side: Side.Sell },
  { price: 4_325_120, size: 1_000, time: 1_732_200_000_004, side: Side.Buy },
]);

describe('tick batch', () => {
  it('round-trips a batch', () => {
    const decoded = decodeTickBatch(encodeTickBatch(sample).slice());
    expect(decoded).toMatchObject({ symbolId: 7, seq: 300, baseTime: 1_732_200_000_000, count: 3 });
    expect(ticksOf(decoded)).toEqual(ticksOf(sample));
  });

  it('round-trips an empty batch and large prices, sizes and gaps', () => {
    const empty = decodeTickBatch(encodeTickBatch(batchOf(1, 0, 0, [])).slice());
    expect(empty.count).toBe(0);
    const extreme = batchOf(65_535, 2 ** 40, 2 ** 45, [
      { price: MAX_PRICE, size: 2 ** 40, time: 2 ** 45, side: Side.Sell },
      { price: 0, size: 1, time: 2 ** 45 + 86_400_000, side: Side.Buy },
      { price: MAX_PRICE, size: 3, time: 2 ** 45 + 86_400_000, side: Side.Sell },
    ]);
    const decoded = decodeTickBatch(encodeTickBatch(extreme).slice());
    expect(ticksOf(decoded)).toEqual(ticksOf(extreme));
    expect(decoded.seq).toBe(2 ** 40);
  });

  it('reuses the output batch and its columns across decodes', () => {
    const out = createTickBatch(8);
    const columns = out.price;
    decodeTickBatch(encodeTickBatch(sample).slice(), out);
    decodeTickBatch(encodeTickBatch(sample).slice(), out);
    expect(out.price).toBe(columns);
  });

  it('reuses one writer without corrupting later messages', () => {
    const writer = new ByteWriter(16);
    const first = hex(encodeTickBatch(sample, writer));
    encodeTickBatch(batchOf(1, 1, 1, []), writer);
    expect(hex(encodeTickBatch(sample, writer))).toBe(first);
  });

  it('refuses to encode ticks that go back in time', () => {
    const broken = batchOf(1, 1, 100, [{ price: 1, size: 1, time: 99, side: Side.Buy }]);
    expect(() => encodeTickBatch(broken)).toThrow(/breaks tick invariants/);
  });
});

describe('tick batch decoding of bad bytes', () => {
  const good = encodeTickBatch(sample).slice();

  it('decodes every truncation either to a DecodeError or to a prefix of the ticks', () => {
    // The WebSocket message delimits a batch, so a cut at a tick boundary is a shorter valid batch.
    const original = ticksOf(decodeTickBatch(good));
    let prefixes = 0;
    for (let cut = 0; cut < good.length; cut++) {
      let decoded: TickBatch;
      try {
        decoded = decodeTickBatch(good.subarray(0, cut));
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        continue;
      }
      expect(ticksOf(decoded)).toEqual(original.slice(0, decoded.count));
      prefixes++;
    }
    expect(prefixes).toBe(original.length); // zero ticks, one, two: each boundary once
  });

  it('rejects trailing bytes that do not form a whole tick', () => {
    const padded = new Uint8Array([...good, 0]);
    expect(captureDecodeError(() => decodeTickBatch(padded)).offset).toBeGreaterThanOrEqual(
      good.length,
    );
  });

  it('rejects a newer protocol version', () => {
    const newer = good.slice();
    newer[0] = 2;
    expect(captureDecodeError(() => decodeTickBatch(newer)).code).toBe(
      ErrorCode.UnsupportedVersion,
    );
  });

  it('rejects a tick count over the limit before reading ticks', () => {
    const error = captureDecodeError(() =>
      decodeTickBatch(good, createTickBatch(), {
        ...DEFAULT_LIMITS,
        maxTicksPerBatch: 2,
      }),
    );
    expect(error.code).toBe(ErrorCode.LimitExceeded);
  });

  it('reserves no more room than the frame could hold', () => {
    const out = createTickBatch(1);
    decodeTickBatch(good, out);
    expect(out.price.length).toBeLessThanOrEqual(16); // (frame bytes / 3) rounded up to a power of 2
  });

  it('rejects a price delta that leaves the valid range', () => {
    // First price delta zigzag(-1): a negative price.
    expect(() =>
      decodeTickBatch(fromHex('0103' + '01' + '01' + '00' + '01' + '01' + '02' + '00')),
    ).toThrow(/price -1 is out of range/);
  });

  it('rejects a tick of size 0', () => {
    expect(() =>
      decodeTickBatch(fromHex('0103' + '01' + '01' + '00' + '02' + '01' + '00')),
    ).toThrow(/size 0/);
  });

  it('rejects an overlong varint', () => {
    const overlong = fromHex('0103' + 'ffffffffffffffffff01');
    expect(captureDecodeError(() => decodeTickBatch(overlong)).message).toMatch(/varint/);
  });
});
