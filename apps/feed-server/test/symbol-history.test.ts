import { describe, expect, it } from 'vitest';
import {
  Side,
  createTickColumns,
  decodeSnapshot,
  encodeSnapshot,
  reserveTicks,
} from '@ticker/protocol';
import type { CandleSeries, TickColumns } from '@ticker/protocol';
import { SymbolHistory } from '../src/domain/symbol-history.js';

const START = 1_732_200_000_000;

function ticks(list: Array<[price: number, size: number, time: number]>): TickColumns {
  const columns = createTickColumns(1);
  reserveTicks(columns, list.length);
  list.forEach(([price, size, time], i) => {
    columns.price[i] = price;
    columns.size[i] = size;
    columns.time[i] = time;
    columns.side[i] = i % 2 === 0 ? Side.Buy : Side.Sell;
  });
  columns.count = list.length;
  columns.baseTime = list[0]?.[2] ?? 0;
  return columns;
}

describe('SymbolHistory', () => {
  it('reports an empty session before the first trade', () => {
    const history = new SymbolHistory(START);
    expect(history.session()).toEqual({
      startTime: START,
      open: 0,
      high: 0,
      low: 0,
      last: 0,
      volume: 0,
      tradeCount: 0,
    });
    expect(history.recentTicks(createTickColumns()).count).toBe(0);
  });

  it('keeps session stats and only the newest ticks, oldest first', () => {
    const history = new SymbolHistory(START, {
      tickCapacity: 3,
      candles: [],
    });
    history.record(
      ticks([
        [100, 1, START + 1],
        [105, 2, START + 2],
      ]),
    );
    history.record(
      ticks([
        [95, 3, START + 3],
        [101, 4, START + 4],
      ]),
    );
    expect(history.session()).toEqual({
      startTime: START,
      open: 100,
      high: 105,
      low: 95,
      last: 101,
      volume: 10,
      tradeCount: 4,
    });
    const recent = history.recentTicks(createTickColumns());
    expect(Array.from(recent.price.subarray(0, recent.count))).toEqual([105, 95, 101]);
    expect(recent.baseTime).toBe(START + 2);
  });

  it('builds 1 s and 1 min candles that agree with the ticks', () => {
    const history = new SymbolHistory(START, {
      tickCapacity: 100,
      candles: [
        { intervalMs: 1_000, capacity: 10 },
        { intervalMs: 60_000, capacity: 10 },
      ],
    });
    history.record(
      ticks([
        [100, 1, START + 100],
        [110, 2, START + 900],
        [90, 3, START + 999],
      ]),
    );
    history.record(
      ticks([
        [95, 4, START + 1_000],
        [97, 5, START + 2_500],
      ]),
    );
    const [seconds, minutes] = candlesOf(history);
    expect(seconds?.candles).toEqual([
      { start: START, open: 100, high: 110, low: 90, close: 90, volume: 6 },
      { start: START + 1_000, open: 95, high: 95, low: 95, close: 95, volume: 4 },
      { start: START + 2_000, open: 97, high: 97, low: 97, close: 97, volume: 5 },
    ]);
    const minuteStart = START - (START % 60_000);
    expect(minutes?.candles).toEqual([
      { start: minuteStart, open: 100, high: 110, low: 90, close: 97, volume: 15 },
    ]);
  });

  it('keeps a bounded number of candles, newest last', () => {
    const history = new SymbolHistory(START, {
      tickCapacity: 1,
      candles: [{ intervalMs: 1_000, capacity: 2 }],
    });
    for (let s = 0; s < 5; s++) history.record(ticks([[100 + s, 1, START + s * 1_000]]));
    expect(candlesOf(history)[0]?.candles.map((c) => c.open)).toEqual([103, 104]);
  });

  it('produces snapshots that satisfy the protocol and survive a round trip', () => {
    const history = new SymbolHistory(START);
    let time = START;
    for (let b = 0; b < 200; b++) {
      history.record(
        ticks(
          Array.from({ length: 20 }, (_, i): [number, number, number] => [
            1_000 + ((b * 7 + i * 13) % 50),
            1 + i,
            (time += 37),
          ]),
        ),
      );
    }
    const snapshot = { requestId: 3, ...history.snapshot(7) };
    const decoded = decodeSnapshot(encodeSnapshot(snapshot).slice());
    expect(decoded.history.count).toBe(2_048);
    expect(decoded.session).toEqual(snapshot.session);
    // 4,000 ticks 37 ms apart: one 1 s candle per second they span, one 1 min candle per minute.
    const seconds = new Set<number>();
    const minutes = new Set<number>();
    for (let t = START + 37; t <= time; t += 37) {
      seconds.add(Math.floor(t / 1_000));
      minutes.add(Math.floor(t / 60_000));
    }
    expect(decoded.candles.map((series) => series.candles.length)).toEqual([
      Math.min(600, seconds.size),
      minutes.size,
    ]);
  });

  it('numbers the series by the batches appended, and promises the next seq', () => {
    const history = new SymbolHistory(START);
    expect(history.snapshot(1).nextSeq).toBe(0);
    history.append({ ...ticks([[100, 1, START + 1]]), symbolId: 1, seq: 41 });
    expect(history.snapshot(1).nextSeq).toBe(42);
  });

  it('restored from a snapshot, continues exactly as the history it was taken from', () => {
    const options = {
      tickCapacity: 64,
      candles: [
        { intervalMs: 1_000, capacity: 30 },
        { intervalMs: 60_000, capacity: 30 },
      ],
    };
    const original = new SymbolHistory(START, options);
    let time = START;
    const batch = (seq: number) => ({
      ...ticks(
        Array.from({ length: 9 }, (_, i): [number, number, number] => [
          500 + ((seq * 11 + i * 7) % 40),
          1 + i,
          (time += 173),
        ]),
      ),
      symbolId: 3,
      seq,
    });
    for (let seq = 0; seq < 40; seq++) original.append(batch(seq));
    // Through the wire format, as a gateway gets it from Redis.
    const copy = new SymbolHistory(0, options);
    copy.restore(decodeSnapshot(encodeSnapshot({ requestId: 0, ...original.snapshot(3) }).slice()));
    expect(wire(copy)).toEqual(wire(original));
    for (let seq = 40; seq < 55; seq++) {
      const next = batch(seq);
      original.append(next);
      copy.append(next);
    }
    expect(wire(copy)).toEqual(wire(original));
    expect(copy.snapshot(3).nextSeq).toBe(55);
  });
});

/** The candle series of the history's snapshot, as a client decodes them. */
function candlesOf(history: SymbolHistory): readonly CandleSeries[] {
  return decodeSnapshot(encodeSnapshot({ requestId: 0, ...history.snapshot(1) }).slice()).candles;
}

/** The history's snapshot as it goes on the wire: equal bytes, equal histories for clients. */
function wire(history: SymbolHistory): string {
  return Buffer.from(encodeSnapshot({ requestId: 0, ...history.snapshot(3) })).toString('hex');
}
