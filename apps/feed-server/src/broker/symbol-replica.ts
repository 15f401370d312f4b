import { createTickBatch, decodeTickBatch } from '@ticker/protocol';
import type { Snapshot, TickBatch } from '@ticker/protocol';
import { SymbolHistory } from '../domain/symbol-history.js';

/** Batches a broken series keeps while waiting for its snapshot (~2 refresh periods at 20/s). */
const MAX_PENDING_BATCHES = 256;

interface PendingBatch {
  readonly seq: number;
  readonly frame: Uint8Array;
}

/** What became of a batch from the stream. */
export type Received = 'applied' | 'replayed' | 'kept' | 'lost';

/**
 * A gateway's copy of one symbol's series, as the source publishes it through Redis: its
 * history, whether the copy is whole (synced), and, while it is not, the batches that arrive
 * meanwhile. A copy that breaks (batches lost) stops being trusted until a snapshot restores it;
 * the batches kept since then continue the snapshot's series, so no client sees a hole.
 */
export class SymbolReplica {
  readonly history: SymbolHistory;
  /** Whether the copy is whole and current: only then is it published and snapshotted. */
  synced = false;
  /** The nextSeq the copy had reached when it broke: a snapshot must be at least as new. */
  private floor = 0;
  private readonly pending: PendingBatch[] = [];
  /** Reused to decode kept batches when restoring. */
  private static readonly scratch: TickBatch = createTickBatch(256);

  constructor(startTime: number) {
    this.history = new SymbolHistory(startTime);
  }

  /** A batch from the stream (`frame` is its encoding, only valid during the call). */
  receive(batch: TickBatch, frame: Uint8Array): Received {
    if (!this.synced) {
      this.keep(batch.seq, frame);
      return 'kept';
    }
    if (batch.seq < this.history.nextSeq) return 'replayed';
    if (batch.seq > this.history.nextSeq) {
      this.break();
      this.keep(batch.seq, frame);
      return 'lost';
    }
    this.history.append(batch);
    return 'applied';
  }

  /** Stops trusting (and publishing) the copy until a snapshot restores it. */
  break(): void {
    if (this.synced) this.floor = this.history.nextSeq;
    this.synced = false;
    this.pending.length = 0;
  }

  /** A new source numbers its batches from 0: any snapshot of it is new enough. */
  forgetFloor(): void {
    this.floor = 0;
  }

  /**
   * Takes the source's snapshot if it is at least as new as what the copy had before it broke
   * and reaches the oldest batch kept since; the kept batches from its `nextSeq` on continue the
   * series. Returns the kept batches (and their ticks) applied, or null when the snapshot is too
   * old (the source's next refresh brings a newer one).
   */
  restore(snapshot: Snapshot): { batches: number; ticks: number } | null {
    const oldest = this.pending[0];
    if (snapshot.nextSeq < this.floor) return null;
    if (oldest && snapshot.nextSeq < oldest.seq) return null;
    const { history } = this;
    history.restore(snapshot);
    let ticks = 0;
    let batches = 0;
    const batch = SymbolReplica.scratch;
    for (const kept of this.pending) {
      if (kept.seq < history.nextSeq) continue;
      if (kept.seq > history.nextSeq) break; // lost again inside what was kept: the next check catches it
      decodeTickBatch(kept.frame, batch);
      history.append(batch);
      ticks += batch.count;
      batches += 1;
    }
    this.pending.length = 0;
    this.synced = true;
    return { batches, ticks };
  }

  private keep(seq: number, frame: Uint8Array): void {
    if (this.pending.length >= MAX_PENDING_BATCHES) this.pending.shift();
    this.pending.push({ seq, frame: frame.slice() });
  }
}
