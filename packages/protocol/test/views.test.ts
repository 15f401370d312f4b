import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  ErrorCode,
  MessageType,
  SharedFrame,
  View,
  createTickColumns,
  decodeQuote,
  decodeQuoteSnapshot,
  decodeSymbolRefusals,
  decodeViewSubscribe,
  encodePing,
  encodeQuote,
  encodeQuoteSnapshot,
  encodeResync,
  encodeSharedQuoteSnapshot,
  encodeSharedSnapshot,
  encodeSnapshot,
  encodeSubscribe,
  encodeSymbolRefusals,
  encodeUnsubscribe,
  encodeViewSubscribe,
  peekRequestId,
} from '../src/index.js';
import type { QuoteSnapshotBody, SnapshotBody } from '../src/index.js';
import { captureDecodeError, fromHex, hex } from './helpers.js';
import { toColumns } from './vectors.js';

const session = {
  startTime: 1_732_200_000_000,
  open: 4_325_123,
  high: 4_326_000,
  low: 4_320_000,
  last: 4_325_500,
  volume: 123_456_789,
  tradeCount: 4242,
};

describe('view subscribe', () => {
  it('round-trips both views', () => {
    for (const view of [View.Chart, View.Quote]) {
      const request = { requestId: 7, view, symbolIds: [1, 300] };
      expect(decodeViewSubscribe(encodeViewSubscribe(request))).toEqual(request);
    }
  });

  it('rejects an unknown view, an empty list and one over the limit', () => {
    const unknown = captureDecodeError(() => decodeViewSubscribe(fromHex('0185 07 02 01 01')));
    expect(unknown.message).toMatch(/unknown view 2/);
    expect(unknown.offset).toBe(3);
    expect(() => decodeViewSubscribe(fromHex('0185 07 01 00'))).toThrow(/no symbols/);
    const many = encodeViewSubscribe({ requestId: 1, view: View.Quote, symbolIds: [1, 2, 3] });
    const error = captureDecodeError(() =>
      decodeViewSubscribe(many, { ...DEFAULT_LIMITS, maxSymbolsPerRequest: 2 }),
    );
    expect(error.code).toBe(ErrorCode.LimitExceeded);
  });
});

describe('symbol refusals', () => {
  it('round-trip, and must refuse at least one symbol', () => {
    const reply = { requestId: 7, refusals: [{ symbolId: 99, code: ErrorCode.UnknownSymbol }] };
    expect(decodeSymbolRefusals(encodeSymbolRefusals(reply))).toEqual(reply);
    expect(() => decodeSymbolRefusals(fromHex('010a 07 00'))).toThrow(/refuses no symbols/);
  });
});

describe('quote snapshot and quote', () => {
  const snapshot = {
    requestId: 7,
    symbolId: 1,
    session,
    closes: {
      intervalMs: 1000,
      points: [
        { start: 1_732_200_060_000, close: 4_325_100 },
        { start: 1_732_200_064_000, close: 0 },
      ],
    },
  };

  it('round-trip', () => {
    expect(decodeQuoteSnapshot(encodeQuoteSnapshot(snapshot))).toEqual(snapshot);
    const quote = {
      symbolId: 1,
      lastTime: 1_732_200_064_123,
      last: 4_325_500,
      high: 4_326_000,
      low: 4_320_000,
      volume: 123_456_789,
      tradeCount: 4242,
    };
    expect(decodeQuote(encodeQuote(quote))).toEqual(quote);
    expect(() => decodeQuote(new Uint8Array([...encodeQuote(quote), 0]))).toThrow(/trailing/);
  });

  it('rejects truncation at every byte, and closes that repeat a start or leave the price range', () => {
    const bytes = encodeQuoteSnapshot(snapshot).slice();
    for (let end = 0; end < bytes.length; end++) {
      expect(() => decodeQuoteSnapshot(bytes.subarray(0, end))).toThrow(/truncated|expected/);
    }
    // The last point's steps (4) then its zigzagged close delta, which ends the frame.
    const closeDelta = bytes.length - 4;
    const repeated = bytes.slice();
    repeated[closeDelta - 1] = 0;
    expect(() => decodeQuoteSnapshot(repeated)).toThrow(/does not start after/);
    const negative = encodeQuoteSnapshot({
      ...snapshot,
      closes: { intervalMs: 1000, points: [{ start: 0, close: 1 }] },
    }).slice();
    negative[negative.length - 1] = 3; // zigzag 3 is -2: a close of -2
    expect(() => decodeQuoteSnapshot(negative)).toThrow(/out of range/);
  });

  it('refuses to encode closes that break their invariants', () => {
    const backwards = {
      ...snapshot,
      closes: {
        intervalMs: 1000,
        points: [
          { start: 2000, close: 1 },
          { start: 1000, close: 1 },
        ],
      },
    };
    expect(() => encodeQuoteSnapshot(backwards)).toThrow(/breaks its invariants/);
  });
});

