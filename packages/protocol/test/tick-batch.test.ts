import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  DecodeError,
  ErrorCode,
  Side,
  createTickBatch,
  decodeTickBatch,
  encodeTickBatch,
  reserveTickBatch,
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
  reserveTickBatch(batch, ticks.length);
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
  it('encodes to the documented golden bytes', () => {
    // Layout in docs/PROTOCOL.md: 01 02 | symbol 07 | seq ac02 | baseTime | count 03 | ticks.
    expect(hex(encodeTickBatch(sample))).toBe(
      '0102' +
        '07' +
        'ac02' +
        '80d4a9f9b432' +
        '03' +
        '86fc8f04' +
        'f601' +
        '00' + // +4325123, 123 lots buy, +0 ms
        '04' +
        '0b' +
        '04' + //          +2, 5 lots sell, +4 ms
        '09' +
        'd00f' +
        '00', //         -5, 1000 lots buy, +0 ms
    );
  });

  it('decodes the golden bytes back to the same ticks', () => {
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
    expect(() => encodeTickBatch(broken)).toThrow(/breaks batch invariants/);
  });
});

describe('tick batch decoding of bad bytes', () => {
  const good = encodeTickBatch(sample).slice();

  it.each(Array.from({ length: good.length }, (_, cut) => cut))(
    'rejects the frame truncated to %i bytes with DecodeError',
    (cut) => {
      expect(() => decodeTickBatch(good.subarray(0, cut))).toThrow(DecodeError);
    },
  );

  it('rejects trailing bytes with their offset', () => {
    const padded = new Uint8Array([...good, 0]);
    const error = captureDecodeError(() => decodeTickBatch(padded));
    expect(error.offset).toBe(good.length);
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
        maxTicksPerBatch: 2,
        maxSymbolsPerRequest: 1,
        maxStringBytes: 1,
        maxDirectorySymbols: 1,
      }),
    );
    expect(error.code).toBe(ErrorCode.LimitExceeded);
  });

  it('rejects a count the frame cannot hold without allocating for it', () => {
    const lying = fromHex('0102' + '01' + '01' + '00' + 'ff1f'); // count 4095, no ticks
    const out = createTickBatch(4);
    expect(() => decodeTickBatch(lying, out)).toThrow(/truncated/);
    expect(out.price.length).toBe(4);
  });

  it('rejects an overlong varint', () => {
    const overlong = fromHex('0102' + 'ffffffffffffffffff01');
    expect(captureDecodeError(() => decodeTickBatch(overlong)).message).toMatch(/varint/);
  });
});
