import { describe, expect, it } from 'vitest';
import { Side, decodeTickBatch } from '@ticker/protocol';
import { Batcher } from '../src/domain/batcher.js';

interface Published {
  index: number;
  seq: number;
  count: number;
  prices: number[];
}

function collect(batcher: Batcher, isWanted: (index: number) => boolean = () => true): Published[] {
  const out: Published[] = [];
  batcher.flush((index, bytes) => {
    const batch = decodeTickBatch(bytes.slice());
    out.push({
      index,
      seq: batch.seq,
      count: batch.count,
      prices: Array.from(batch.price.subarray(0, batch.count)),
    });
  }, isWanted);
  return out;
}

describe('Batcher', () => {
  it('publishes each topic with ticks once per flush, in order, with consecutive sequence numbers', () => {
    const batcher = new Batcher([10, 20, 30]);
    batcher.addTick(0, 100, 1, 1000, Side.Buy);
    batcher.addTick(2, 300, 1, 1000, Side.Sell);
    batcher.addTick(0, 101, 2, 1001, Side.Sell);
    expect(collect(batcher)).toEqual([
      { index: 0, seq: 0, count: 2, prices: [100, 101] },
      { index: 2, seq: 0, count: 1, prices: [300] },
    ]);
    batcher.addTick(0, 102, 1, 1002, Side.Buy);
    expect(collect(batcher)).toEqual([{ index: 0, seq: 1, count: 1, prices: [102] }]);
    expect(collect(batcher)).toEqual([]);
  });

  it('skips encoding for unwanted topics but still advances their sequence', () => {
    const batcher = new Batcher([10, 20]);
    batcher.addTick(1, 5, 1, 1, Side.Buy);
    expect(collect(batcher, () => false)).toEqual([]);
    expect(batcher.nextSequence(1)).toBe(1);
    batcher.addTick(1, 6, 1, 2, Side.Buy);
    expect(collect(batcher)).toEqual([{ index: 1, seq: 1, count: 1, prices: [6] }]);
  });

  it('splits a burst larger than the batch limit into consecutive batches', () => {
    const sealed: Array<[number, number]> = [];
    const batcher = new Batcher([10], {
      maxTicksPerBatch: 4,
      onSealed: (_index, batch) => sealed.push([batch.seq, batch.count]),
    });
    for (let i = 0; i < 10; i++) batcher.addTick(0, 100 + i, 1, 1000 + i, Side.Buy);
    const published = collect(batcher);
    expect(published.map((p) => [p.seq, p.count])).toEqual([
      [0, 4],
      [1, 4],
      [2, 2],
    ]);
    expect(published.flatMap((p) => p.prices)).toEqual(
      Array.from({ length: 10 }, (_, i) => 100 + i),
    );
    expect(batcher.nextSequence(0)).toBe(3);
    expect(sealed).toEqual([
      [0, 4],
      [1, 4],
      [2, 2],
    ]);
  });
});
