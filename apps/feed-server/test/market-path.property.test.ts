import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssetClass } from '@ticker/protocol';
import type { Side } from '@ticker/protocol';
import { defaultUniverse } from '../src/config.js';
import { DEFAULT_HISTORY } from '../src/domain/symbol-history.js';
import { TradingHours } from '../src/domain/trading-hours.js';
import { historyAt } from '../src/market-path/history-at.js';
import {
  DAY_LEVEL,
  INTERVALS,
  MARKET_EPOCH,
  SECOND_LEVEL,
  candleIndex,
  candleStart,
  childCount,
} from '../src/market-path/intervals.js';
import { MarketPath } from '../src/market-path/market-path.js';
import { PathPlayer } from '../src/market-path/path-player.js';
import type { PathNode } from '../src/market-path/path-node.js';

const UNIVERSE = defaultUniverse();
const YEAR = 365 * 86_400_000;
const options = { universe: UNIVERSE, seed: 42, ticksPerSecond: 1_000, stockHours: null };

/** Any symbol, any interval, any instant from five years before the epoch to two after. */
const anyCandle = fc.record({
  symbol: fc.integer({ min: 0, max: UNIVERSE.length - 1 }),
  level: fc.integer({ min: DAY_LEVEL, max: SECOND_LEVEL }),
  time: fc.integer({ min: MARKET_EPOCH - 5 * YEAR, max: MARKET_EPOCH + 2 * YEAR }),
});

interface Trade {
  readonly price: number;
  readonly size: number;
  readonly time: number;
  readonly side: Side;
}

function tradesOf(path: MarketPath, symbol: number, second: number): Trade[] {
  const trades: Trade[] = [];
  path.trades(symbol, second, (price, size, time, side) =>
    trades.push({ price, size, time, side }),
  );
  return trades;
}

/** What a candle's children add up to. */
function aggregate(children: readonly PathNode[]) {
  const active = children.filter((child) => child.trades > 0);
  return {
    trades: active.reduce((sum, c) => sum + c.trades, 0),
    lots: active.reduce((sum, c) => sum + c.lots, 0),
    open: active[0]?.open ?? 0,
    close: active.at(-1)?.close ?? 0,
    high: Math.max(0, ...active.map((c) => c.high)),
    low: active.length === 0 ? 0 : Math.min(...active.map((c) => c.low)),
  };
}

