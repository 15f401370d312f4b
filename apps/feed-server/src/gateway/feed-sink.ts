import { View } from '@ticker/protocol';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { FeedSink } from '../feeds/market-feed.js';
import type { Publisher } from './peer.js';
import type { ServerStats } from './server-stats.js';
import type { SymbolHistory } from '../domain/symbol-history.js';
import type { RecentBatches } from './recent-batches.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { SnapshotQueue } from './snapshot-queue.js';

export interface FeedSinkOptions {
  readonly publisher: Publisher;
  readonly registry: TopicRegistry;
  readonly histories: readonly SymbolHistory[];
  readonly cache: SnapshotCache;
  readonly recent: RecentBatches;
  readonly queue: SnapshotQueue;
  readonly stats: ServerStats;
  /** After each flush: what goes out with its batches. */
  readonly afterFlush: () => void;
}

/**
 * Where the feed's batches go: each symbol's chart topic, published natively once per flush (a
 * batch nobody subscribes to, and no snapshot needs, is not even encoded), and kept a while for
 * snapshots that are reused (RecentBatches). A symbol a gateway restored after losing batches
 * gets one snapshot per view, encoded once, published to every live subscriber (request id 0):
 * their series restart from it; those still owed one get it from the queue.
 */
export function createFeedSink(options: FeedSinkOptions): FeedSink {
  const { publisher, registry, histories, cache, recent, queue, stats, afterFlush } = options;
  return {
    wants: (index) =>
      publisher.numSubscribers(registry.topic(index, View.Chart)) > 0 || cache.keepsBatches(index),
    publish: (index, bytes) => {
      publisher.publish(registry.topic(index, View.Chart), bytes, true, false);
      // Kept while its snapshot is reused. Published right after it was appended: the
      // history's nextSeq follows this batch.
      if (cache.keepsBatches(index))
        recent.record(index, (histories[index]?.nextSeq ?? 0) - 1, bytes);
      else recent.release(index);
      stats.batchesPublished += 1;
      stats.bytesPublished += bytes.length;
    },
    resynced: (index) => {
      for (const view of [View.Chart, View.Quote]) {
        const topic = registry.topic(index, view);
        if (publisher.numSubscribers(topic) === 0) continue;
        // Restored: the cache encodes afresh (its history's restore count changed).
        publisher.publish(topic, cache.snapshot(index, view).frame.frameFor(0), true, false);
        stats.snapshotsSent[view] += 1;
      }
      queue.wake();
    },
    flushed: afterFlush,
  };
}