describe('peekRequestId', () => {
  it('reads the id of every request type, before the rest is checked', () => {
    expect(peekRequestId(encodeSubscribe({ requestId: 300, symbolIds: [1] }))).toBe(300);
    expect(peekRequestId(encodeUnsubscribe({ requestId: 1, symbolIds: [1] }))).toBe(1);
    expect(peekRequestId(encodeResync({ requestId: 2 ** 40, symbolId: 1 }))).toBe(2 ** 40);
    const view = encodeViewSubscribe({ requestId: 9, view: View.Quote, symbolIds: [1] });
    expect(peekRequestId(view)).toBe(9);
    // Malformed after the id: an empty list, trailing bytes.
    expect(peekRequestId(fromHex('0181 2a 00'))).toBe(42);
    expect(peekRequestId(fromHex('0183 2a 01 ffff'))).toBe(42);
  });

  it('is null for frames without one', () => {
    expect(peekRequestId(encodePing({ nonce: 5 }))).toBeNull();
    expect(peekRequestId(fromHex('0181'))).toBeNull();
    expect(peekRequestId(fromHex('0181 80'))).toBeNull(); // the id's varint is cut short
    expect(peekRequestId(fromHex('0281 05'))).toBeNull(); // a newer version
    expect(peekRequestId(fromHex('0101 05'))).toBeNull(); // a server type
    expect(peekRequestId(new Uint8Array())).toBeNull();
  });
});

describe('SharedFrame', () => {
  const ticks = toColumns(1_732_200_000_000, [
    [4_325_123, 123, 1_732_200_000_000, 0],
    [4_325_125, 5, 1_732_200_000_004, 1],
  ]);
  const body: SnapshotBody = {
    symbolId: 7,
    nextSeq: 300,
    session,
    history: ticks,
    candles: [
      {
        intervalMs: 1000,
        candles: [
          {
            start: 1_732_200_000_000,
            open: 4_325_123,
            high: 4_325_125,
            low: 4_325_123,
            close: 4_325_125,
            volume: 128,
          },
        ],
      },
    ],
  };
  const ids = [0, 1, 127, 128, 16_384, 2 ** 31, Number.MAX_SAFE_INTEGER];

  it('answers any request id with exactly the bytes the plain encoder writes', () => {
    const frame = new SharedFrame(16); // small, so the body's writes must grow it
    encodeSharedSnapshot(body, frame);
    for (const requestId of ids) {
      expect(hex(frame.frameFor(requestId))).toBe(hex(encodeSnapshot({ requestId, ...body })));
    }
    const withoutId = encodeSnapshot({ requestId: 0, ...body }).length - 3;
    expect(frame.bodyBytes).toBe(withoutId);
  });

  it('does the same for quote snapshots, and can be reused for another message', () => {
    const frame = new SharedFrame();
    encodeSharedSnapshot(body, frame);
    const quoteBody: QuoteSnapshotBody = {
      symbolId: 7,
      session,
      closes: { intervalMs: 1000, points: [{ start: 1000, close: 5 }] },
    };
    encodeSharedQuoteSnapshot(quoteBody, frame);
    for (const requestId of ids) {
      const bytes = frame.frameFor(requestId);
      expect(bytes[1]).toBe(MessageType.QuoteSnapshot);
      expect(hex(bytes)).toBe(hex(encodeQuoteSnapshot({ requestId, ...quoteBody })));
    }
  });

  it('encodes candles kept as ring columns to the same bytes as candle objects', () => {
    const ring = {
      intervalMs: 1000,
      count: 3,
      first: 2, // the oldest sits at slot 2 of 4: the ring has wrapped
      start: new Float64Array([3000, 4000, 1000, 2000]),
      open: new Float64Array([12, 11, 10, 11]),
      high: new Float64Array([13, 14, 12, 11]),
      low: new Float64Array([10, 11, 9, 10]),
      close: new Float64Array([11, 13, 11, 10]),
      volume: new Float64Array([5, 6, 7, 8]),
    };
    const objects = [2, 3, 0].map((i) => ({
      start: ring.start[i] ?? 0,
      open: ring.open[i] ?? 0,
      high: ring.high[i] ?? 0,
      low: ring.low[i] ?? 0,
      close: ring.close[i] ?? 0,
      volume: ring.volume[i] ?? 0,
    }));
    const frame = new SharedFrame();
    encodeSharedSnapshot({ ...body, candles: [ring, { ...ring, count: 0 }] }, frame);
    const fromObjects = encodeSnapshot({
      requestId: 1,
      ...body,
      candles: [
        { intervalMs: 1000, candles: objects },
        { intervalMs: 1000, candles: [] },
      ],
    });
    expect(hex(frame.frameFor(1))).toBe(hex(fromObjects));
    const broken = { ...ring, low: new Float64Array([10, 11, 11, 10]) }; // low above the open
    expect(() => {
      encodeSharedSnapshot({ ...body, candles: [broken] }, frame);
    }).toThrow(/breaks candle invariants/);
  });

  it('writes an empty tick history as the plain encoder does', () => {
    const frame = new SharedFrame();
    const empty = { ...body, history: createTickColumns(0), candles: [] };
    encodeSharedSnapshot(empty, frame);
    expect(hex(frame.frameFor(5))).toBe(hex(encodeSnapshot({ requestId: 5, ...empty })));
  });
});