const EMPTY = { trades: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
const candleFigures = (c: typeof EMPTY) => ({
  trades: c.trades,
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
  volume: c.volume,
});

const figures = (node: PathNode) => ({
  trades: node.trades,
  lots: node.lots,
  open: node.open,
  close: node.close,
  high: node.high,
  low: node.low,
});

describe.each([
  ['at 1,000 ticks/s, always open', options],
  [
    'at 100,000 ticks/s, stocks in session',
    { ...options, ticksPerSecond: 100_000, stockHours: TradingHours.parse('14:30-21:00') },
  ],
])('the market path %s', (_name, config) => {
  const path = new MarketPath(config);

  it('makes every candle exactly the aggregate of the finer candles inside it', () => {
    fc.assert(
      fc.property(
        anyCandle.filter(({ level }) => level < SECOND_LEVEL),
        ({ symbol, level, time }) => {
          const index = candleIndex(level, time);
          const node = path.node(symbol, level, index);
          const perParent = childCount(level);
          const children = Array.from({ length: perParent }, (_, j) =>
            path.node(symbol, level + 1, index * perParent + j),
          );
          expect(aggregate(children)).toEqual(figures(node));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('joins history and the live ticks without a seam: the open candle grown by the ticks played after it', () => {
    fc.assert(
      fc.property(
        anyCandle,
        fc.integer({ min: 1, max: 3_000 }),
        ({ symbol, level, time }, later) => {
          const index = candleIndex(level, time);
          const end = candleStart(level, index + 1);
          const until = Math.min(time + later, end - 1);
          // The open candle as the history API serves it at `time`, then the ticks the live
          // market plays after it, folded in as a chart does.
          const grown = { ...(path.candleUntil(symbol, level, time) ?? EMPTY) };
          new PathPlayer(path, time).advanceTo(until, {
            addTick(index, price, size) {
              if (index !== symbol) return;
              if (grown.trades === 0)
                Object.assign(grown, { open: price, high: price, low: price });
              grown.high = Math.max(grown.high, price);
              grown.low = Math.min(grown.low, price);
              grown.close = price;
              grown.volume += size;
              grown.trades += 1;
            },
          });
          const laterCandle = path.candleUntil(symbol, level, until);
          expect(candleFigures(grown)).toEqual(candleFigures(laterCandle ?? EMPTY));
          // Grown to the candle's last millisecond, it is the closed candle history serves.
          if (until === end - 1) {
            expect(candleFigures(grown)).toEqual(
              candleFigures(path.candle(symbol, level, index) ?? EMPTY),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('makes every second’s candle exactly the aggregate of its trades, in order, on the tick grid', () => {
    fc.assert(
      fc.property(anyCandle, ({ symbol, time }) => {
        const second = candleIndex(SECOND_LEVEL, time);
        const node = path.node(symbol, SECOND_LEVEL, second);
        const trades = tradesOf(path, symbol, second);
        const spec = UNIVERSE[symbol];
        if (spec === undefined) throw new Error('no symbol');
        const { tickSize, lotSize } = spec;
        expect(trades).toHaveLength(node.trades);
        if (trades.length === 0) return;
        const prices = trades.map((t) => t.price);
        expect({
          open: prices[0],
          close: prices.at(-1),
          high: Math.max(...prices),
          low: Math.min(...prices),
          size: trades.reduce((sum, t) => sum + t.size, 0),
        }).toEqual({
          open: node.open * tickSize,
          close: node.close * tickSize,
          high: node.high * tickSize,
          low: node.low * tickSize,
          size: node.lots * lotSize,
        });
        const start = candleStart(SECOND_LEVEL, second);
        const wrong = trades.filter(
          (trade, i) =>
            trade.price % tickSize !== 0 ||
            trade.price < tickSize ||
            trade.size % lotSize !== 0 ||
            trade.size < lotSize ||
            trade.time < (i === 0 ? start : (trades[i - 1]?.time ?? 0)) ||
            trade.time >= start + 1_000,
        );
        expect(wrong).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the market path', () => {
  const path = new MarketPath(options);

  it('is the same on every process, whatever was asked for first', () => {
    const queries = fc.sample(anyCandle, { numRuns: 200, seed: 7 });
    const other = new MarketPath(options);
    const answers = queries.map(({ symbol, level, time }) => path.nodeAt(symbol, level, time));
    const reversed = [...queries].reverse().map((q) => other.nodeAt(q.symbol, q.level, q.time));
    expect(reversed.reverse()).toEqual(answers);
    const seconds = queries.slice(0, 20).map((q) => candleIndex(SECOND_LEVEL, q.time));
    expect(seconds.map((s, i) => tradesOf(other, queries[i]?.symbol ?? 0, s))).toEqual(
      seconds.map((s, i) => tradesOf(path, queries[i]?.symbol ?? 0, s)),
    );
    const reseeded = new MarketPath({ ...options, seed: 43 });
    const day = candleIndex(DAY_LEVEL, MARKET_EPOCH + YEAR);
    expect(reseeded.node(0, DAY_LEVEL, day)).not.toEqual(path.node(0, DAY_LEVEL, day));
  });

  it('trades at each symbol’s reference price at the epoch, and moves as volatile as it says', () => {
    for (const [index, symbol] of UNIVERSE.entries()) {
      const day = path.node(index, DAY_LEVEL, 0);
      const reference = symbol.referencePrice * 10 ** symbol.priceDecimals;
      expect(Math.abs(day.open * symbol.tickSize - reference) / reference).toBeLessThan(0.1);
    }
    // Realised volatility of daily closes over five years, against the universe's figure.
    const days = 5 * 365;
    for (const index of [0, 1, 12, 13]) {
      const closes = Array.from(
        { length: days },
        (_, d) => path.node(index, DAY_LEVEL, d - days).close,
      );
      const returns = closes.slice(1).map((close, d) => Math.log(close / (closes[d] as number)));
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
      const realised = Math.sqrt(variance * 365.25);
      const stated = UNIVERSE[index]?.annualVolatility ?? 0;
      expect(realised).toBeGreaterThan(stated * 0.7);
      expect(realised).toBeLessThan(stated * 1.6);
    }
  });

  it('trades stocks only in session when trading hours are set, crypto always', () => {
    const hours = TradingHours.parse('14:30-21:00');
    const session = new MarketPath({ ...options, stockHours: hours });
    const stock = UNIVERSE.findIndex((s) => s.assetClass === AssetClass.Stock);
    const coin = UNIVERSE.findIndex((s) => s.assetClass === AssetClass.Crypto);
    const saturday = Date.UTC(2026, 1, 7);
    const monday = Date.UTC(2026, 1, 9);
    expect(session.nodeAt(stock, DAY_LEVEL, saturday).trades).toBe(0);
    expect(session.nodeAt(coin, DAY_LEVEL, saturday).trades).toBeGreaterThan(0);
    const minutes = Array.from({ length: 24 * 60 }, (_, m) => monday + m * 60_000);
    const level = INTERVALS.findIndex((i) => i.name === '1m');
    for (const minute of minutes) {
      const trades = session.nodeAt(stock, level, minute).trades;
      if (!hours.isOpen(minute)) expect(trades).toBe(0);
    }
    const open = minutes.filter((m) => hours.isOpen(m));
    const traded = open.filter((m) => session.nodeAt(stock, level, m).trades > 0);
    expect(traded.length).toBeGreaterThan(open.length / 2);
  });
});

describe('a history drawn from the market path', () => {
  const path = new MarketPath(options);

  it('holds the newest ticks up to the instant, in order, agreeing with its candles and session', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: UNIVERSE.length - 1 }),
        fc.integer({ min: MARKET_EPOCH, max: MARKET_EPOCH + YEAR }),
        (symbol, until) => {
          const spec = UNIVERSE[symbol];
          if (spec === undefined) throw new Error('no symbol');
          const { history, session, candles } = historyAt(
            path,
            symbol,
            spec.id,
            until,
            DEFAULT_HISTORY,
          );
          const times = Array.from(history.time.subarray(0, history.count));
          expect(times.every((t, i) => t <= until && (i === 0 || t >= (times[i - 1] ?? 0)))).toBe(
            true,
          );
          expect(history.count).toBeLessThanOrEqual(DEFAULT_HISTORY.tickCapacity);
          // The newest second's candle is made of the newest ticks of that second.
          const [seconds] = candles;
          const newest = seconds?.candles.at(-1);
          if (newest !== undefined && newest.start === until - (until % 1_000)) {
            const inSecond = times
              .map((t, i) => ({ t, price: history.price[i] as number }))
              .filter(({ t }) => t >= newest.start);
            expect(inSecond.at(-1)?.price).toBe(newest.close);
            expect(Math.max(...inSecond.map((x) => x.price))).toBeLessThanOrEqual(newest.high);
          }
          // The session is the day so far: its last price is the newest tick's, if that is today's.
          expect(session.startTime).toBe(until - (until % 86_400_000));
          const newestTick = history.count - 1;
          if (newestTick >= 0 && (history.time[newestTick] as number) >= session.startTime) {
            expect(session.last).toBe(history.price[newestTick]);
          } else {
            expect(session.tradeCount).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
