import { describe, expect, it } from 'vitest';
import { RecentBatches } from '../src/gateway/recent-batches.js';

/** A frame whose bytes say which symbol and seq it is, `length` bytes long. */
function frame(index: number, seq: number, length = 8): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) bytes[k] = (index * 31 + seq * 7 + k) & 0xff;
  return bytes;
}

function keptFrom(recent: RecentBatches, index: number, seq: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  recent.forEachFrom(index, seq, (bytes) => frames.push(Uint8Array.from(bytes)));
  return frames;
}

describe('RecentBatches', () => {
  it('gives back the batches from a seq on, oldest first, exactly as recorded', () => {
    const recent = new RecentBatches(2);
    for (let seq = 10; seq < 15; seq++) recent.record(0, seq, frame(0, seq, 5 + seq));
    expect(keptFrom(recent, 0, 12)).toEqual([frame(0, 12, 17), frame(0, 13, 18), frame(0, 14, 19)]);
    expect(recent.covers(0, 12, 15)).toBe(true);
    expect(recent.covers(0, 9, 15)).toBe(false); // seq 9 was never kept
    expect(recent.covers(0, 12, 16)).toBe(false); // the history is past the newest kept batch
    expect(recent.covers(1, 0, 1)).toBe(false); // nothing kept for symbol 1
  });

  it('keeps the last 24 batches only', () => {
    const recent = new RecentBatches(1);
    for (let seq = 0; seq < 30; seq++) recent.record(0, seq, frame(0, seq));
    expect(recent.covers(0, 6, 30)).toBe(true);
    expect(recent.covers(0, 5, 30)).toBe(false);
    expect(keptFrom(recent, 0, 28)).toEqual([frame(0, 28), frame(0, 29)]);
  });

  it('starts over after a hole in the seqs', () => {
    const recent = new RecentBatches(1);
    for (let seq = 0; seq < 5; seq++) recent.record(0, seq, frame(0, seq));
    recent.record(0, 9, frame(0, 9));
    expect(recent.covers(0, 9, 10)).toBe(true);
    expect(recent.covers(0, 4, 10)).toBe(false);
  });

  it('forgets a released symbol, and another reusing its buffers sees only its own bytes', () => {
    const recent = new RecentBatches(2);
    for (let seq = 0; seq < 24; seq++) recent.record(0, seq, frame(0, seq, 200));
    recent.release(0);
    expect(recent.covers(0, 23, 24)).toBe(false);
    expect(keptFrom(recent, 0, 23)).toEqual([]);

    // Shorter frames in the released, longer buffers; then frames that outgrow them.
    for (let seq = 0; seq < 24; seq++) recent.record(1, seq, frame(1, seq, 3));
    expect(keptFrom(recent, 1, 22)).toEqual([frame(1, 22, 3), frame(1, 23, 3)]);
    for (let seq = 24; seq < 48; seq++) recent.record(1, seq, frame(1, seq, 700));
    expect(keptFrom(recent, 1, 46)).toEqual([frame(1, 46, 700), frame(1, 47, 700)]);
    expect(recent.covers(1, 24, 48)).toBe(true);
  });
});
