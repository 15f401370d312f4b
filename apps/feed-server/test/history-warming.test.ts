import { describe, expect, it } from 'vitest';
import { ByteWriter, encodeSnapshot } from '@ticker/protocol';
import { defaultUniverse } from '../src/config.js';
import { warmHistories } from '../src/domain/history-warming.js';
import type { ScheduleTurn } from '../src/domain/history-warming.js';
import { Market } from '../src/domain/market.js';

/** Turns run only when the test says so. */
function manualTurns(): { schedule: ScheduleTurn; waiting: () => number; runOne: () => void } {
  const queue: (() => void)[] = [];
  return {
    schedule: (task) => {
      queue.push(task);
      return {
        cancel: () => {
          const at = queue.indexOf(task);
          if (at >= 0) queue.splice(at, 1);
        },
      };
    },
    waiting: () => queue.length,
    runOne: () => {
      const task = queue.shift();
      if (!task) throw new Error('no turn is waiting');
      task();
    },
  };
}

/** A history that records when it was filled. */
function fakeHistory(fills: number[], id: number, deferred = true) {
  let waiting = deferred;
  return {
    fillIfDeferred(): boolean {
      if (!waiting) return false;
      waiting = false;
      fills.push(id);
      return true;
    },
  };
}

describe('warmHistories', () => {
  it('fills one deferred history per turn, in order, starting on a later turn', () => {
    const fills: number[] = [];
    const turns = manualTurns();
    warmHistories(
      [0, 1, 2].map((id) => fakeHistory(fills, id)),
      turns.schedule,
    );
    expect(fills).toEqual([]);
    turns.runOne();
    expect(fills).toEqual([0]);
    turns.runOne();
    expect(fills).toEqual([0, 1]);
    turns.runOne();
    expect(fills).toEqual([0, 1, 2]);
    expect(turns.waiting()).toBe(0);
  });

  it('passes histories a reader filled already without spending a turn on them', () => {
    const fills: number[] = [];
    const turns = manualTurns();
    const histories = [
      fakeHistory(fills, 0, false),
      fakeHistory(fills, 1, false),
      fakeHistory(fills, 2),
      fakeHistory(fills, 3, false),
    ];
    warmHistories(histories, turns.schedule);
    turns.runOne();
    expect(fills).toEqual([2]);
    turns.runOne(); // only filled ones are left: this turn finds nothing and ends the warming
    expect(turns.waiting()).toBe(0);
  });

  it('stops when told, leaving the rest to be filled when first read', () => {
    const fills: number[] = [];
    const turns = manualTurns();
    const stop = warmHistories(
      [0, 1, 2].map((id) => fakeHistory(fills, id)),
      turns.schedule,
    );
    turns.runOne();
    stop();
    expect(turns.waiting()).toBe(0);
    expect(fills).toEqual([0]);
  });

  it('fills the same history a first read would have', () => {
    const universe = defaultUniverse().slice(0, 6);
    const options = { universe, seed: 3, tickRate: 2_000, stockHours: null };
    const start = Date.UTC(2026, 3, 1, 12, 0, 0);
    const warmed = new Market({ ...options, startTime: start });
    const read = new Market({ ...options, startTime: start });
    const turns = manualTurns();
    warmHistories(warmed.histories, turns.schedule);
    let time = start;
    const flushBoth = (): void => {
      time += 50;
      for (const market of [warmed, read]) {
        market.flush(
          time,
          () => undefined,
          () => false,
        );
      }
    };
    // Warmed between flushes, one a turn; then both markets play on and are read alike.
    while (turns.waiting() > 0) {
      flushBoth();
      turns.runOne();
    }
    for (let i = 0; i < 20; i++) flushBoth();
    const writer = new ByteWriter(64 * 1024);
    const encoded = (market: Market, index: number, symbolId: number): string => {
      const history = market.histories[index];
      if (!history) throw new Error(`no history at ${index}`);
      const snapshot = { requestId: 0, ...history.snapshot(symbolId) };
      return Buffer.from(encodeSnapshot(snapshot, writer)).toString('hex');
    };
    for (const [index, symbol] of universe.entries()) {
      expect(encoded(warmed, index, symbol.id)).toBe(encoded(read, index, symbol.id));
    }
  });
});
