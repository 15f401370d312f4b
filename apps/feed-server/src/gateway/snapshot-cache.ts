import {
  SharedFrame,
  View,
  createTickColumns,
  encodeSharedQuoteSnapshot,
  encodeSharedSnapshot,
} from '@ticker/protocol';
import type { SymbolHistory } from '../domain/symbol-history.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { ServerStats } from './server-stats.js';

/** 1 s closes in a quote snapshot: a one-minute sparkline, as the dashboard draws. */
export const QUOTE_SNAPSHOT_CLOSES = 60;

interface Entry {
  readonly frame: SharedFrame;
  /** The history version it was encoded at; -1 before the first encoding. */
  version: number;
}

/**
 * Encode once, fan out, for snapshots: each (symbol, view)'s snapshot is encoded at most once per
 * change of the symbol's history (a flush), into a frame that then answers any number of
 * requests, each with its own request id, without copying (see `SharedFrame`). Between flushes
 * the history holds exactly the batches sealed so far, so a snapshot taken from here is always
 * the one the next published batch continues.
 */
export class SnapshotCache {
  private readonly entries: Array<Entry | undefined>;
  private readonly scratchTicks = createTickColumns(2_048);

  constructor(
    private readonly histories: readonly SymbolHistory[],
    private readonly registry: TopicRegistry,
    private readonly stats: ServerStats,
  ) {
    this.entries = new Array<Entry | undefined>(histories.length * 2);
  }

  /** The current snapshot of the symbol in `view`; valid until the next call. */
  frame(index: number, view: View): SharedFrame {
    const history = this.histories[index];
    if (!history) throw new RangeError(`no history for symbol index ${index}`);
    const slot = index * 2 + view;
    let entry = this.entries[slot];
    if (!entry) {
      entry = { frame: new SharedFrame(view === View.Chart ? 16 * 1024 : 256), version: -1 };
      this.entries[slot] = entry;
    }
    if (entry.version !== history.version) {
      const { id } = this.registry.symbolAt(index);
      if (view === View.Chart)
        encodeSharedSnapshot(history.snapshot(id, this.scratchTicks), entry.frame);
      else encodeSharedQuoteSnapshot(history.quoteSnapshot(id, QUOTE_SNAPSHOT_CLOSES), entry.frame);
      entry.version = history.version;
      this.stats.snapshotsEncoded[view] += 1;
    }
    return entry.frame;
  }
}
