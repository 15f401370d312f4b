import { View } from '@ticker/protocol';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { FeedSink } from '../feeds/market-feed.js';
import type { Publisher } from './peer.js';
import type { ServerStats } from './server-stats.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { SnapshotQueue } from './snapshot-queue.js';

/**
 * Where the feed's batches go: each symbol's chart topic, published natively once per flush
 * (a batch nobody subscribes to is not even encoded). A symbol a gateway restored after losing
 * batches gets one snapshot per view, encoded once, published to every live subscriber
 * (request id 0): their series restart from it; those still owed one get it from the queue.
 */
export function createFeedSink(
  publisher: Publisher,
  registry: TopicRegistry,
  cache: SnapshotCache,
  queue: SnapshotQueue,
  stats: ServerStats,
): FeedSink {
  return {
    wants: (index) => publisher.numSubscribers(registry.topic(index, View.Chart)) > 0,
    publish: (index, bytes) => {
      publisher.publish(registry.topic(index, View.Chart), bytes, true, false);
      stats.batchesPublished += 1;
      stats.bytesPublished += bytes.length;
    },
    resynced: (index) => {
      for (const view of [View.Chart, View.Quote]) {
        const topic = registry.topic(index, view);
        if (publisher.numSubscribers(topic) === 0) continue;
        publisher.publish(topic, cache.frame(index, view).frameFor(0), true, false);
        stats.snapshotsSent[view] += 1;
      }
      queue.wake();
    },
  };
}
