import {
  SharedFrame,
  View,
  createTickColumns,
  encodeSharedQuoteSnapshot,
  encodeSharedSnapshot,
} from '@ticker/protocol';
import type { SymbolHistory } from '../domain/symbol-history.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { RecentBatches } from './recent-batches.js';
import type { ServerStats } from './server-stats.js';

/** 1 s closes in a quote snapshot: a one-minute sparkline, as the dashboard draws. */
export const QUOTE_SNAPSHOT_CLOSES = 60;

/**
 * How long an encoded chart snapshot may go on serving, followed by the batches published
 * since: a second keeps a reconnect storm to one encoding per symbol per second (a full history
 * takes ~0.1 ms to encode, 500 symbols 50 ms: at every 50 ms flush that would be all of the CPU).
 */
const REUSE_MS = 1_000;

interface Entry {
  readonly frame: SharedFrame;
  /** The history version it was encoded at; -1 before the first encoding. */
  version: number;
  /** The history's restore count then: after a restore, the old series is no base. */
  restores: number;
  /** The snapshot's nextSeq: batches from it on bring it up to the present. */
  nextSeq: number;
  encodedAt: number;
}

/** A snapshot ready to send: its frame, then (chart view) the kept batches from `catchUpFrom` on. */
export interface CachedSnapshot {
  readonly frame: SharedFrame;
  /** Null when the frame is current; otherwise the seq from which kept batches must follow it. */
  readonly catchUpFrom: number | null;
}

/**
 * Encode once, fan out, for snapshots: each (symbol, view)'s snapshot is encoded into a frame
 * that answers any number of requests, each with its own request id, without copying (see
 * `SharedFrame`). A quote snapshot is encoded again when its history changed. A chart snapshot,
 * the costly one, is reused for up to REUSE_MS as long as every batch published since it is
 * kept (RecentBatches): sent right after it, they continue its series to the present, exactly
 * as a fresh snapshot would have. Between flushes the history holds exactly the batches sealed
 * so far, so the next published batch is always the one that follows.
 */
export class SnapshotCache {
  private readonly entries: Array<Entry | undefined>;
  private readonly scratchTicks = createTickColumns(2_048);

  constructor(
    private readonly histories: readonly SymbolHistory[],
    private readonly registry: TopicRegistry,
    private readonly recent: RecentBatches,
    private readonly stats: ServerStats,
    /** Milliseconds, for REUSE_MS. */
    private readonly clock: () => number,
  ) {
    this.entries = new Array<Entry | undefined>(histories.length * 2);
  }

  /**
   * The symbol's snapshot in `view`; valid until the next call. `reuse: false` asks for a current
   * one even where an older one could serve (worth it when it is about to be sent to many).
   */
  snapshot(index: number, view: View, reuse = true): CachedSnapshot {
    const history = this.historyOf(index);
    const entry = this.entryOf(index, view);
    if (entry.version === history.version) return { frame: entry.frame, catchUpFrom: null };
    if (reuse && view === View.Chart && this.reusable(index, entry, history)) {
      return { frame: entry.frame, catchUpFrom: entry.nextSeq };
    }
    this.encode(index, view, entry, history);
    return { frame: entry.frame, catchUpFrom: null };
  }

  /**
   * Whether the symbol's batches should be published even with nobody subscribed to them: its
   * chart snapshot is still being reused, and the batches since must be kept to follow it.
   */
  keepsBatches(index: number): boolean {
    const entry = this.entries[index * 2 + View.Chart];
    return entry !== undefined && this.clock() - entry.encodedAt < REUSE_MS;
  }

  private reusable(index: number, entry: Entry, history: SymbolHistory): boolean {
    return (
      entry.version >= 0 &&
      entry.restores === history.restores &&
      this.clock() - entry.encodedAt < REUSE_MS &&
      this.recent.covers(index, entry.nextSeq, history.nextSeq)
    );
  }

  private encode(index: number, view: View, entry: Entry, history: SymbolHistory): void {
    const { id } = this.registry.symbolAt(index);
    if (view === View.Chart) {
      encodeSharedSnapshot(history.snapshot(id, this.scratchTicks), entry.frame);
    } else {
      encodeSharedQuoteSnapshot(history.quoteSnapshot(id, QUOTE_SNAPSHOT_CLOSES), entry.frame);
    }
    entry.version = history.version;
    entry.restores = history.restores;
    entry.nextSeq = history.nextSeq;
    entry.encodedAt = this.clock();
    this.stats.snapshotsEncoded[view] += 1;
  }

  private historyOf(index: number): SymbolHistory {
    const history = this.histories[index];
    if (!history) throw new RangeError(`no history for symbol index ${index}`);
    return history;
  }

  private entryOf(index: number, view: View): Entry {
    const slot = index * 2 + view;
    let entry = this.entries[slot];
    if (!entry) {
      const frame = new SharedFrame(view === View.Chart ? 16 * 1024 : 256);
      entry = { frame, version: -1, restores: 0, nextSeq: 0, encodedAt: -Infinity };
      this.entries[slot] = entry;
    }
    return entry;
  }
}
