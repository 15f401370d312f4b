import { describe, expect, it } from 'vitest';
import { defaultUniverse } from '../src/config.js';
import { candlesJson, decimal, selectCandles } from '../src/history/candles-json.js';
import { MAX_CANDLES, isRefusal, parseCandlesQuery } from '../src/history/candles-query.js';
import type { CandlesQuery } from '../src/history/candles-query.js';
import { candleStart, levelOf } from '../src/market-path/intervals.js';
import { MarketPath } from '../src/market-path/market-path.js';

const UNIVERSE = defaultUniverse();
const path = new MarketPath({
  universe: UNIVERSE,
  seed: 3,
  ticksPerSecond: 1_000,
  stockHours: null,
});
const NOW = Date.UTC(2026, 11, 1, 15, 42, 17, 250);

function query(text: string): CandlesQuery {
  const parsed = parseCandlesQuery(text, UNIVERSE);
  if (isRefusal(parsed)) throw new Error(parsed.reason);
  return parsed;
}

describe('the candles query', () => {
  it('reads the symbol, interval, end and limit, with defaults', () => {
    expect(query('symbol=BTC-USD&interval=1m')).toMatchObject({
      symbolIndex: 0,
      interval: '1m',
      level: levelOf('1m'),
      end: null,
      limit: 500,
    });
    expect(query(`symbol=ETH-USD&interval=1d&end=${NOW}&limit=365`)).toMatchObject({
      end: NOW,
      limit: 365,
    });
  });

  it.each([
    ['interval=1m', 400, 'symbol is required, e.g. symbol=BTC-USD'],
    ['symbol=NOPE&interval=1m', 404, 'unknown symbol: NOPE'],
    ['symbol=BTC-USD&interval=2m', 400, 'interval must be one of 1s, 1m, 5m, 15m, 1h, 4h, 1d'],
    ['symbol=BTC-USD&interval=1m&end=soon', 400, /^end must be epoch milliseconds from /],
    ['symbol=BTC-USD&interval=1m&end=1000', 400, /^end must be epoch milliseconds from /],
    [
      'symbol=BTC-USD&interval=1m&limit=0',
      400,
      `limit must be an integer from 1 to ${MAX_CANDLES}`,
    ],
    ['symbol=BTC-USD&interval=1m&limit=1001', 400, /^limit must be/],
    ['symbol=BTC-USD&interval=1m&limit=1.5', 400, /^limit must be/],
    [
      'symbol=BTC-USD&interval=1m&limt=5',
      400,
      'unknown parameter: limt (expected symbol, interval, end, limit)',
    ],
    ['symbol=BTC-USD&interval=1m&symbol=ETH-USD', 400, 'symbol is given more than once'],
  ])('refuses %s with %d and a reason naming the parameter', (text, status, reason) => {
    const parsed = parseCandlesQuery(text, UNIVERSE);
    expect(isRefusal(parsed)).toBe(true);
    if (!isRefusal(parsed)) return;
    expect(parsed.status).toBe(status);
    if (typeof reason === 'string') expect(parsed.reason).toBe(reason);
    else expect(parsed.reason).toMatch(reason);
  });
});

