import { createTickColumns, reserveTicks } from '@ticker/protocol';
import type { Candle as WireCandle, CandleSeries, SessionStats, Snapshot } from '@ticker/protocol';
import type { HistoryOptions } from '../domain/symbol-history.js';
import {
  DAY_LEVEL,
  INTERVALS,
  SECOND_LEVEL,
  candleIndex,
  candleStart,
  childCount,
} from './intervals.js';
import type { Candle, MarketPath } from './market-path.js';

/**
 * How far back the recent ticks are looked for: as far as the 1 s candles go, whose seconds are
 * drawn anyway. A quiet symbol has fewer ticks than the history holds in this time; looking
 * further would cost time for ticks no chart shows.
 */
const RECENT_TICKS_WITHIN_MS = 10 * 60_000;
const MINUTE_LEVEL = SECOND_LEVEL - 1;
const SECONDS_PER_MINUTE = childCount(MINUTE_LEVEL);

/**
 * What a symbol's history holds at `until`, from the market path: the session (the UTC day so
 * far), its most recent ticks and its candles of each interval kept, the newest of them the one
 * still open. A history restored from it is the one that would have recorded every tick up to
 * `until`: a server starts with full charts, whatever the hour, and any two start the same.
 */
export function historyAt(
  path: MarketPath,
  symbolIndex: number,
  symbolId: number,
  until: number,
  options: HistoryOptions,
): Omit<Snapshot, 'requestId'> {
  return {
    symbolId,
    nextSeq: 0,
    session: sessionAt(path, symbolIndex, until),
    history: recentTicks(path, symbolIndex, until, options.tickCapacity),
    candles: options.candles.map(({ intervalMs, capacity }) =>
      candlesUntil(path, symbolIndex, intervalMs, until, capacity),
    ),
  };
}

/** The session: the UTC day of `until`, so far. */
export function sessionAt(path: MarketPath, symbolIndex: number, until: number): SessionStats {
  const startTime = candleStart(DAY_LEVEL, candleIndex(DAY_LEVEL, until));
  const day = path.candleUntil(symbolIndex, DAY_LEVEL, until);
  if (day === null) {
    return { startTime, open: 0, high: 0, low: 0, last: 0, volume: 0, tradeCount: 0 };
  }
  const { open, high, low, close: last, volume, trades: tradeCount } = day;
  return { startTime, open, high, low, last, volume, tradeCount };
}

/** The newest `capacity` trades at or before `until`, oldest first. */
function recentTicks(path: MarketPath, symbolIndex: number, until: number, capacity: number) {
  const ticks = createTickColumns();
  // The seconds with trades, newest first, until they hold enough (minutes without any skipped).
  const seconds: number[] = [];
  let found = 0;
  const lastMinute = candleIndex(MINUTE_LEVEL, until);
  const firstMinute = candleIndex(MINUTE_LEVEL, until - RECENT_TICKS_WITHIN_MS);
  const lastSecond = candleIndex(SECOND_LEVEL, until);
  let current = 0; // trades of the current second, whose later ones are not there yet
  for (let minute = lastMinute; minute >= firstMinute && found < capacity; minute--) {
    if (path.node(symbolIndex, MINUTE_LEVEL, minute).trades === 0) continue;
    const inMinute: number[] = [];
    const tradesIn: number[] = [];
    const first = minute * SECONDS_PER_MINUTE;
    const last = Math.min(lastSecond, first + SECONDS_PER_MINUTE - 1);
    path.forEachNode(symbolIndex, SECOND_LEVEL, first, last, (node, second) => {
      if (node.trades === 0) return;
      inMinute.push(second);
      tradesIn.push(node.trades);
    });
    for (let k = inMinute.length - 1; k >= 0 && found < capacity; k--) {
      const second = inMinute[k] as number;
      seconds.push(second);
      if (second === lastSecond) current = tradesIn[k] as number;
      else found += tradesIn[k] as number;
    }
  }
  reserveTicks(ticks, found + current);
  let count = 0;
  for (let k = seconds.length - 1; k >= 0; k--) {
    path.trades(symbolIndex, seconds[k] as number, (price, size, time, side) => {
      if (time > until) return;
      ticks.price[count] = price;
      ticks.size[count] = size;
      ticks.time[count] = time;
      ticks.side[count] = side;
      count += 1;
    });
  }
  // Keep the newest that fit.
  const skip = Math.max(0, count - capacity);
  if (skip > 0) {
    ticks.price.copyWithin(0, skip, count);
    ticks.size.copyWithin(0, skip, count);
    ticks.time.copyWithin(0, skip, count);
    ticks.side.copyWithin(0, skip, count);
  }
  ticks.count = count - skip;
  ticks.baseTime = ticks.count > 0 ? (ticks.time[0] as number) : until;
  return ticks;
}

/** The newest `capacity` candles of an interval up to `until`, the open one last. */
function candlesUntil(
  path: MarketPath,
  symbolIndex: number,
  intervalMs: number,
  until: number,
  capacity: number,
): CandleSeries {
  const level = INTERVALS.findIndex((interval) => interval.ms === intervalMs);
  if (level === -1) throw new RangeError(`no candles of ${intervalMs} ms in the market`);
  const candles: WireCandle[] = [];
  const current = candleIndex(level, until);
  path.forEachNode(symbolIndex, level, current - capacity + 1, current - 1, (node, index) => {
    const candle = path.candle(symbolIndex, level, index, node);
    if (candle !== null) candles.push(wire(candle));
  });
  const open = path.candleUntil(symbolIndex, level, until);
  if (open !== null) candles.push(wire(open));
  return { intervalMs, candles };
}

function wire(candle: Candle): WireCandle {
  const { start, open, high, low, close, volume } = candle;
  return { start, open, high, low, close, volume };
}
