import { Side } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import { SymbolSeries } from '../src/feed/symbol-series';
import { TAPE_CAPACITY, TradeTape } from '../src/tape/trade-tape';
import { quote, session, snapshot, tickBatch } from './series-fixtures';

/** A batch whose ticks alternate buy and sell, starting with `first`. */
function sidedBatch(ticks: ReadonlyArray<readonly [number, number, number]>, first: number) {
  const batch = tickBatch(ticks);
  for (let i = 0; i < batch.count; i++) batch.side[i] = i % 2 === 0 ? first : 1 - first;
  return batch;
}

function rows(tape: TradeTape) {
  return Array.from({ length: tape.size }, (_, i) => [
    tape.timeAt(i),
    tape.priceAt(i),
    tape.sizeAt(i),
    tape.sideAt(i),
  ]);
}

describe('TradeTape', () => {
  it('lists trades newest first, with their sides', () => {
    const tape = new TradeTape();
    tape.add(
      sidedBatch(
        [
          [1_000, 100, 5],
          [1_001, 101, 6],
        ],
        Side.Buy,
      ),
    );
    tape.add(sidedBatch([[1_002, 99, 7]], Side.Sell));
    expect(rows(tape)).toEqual([
      [1_002, 99, 7, Side.Sell],
      [1_001, 101, 6, Side.Sell],
      [1_000, 100, 5, Side.Buy],
    ]);
    expect(tape.meanSize()).toBe(6);
  });

  it('keeps the newest TAPE_CAPACITY trades', () => {
    const tape = new TradeTape();
    const count = TAPE_CAPACITY + 10;
    tape.add(tickBatch(Array.from({ length: count }, (_, i) => [i, 100, 1] as const)));
    expect(tape.size).toBe(TAPE_CAPACITY);
    expect(tape.timeAt(0)).toBe(count - 1);
    expect(tape.timeAt(TAPE_CAPACITY - 1)).toBe(10);
  });

  it('freezes a copy that stands still while trades keep coming', () => {
    const tape = new TradeTape();
    tape.add(sidedBatch([[1_000, 100, 1]], Side.Buy));
    const frozen = tape.freeze();
    tape.add(sidedBatch([[2_000, 200, 2]], Side.Sell));
    expect(frozen.size).toBe(1);
    expect(frozen.timeAt(0)).toBe(1_000);
    expect(tape.timeAt(0)).toBe(2_000);
  });
});

describe("a symbol series' tape", () => {
  it('starts from the chart snapshot’s recent trades and goes on with every batch', () => {
    const series = new SymbolSeries('BTC-USD');
    const history = snapshot({
      ticks: [
        [1_000, 100, 1],
        [1_100, 101, 2],
      ],
      session: session({ open: 100, high: 101, low: 100, last: 101, tradeCount: 2 }),
    });
    history.history.side[0] = Side.Sell;
    history.history.side[1] = Side.Buy;
    series.applySnapshot(history);
    series.applyBatch(sidedBatch([[1_200, 102, 3]], Side.Sell));
    expect(series.trades && rows(series.trades)).toEqual([
      [1_200, 102, 3, Side.Sell],
      [1_100, 101, 2, Side.Buy],
      [1_000, 100, 1, Side.Sell],
    ]);
    // A later snapshot (a reconnect) is the server's word on the recent trades: it replaces them.
    series.applySnapshot(snapshot({ ticks: [[5_000, 90, 4]] }));
    expect(series.trades?.size).toBe(1);
    expect(series.trades?.timeAt(0)).toBe(5_000);
  });

  it('has no tape in the quote view, which carries no trades', () => {
    const series = new SymbolSeries('ETH-USD');
    series.applyQuote(quote(1_000, 2_000));
    expect(series.trades).toBeNull();
  });
});