describe('the candles answer', () => {
  it('writes prices and volumes as exact decimal strings', () => {
    expect(decimal(4_318_846, 2)).toBe('43188.46');
    expect(decimal(5, 3)).toBe('0.005');
    expect(decimal(0, 2)).toBe('0.00');
    expect(decimal(12, 0)).toBe('12');
    expect(decimal(123_456_789_012_345, 8)).toBe('1234567.89012345');
  });

  it('gives the newest closed candles up to `end`, oldest first, and none after it', () => {
    const q = query(`symbol=BTC-USD&interval=1m&end=${NOW}&limit=100`);
    const { closed: candles, open } = selectCandles(path, q, NOW + 3_600_000);
    expect(open).toBeNull();
    expect(candles).toHaveLength(100);
    const starts = candles.map((c) => c.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.at(-1)).toBe(
      candleStart(levelOf('1m') ?? 0, Math.floor((NOW - Date.UTC(2026, 0, 1)) / 60_000) - 1),
    );
    expect(candles.every((c) => c.start + 60_000 <= NOW)).toBe(true);
  });

  it('ends with the open candle, of the trades so far, when no `end` is given', () => {
    const q = query('symbol=BTC-USD&interval=1m&limit=10');
    const now = selectCandles(path, q, NOW);
    expect(now.closed).toHaveLength(9);
    const open = now.open;
    expect(open?.start).toBe(Date.UTC(2026, 11, 1, 15, 42));
    // The same minute, closed, asked for later: it has grown from there, never shrunk.
    const later = selectCandles(
      path,
      query(`symbol=BTC-USD&interval=1m&end=${NOW + 60_000}&limit=1`),
      NOW + 60_000,
    );
    const whole = later.closed[0];
    expect(whole?.start).toBe(open?.start);
    expect(whole?.open).toBe(open?.open);
    expect(whole?.high).toBeGreaterThanOrEqual(open?.high ?? Infinity);
    expect(whole?.trades).toBeGreaterThan(open?.trades ?? Infinity);
    // A far future `end` is read as now: the market's future is not for anyone.
    const future = selectCandles(
      path,
      query(`symbol=BTC-USD&interval=1s&end=${NOW + 86_400_000}&limit=5`),
      NOW,
    );
    expect(future.open).toBeNull();
    expect(future.closed.every((c) => c.start + 1_000 <= NOW)).toBe(true);
  });

  it('agrees across intervals: a 5 min candle is the aggregate of its five 1 min candles', () => {
    const end = Date.UTC(2026, 11, 1, 15, 40); // on a 5 min boundary: the same 15 minutes
    const five = selectCandles(
      path,
      query(`symbol=ETH-USD&interval=5m&end=${end}&limit=3`),
      NOW,
    ).closed;
    const ones = selectCandles(
      path,
      query(`symbol=ETH-USD&interval=1m&end=${end}&limit=15`),
      NOW,
    ).closed;
    expect(five).toHaveLength(3);
    for (const candle of five) {
      const inside = ones.filter(
        (c) => c.start >= candle.start && c.start < candle.start + 300_000,
      );
      expect(inside).toHaveLength(5);
      expect({
        open: inside[0]?.open,
        close: inside.at(-1)?.close,
        high: Math.max(...inside.map((c) => c.high)),
        low: Math.min(...inside.map((c) => c.low)),
        volume: inside.reduce((sum, c) => sum + c.volume, 0),
      }).toEqual({
        open: candle.open,
        close: candle.close,
        high: candle.high,
        low: candle.low,
        volume: candle.volume,
      });
    }
  });

  it('writes the answer as the documented JSON', () => {
    const q = query(`symbol=BTC-USD&interval=1h&end=${NOW}&limit=2`);
    const body = JSON.parse(candlesJson(q, selectCandles(path, q, NOW))) as {
      symbol: string;
      interval: string;
      candles: Array<[number, string, string, string, string, string]>;
    };
    expect(body.symbol).toBe('BTC-USD');
    expect(body.interval).toBe('1h');
    expect(body.candles).toHaveLength(2);
    const { priceDecimals, sizeDecimals } = UNIVERSE[0] ?? { priceDecimals: 0, sizeDecimals: 0 };
    const exactly = (places: number) => new RegExp(`^\\d+\\.\\d{${places}}$`);
    for (const [start, open, high, low, close, volume] of body.candles) {
      expect(start % 3_600_000).toBe(0);
      for (const price of [open, high, low, close]) expect(price).toMatch(exactly(priceDecimals));
      expect(volume).toMatch(exactly(sizeDecimals));
    }
  });
});
