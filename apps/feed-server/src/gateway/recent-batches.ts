/** Batches kept per symbol: a second of flushes at the default 50 ms (REUSE_MS), and some. */
const KEPT_BATCHES = 24;

/** The smallest buffer a kept batch gets: most batches of one flush fit. */
const MIN_SLOT_BYTES = 256;

/** Bytes of released buffers kept for reuse, over all symbols. */
const SPARE_BYTES = 4 * 1024 * 1024;

/** One kept frame, in a buffer of its own that grows as needed and is reused. */
interface Slot {
  buffer: Uint8Array;
  length: number;
}

/**
 * Buffers let go by one symbol, for the next to keep batches in: symbols start and stop keeping
 * batches all the time (every subscribe, for a second), and taking buffers from here instead of
 * allocating keeps that from churning memory for the garbage collector.
 */
class SpareBuffers {
  private readonly buffers: Uint8Array[] = [];
  private bytes = 0;

  /** A buffer of at least `minBytes`. */
  take(minBytes: number): Uint8Array {
    const spare = this.buffers.pop();
    if (spare !== undefined) {
      this.bytes -= spare.length;
      if (spare.length >= minBytes) return spare;
    }
    return new Uint8Array(Math.max(MIN_SLOT_BYTES, minBytes * 2));
  }

  give(buffer: Uint8Array): void {
    if (this.bytes + buffer.length > SPARE_BYTES) return;
    this.buffers.push(buffer);
    this.bytes += buffer.length;
  }
}

/** One symbol's last batches, as published, with consecutive seqs up to the newest. */
class BatchRing {
  private readonly slots: Slot[] = [];
  private newest = -1;
  private newestSeq = -1;
  private count = 0;

  constructor(private readonly spares: SpareBuffers) {}

  record(seq: number, frame: Uint8Array): void {
    if (seq !== this.newestSeq + 1) this.count = 0; // a hole (nobody wanted it for a while): start over
    const position = (this.newest + 1) % KEPT_BATCHES;
    let slot = this.slots[position];
    if (!slot) {
      slot = { buffer: this.spares.take(frame.length), length: 0 };
      this.slots[position] = slot;
    } else if (slot.buffer.length < frame.length) {
      const outgrown = slot.buffer;
      slot.buffer = this.spares.take(frame.length);
      this.spares.give(outgrown);
    }
    slot.buffer.set(frame);
    slot.length = frame.length;
    this.newest = position;
    this.newestSeq = seq;
    this.count = Math.min(this.count + 1, KEPT_BATCHES);
  }

  /** Lets go of the kept frames, and gives their buffers back. */
  clear(): void {
    for (const slot of this.slots) this.spares.give(slot.buffer);
    this.slots.length = 0;
    this.newest = -1;
    this.newestSeq = -1;
    this.count = 0;
  }

  get empty(): boolean {
    return this.slots.length === 0;
  }

  /** The seq after the newest kept batch. */
  get next(): number {
    return this.newestSeq + 1;
  }

  /** Calls `visit` with every batch from `seq` on, oldest first; false (and no call) when some are gone. */
  forEachFrom(seq: number, visit: (frame: Uint8Array) => void): boolean {
    const wanted = this.newestSeq + 1 - seq;
    if (wanted < 0 || wanted > this.count) return false;
    for (let k = wanted; k > 0; k--) {
      const slot = this.slots[(this.newest - k + 1 + KEPT_BATCHES) % KEPT_BATCHES] as Slot;
      visit(slot.buffer.subarray(0, slot.length));
    }
    return true;
  }
}

/**
 * The last batches of each symbol, as their published frames. They let a snapshot encoded a few
 * flushes ago still serve: sent right after it, they bring the client up to the stream's
 * present, so a snapshot need not be encoded again at every flush (see SnapshotCache). Only a
 * symbol whose snapshot is being reused keeps its batches (a few KB each), and it lets them go
 * once it is not: the memory follows subscribe activity, not the size of the universe; their
 * buffers wait, up to SPARE_BYTES in all, for the next symbol to keep batches.
 */
export class RecentBatches {
  private readonly rings: BatchRing[];

  constructor(symbols: number) {
    const spares = new SpareBuffers();
    this.rings = Array.from({ length: symbols }, () => new BatchRing(spares));
  }

  record(index: number, seq: number, frame: Uint8Array): void {
    this.rings[index]?.record(seq, frame);
  }

  /** The symbol's batches need no keeping now: frees what was kept for it. */
  release(index: number): void {
    const ring = this.rings[index];
    if (ring && !ring.empty) ring.clear();
  }

  /**
   * Whether every batch of the symbol from `from` up to (not including) `to` is kept: what a
   * snapshot promising `from` needs to reach a history at `to`.
   */
  covers(index: number, from: number, to: number): boolean {
    const ring = this.rings[index];
    return ring !== undefined && ring.next === to && ring.forEachFrom(from, ignore);
  }

  /** Calls `visit` with each kept batch of the symbol from `seq` on, oldest first. */
  forEachFrom(index: number, seq: number, visit: (frame: Uint8Array) => void): void {
    this.rings[index]?.forEachFrom(seq, visit);
  }
}

function ignore(): void {}
