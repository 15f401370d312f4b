import fc from 'fast-check';
import { MAX_DECIMALS, MAX_PRICE } from '../src/index.js';
import type { Tick, VectorMessage } from './vectors.js';

const MAX_TIME = 2 ** 45; // year 3084: far past any real clock, well inside 2^53
const id = fc.nat({ max: 2 ** 32 });
const big = fc.maxSafeNat();
const price = fc.oneof(fc.nat({ max: MAX_PRICE }), fc.constantFrom(0, 1, MAX_PRICE));
const size = fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 2 ** 51 }));
const text = fc.string({ unit: 'grapheme', maxLength: 40 });

/** Ticks in time order, including zero gaps, big jumps and large negative price deltas. */
export const tickList = (maxLength: number): fc.Arbitrary<{ baseTime: number; ticks: Tick[] }> =>
  fc
    .record({
      baseTime: fc.nat({ max: MAX_TIME }),
      ticks: fc.array(
        fc.tuple(
          price,
          size,
          fc.oneof(fc.constant(0), fc.nat({ max: 1000 }), fc.nat({ max: 2 ** 31 })),
          fc.constantFrom(0, 1),
        ),
        { maxLength },
      ),
    })
    .map(({ baseTime, ticks }) => {
      let time = baseTime;
      return {
        baseTime,
        ticks: ticks.map(([p, s, gap, side]): Tick => [p, s, (time += gap), side]),
      };
    });

const candle = (intervalMs: number) =>
  fc
    .tuple(
      fc.nat({ max: MAX_PRICE }),
      fc.nat({ max: MAX_PRICE }),
      fc.nat({ max: MAX_PRICE }),
      fc.nat({ max: MAX_PRICE }),
      big,
      fc.integer({ min: 1, max: 1000 }),
    )
    .map(([a, b, c, d, volume, steps]) => {
      const [low, open, close, high] = [a, b, c, d].sort((x, y) => x - y) as [
        number,
        number,
        number,
        number,
      ];
      return { steps, candle: { start: 0, open, high, low, close, volume }, intervalMs };
    });

const candleSeries = fc.integer({ min: 1, max: 3_600_000 }).chain((intervalMs) =>
  fc
    .record({
      first: fc.nat({ max: 2 ** 20 }),
      bars: fc.array(candle(intervalMs), { maxLength: 20 }),
    })
    .map(({ first, bars }) => {
      let start = first * intervalMs;
      const candles = bars.map(({ steps, candle: bar }, i) => {
        if (i > 0) start += steps * intervalMs;
        return { ...bar, start };
      });
      return { intervalMs, candles };
    }),
);

const session = fc.record({
  startTime: big,
  open: big,
  high: big,
  low: big,
  last: big,
  volume: big,
  tradeCount: big,
});

const closeSeries = fc.integer({ min: 1, max: 3_600_000 }).chain((intervalMs) =>
  fc
    .record({
      first: fc.nat({ max: 2 ** 20 }),
      points: fc.array(fc.tuple(fc.integer({ min: 1, max: 1000 }), price), { maxLength: 60 }),
    })
    .map(({ first, points }) => {
      let start = first * intervalMs;
      return {
        intervalMs,
        points: points.map(([steps, close], i) => {
          if (i > 0) start += steps * intervalMs;
          return { start, close };
        }),
      };
    }),
);

/** Every message type, with values up to the edges the spec allows. */
export const anyMessage: fc.Arbitrary<VectorMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('hello' as const),
    serverTime: big,
    heartbeatIntervalMs: fc.integer({ min: 1, max: 2 ** 40 }),
    limits: fc.array(fc.record({ id: big, value: big }), { maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant('directory' as const),
    symbols: fc.array(
      fc.record({
        id: big,
        ticker: text,
        name: text,
        assetClass: fc.constantFrom(0 as const, 1 as const),
        priceDecimals: fc.nat({ max: MAX_DECIMALS }),
        sizeDecimals: fc.nat({ max: MAX_DECIMALS }),
        tickSize: fc.integer({ min: 1, max: 2 ** 40 }),
        lotSize: fc.integer({ min: 1, max: 2 ** 40 }),
      }),
      { maxLength: 20 },
    ),
  }),
  fc.record({ symbolId: id, seq: big, list: tickList(300) }).map(({ symbolId, seq, list }) => ({
    kind: 'tickBatch' as const,
    symbolId,
    seq,
    ...list,
  })),
  fc
    .record({
      requestId: big,
      symbolId: id,
      nextSeq: big,
      session,
      history: tickList(100),
      candles: fc.array(candleSeries, { maxLength: 8 }),
    })
    .map((snapshot) => ({ kind: 'snapshot' as const, ...snapshot })),
  fc.record({ kind: fc.constant('ack' as const), requestId: big }),
  fc.record({ kind: fc.constant('error' as const), requestId: big, code: big, message: text }),
  fc.record({ kind: fc.constant('pong' as const), nonce: big, serverTime: big }),
  fc.record({ kind: fc.constant('heartbeat' as const), serverTime: big }),
  fc.record({ kind: fc.constant('goingAway' as const), reconnectAfterMs: big, reason: text }),
  fc.record({
    kind: fc.constantFrom('subscribe' as const, 'unsubscribe' as const),
    requestId: big,
    symbolIds: fc.array(big, { minLength: 1, maxLength: 256 }),
  }),
  fc.record({ kind: fc.constant('resync' as const), requestId: big, symbolId: big }),
  fc.record({ kind: fc.constant('ping' as const), nonce: big }),
  fc.record({
    kind: fc.constant('refreshToken' as const),
    requestId: big,
    token: fc.string({ unit: 'grapheme-ascii', maxLength: 512 }),
  }),
  fc.record({
    kind: fc.constant('viewSubscribe' as const),
    requestId: big,
    view: fc.constantFrom(0 as const, 1 as const),
    symbolIds: fc.array(big, { minLength: 1, maxLength: 256 }),
  }),
  fc.record({
    kind: fc.constant('symbolRefusals' as const),
    requestId: big,
    refusals: fc.array(fc.record({ symbolId: big, code: big }), { minLength: 1, maxLength: 256 }),
  }),
  fc
    .record({
      requestId: big,
      symbolId: id,
      session,
      closes: closeSeries,
    })
    .map((snapshot) => ({ kind: 'quoteSnapshot' as const, ...snapshot })),
  fc.record({
    kind: fc.constant('marketStatus' as const),
    state: fc.constantFrom(0, 1),
    lastDataTime: big,
    reason: text,
  }),
  fc.record({
    kind: fc.constant('quote' as const),
    symbolId: id,
    lastTime: big,
    last: price,
    high: price,
    low: price,
    volume: big,
    tradeCount: big,
  }),
);
