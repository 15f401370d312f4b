import type { Side } from '@ticker/protocol';
import type { TickSink } from '../domain/tick-sink.js';
import { SECOND_LEVEL, candleIndex, childCount } from './intervals.js';
import type { MarketPath } from './market-path.js';

const MINUTE_LEVEL = SECOND_LEVEL - 1;
const SECONDS_PER_MINUTE = childCount(MINUTE_LEVEL);

/** One symbol's place in the path: the second being played and its trades. */
class Cursor {
  second: number;
  loaded = false;
  count = 0;
  next = 0;
  price = new Float64Array(64);
  size = new Float64Array(64);
  time = new Float64Array(64);
  side = new Uint8Array(64);

  constructor(second: number) {
    this.second = second;
  }

  /** Takes one trade of the second being loaded (the path's TradeSink). */
  readonly push = (price: number, size: number, time: number, side: Side): void => {
    if (this.count === this.price.length) this.grow();
    const i = this.count++;
    this.price[i] = price;
    this.size[i] = size;
    this.time[i] = time;
    this.side[i] = side;
  };

  private grow(): void {
    const grown = (old: Float64Array) => {
      const next = new Float64Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.price = grown(this.price);
    this.size = grown(this.size);
    this.time = grown(this.time);
    const side = new Uint8Array(this.side.length * 2);
    side.set(this.side);
    this.side = side;
  }
}

/**
 * Plays the market path's trades as time passes: each call hands the sink every trade after the
 * previous call's time and at or before this one's, symbol by symbol in time order. It starts
 * after `startTime` (what came before is history, see history-at.ts). A second's trades are
 * drawn once, when it begins, into buffers kept for the next; a minute without trades is
 * skipped whole.
 */
export class PathPlayer {
  private readonly cursors: Cursor[];

  constructor(
    private readonly path: MarketPath,
    private readonly startTime: number,
  ) {
    const first = candleIndex(SECOND_LEVEL, startTime);
    this.cursors = path.models.map(() => new Cursor(first));
  }

  advanceTo(time: number, sink: TickSink): void {
    const last = candleIndex(SECOND_LEVEL, time);
    for (let symbol = 0; symbol < this.cursors.length; symbol++) {
      const cursor = this.cursors[symbol] as Cursor;
      while (cursor.second <= last) {
        if (!cursor.loaded) this.load(symbol, cursor);
        while (cursor.next < cursor.count && (cursor.time[cursor.next] as number) <= time) {
          const i = cursor.next++;
          const at = cursor.time[i] as number;
          if (at <= this.startTime) continue;
          sink.addTick(
            symbol,
            cursor.price[i] as number,
            cursor.size[i] as number,
            at,
            cursor.side[i] as Side,
          );
        }
        if (cursor.next < cursor.count || cursor.second === last) break; // the rest is to come
        cursor.second += 1;
        cursor.loaded = false;
      }
    }
  }

  private load(symbol: number, cursor: Cursor): void {
    const minute = Math.floor(cursor.second / SECONDS_PER_MINUTE);
    if (this.path.node(symbol, MINUTE_LEVEL, minute).trades === 0) {
      // Nothing in this minute: on to its last second, which the caller moves past.
      cursor.second = (minute + 1) * SECONDS_PER_MINUTE - 1;
      cursor.count = 0;
    } else {
      cursor.count = 0;
      this.path.trades(symbol, cursor.second, cursor.push);
    }
    cursor.next = 0;
    cursor.loaded = true;
  }
}
