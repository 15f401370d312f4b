import { describe, expect, it } from 'vitest';
import { createTickBatch, encodeSnapshot, encodeTickBatch, decodeSnapshot } from '@ticker/protocol';
import type { TickBatch } from '@ticker/protocol';
import { StreamCursor } from '../src/broker/stream-cursor.js';
import { SymbolReplica } from '../src/broker/symbol-replica.js';
import { SymbolHistory } from '../src/domain/symbol-history.js';

const START = 1_732_200_000_000;

function batch(seq: number): TickBatch {
  const b = createTickBatch(1);
  b.symbolId = 1;
  b.seq = seq;
  b.baseTime = START + seq * 50;
  b.count = 1;
  b.price[0] = 1_000 + seq;
  b.size[0] = 1;
  b.time[0] = START + seq * 50;
  return b;
}

/** The source's side: a history fed every batch, and its snapshot as Redis keeps it. */
function sourceSnapshotAfter(seqs: number) {
  const source = new SymbolHistory(START);
  for (let seq = 0; seq < seqs; seq++) source.append(batch(seq));
  return decodeSnapshot(encodeSnapshot({ requestId: 0, ...source.snapshot(1) }).slice());
}

const receive = (replica: SymbolReplica, seq: number) => {
  const b = batch(seq);
  return replica.receive(b, encodeTickBatch(b).slice());
};

describe('SymbolReplica', () => {
  it('keeps batches until a snapshot restores it, then continues from the snapshot with them', () => {
    const replica = new SymbolReplica(START);
    expect([10, 11, 12].map((seq) => receive(replica, seq))).toEqual(['kept', 'kept', 'kept']);
    expect(replica.restore(sourceSnapshotAfter(11))).toEqual({ batches: 2, ticks: 2 });
    expect(replica.synced).toBe(true);
    expect(replica.history.nextSeq).toBe(13);
    expect(receive(replica, 12)).toBe('replayed');
    expect(receive(replica, 13)).toBe('applied');
  });

  it('breaks on a hole, and takes no snapshot older than what it had', () => {
    const replica = new SymbolReplica(START);
    replica.restore(sourceSnapshotAfter(5));
    expect(receive(replica, 5)).toBe('applied');
    expect(receive(replica, 8)).toBe('lost');
    expect(replica.synced).toBe(false);
    expect(replica.restore(sourceSnapshotAfter(4))).toBeNull(); // older than seq 6, where it broke
    expect(replica.restore(sourceSnapshotAfter(7))).toBeNull(); // batch 7 would be missing before kept 8
    expect(replica.restore(sourceSnapshotAfter(8))).toEqual({ batches: 1, ticks: 1 });
    expect(replica.history.nextSeq).toBe(9);
  });
});

describe('StreamCursor', () => {
  it('follows flush numbers and says when some were lost', () => {
    const cursor = new StreamCursor();
    expect([7, 8, 9].map((n) => cursor.follows(n))).toEqual([true, true, true]);
    expect(cursor.follows(11)).toBe(false);
    expect(cursor.follows(12)).toBe(true);
    cursor.restart();
    expect(cursor.follows(0)).toBe(true);
  });

  it('reads the stream from the start when Redis numbers entries below where it was', () => {
    const cursor = new StreamCursor();
    cursor.lastId = '1732200000000-5';
    cursor.check('1732200000001-0');
    expect(cursor.lastId).toBe('1732200000000-5');
    cursor.check('1732100000000-0'); // a Redis that restarted with an older clock
    expect(cursor.lastId).toBe('0');
    cursor.lastId = '5-0';
    cursor.check(undefined); // an empty stream
    expect(cursor.lastId).toBe('0');
    expect(cursor.checked).toBe(true);
  });
});
