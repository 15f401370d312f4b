import { randomUUID } from 'node:crypto';
import { ByteWriter, createTickColumns, encodeSnapshot } from '@ticker/protocol';
import type { Market } from '../domain/market.js';
import { createBrokerStats } from '../feeds/market-feed.js';
import type { BrokerStats } from '../feeds/market-feed.js';
import type { Logger } from '../logger.js';
import {
  FLUSHES_KEY,
  FlushEntryWriter,
  SNAPSHOT_REFRESH_MS,
  SOURCE_KEY,
  connectBroker,
  redactUrl,
  snapshotsKey,
} from './redis-layout.js';

export interface RedisSourceOptions {
  readonly url: string;
  readonly market: Market;
  /** The encoded symbol directory frame, for gateways to check against their own. */
  readonly directory: Uint8Array;
  /** The market's identity (marketIdentity): gateways draw history from theirs only if equal. */
  readonly marketIdentity: string;
  readonly flushIntervalMs: number;
  /** How much of the stream Redis keeps for gateways that join late or reconnect. */
  readonly replayMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface RedisSource {
  readonly epoch: string;
  readonly stats: BrokerStats;
  /** Generates up to now and writes the flush to Redis (or counts it dropped). */
  flush(): void;
  unavailableReason(): string | null;
  close(): Promise<void>;
}

/**
 * Stream entries written but not yet confirmed beyond which flushes are dropped rather than
 * queued: Redis is too slow or gone, and memory must not grow while it is (about 3 s).
 */
const MAX_UNCONFIRMED_FLUSHES = 64;

/**
 * While nothing trades, a flush has nothing to write, yet an empty entry goes out this often:
 * gateways then tell a quiet market (entries keep coming) from a source that stopped (they
 * don't), whatever the tick rate.
 */
export const IDLE_ENTRY_MS = 1_000;

/**
 * The `source` role's link to Redis: each flush, every topic's batch is encoded once and the
 * lot written as one stream entry; a few symbols' snapshots are refreshed alongside, so every
 * snapshot is at most SNAPSHOT_REFRESH_MS old. After each (re)connect, the source announces
 * itself and rewrites every snapshot at once, in case Redis lost them.
 */
export function createRedisSource(options: RedisSourceOptions): RedisSource {
  const { market, logger, url } = options;
  const now = options.now ?? Date.now;
  const epoch = randomUUID();
  const stats = createBrokerStats();
  const entry = new FlushEntryWriter();
  const snapshotWriter = new ByteWriter(16 * 1024);
  const snapshotTicks = createTickColumns(2_048);
  const symbolCount = market.universe.length;
  const flushesPerRefresh = Math.max(1, Math.floor(SNAPSHOT_REFRESH_MS / options.flushIntervalMs));
  const snapshotsPerFlush = Math.ceil(symbolCount / flushesPerRefresh);
  const maxEntries = Math.ceil(options.replayMs / options.flushIntervalMs);
  let announced = false;
  let previousEpochCleared = false;
  let nextSnapshot = 0;
  /** Numbers every flush written or dropped: a jump tells gateways some were lost. */
  let flushNumber = 0;
  /** When the last entry was written (or dropped), by the market's clock. */
  let lastEntryAt = -Infinity;
  let unconfirmed = 0;
  let failing = false;

  const link = connectBroker(url, logger, (connected) => {
    stats.connected = connected;
    if (connected) {
      void announce();
    } else {
      announced = false;
      stats.disconnects += 1;
    }
  });
  const { client } = link;

  /** Who the source is, then every snapshot: what a gateway needs before the first entry. */
  async function announce(): Promise<void> {
    try {
      if (!previousEpochCleared) {
        const previous = await client.hGet(SOURCE_KEY, 'epoch');
        if (previous && previous !== epoch) await client.del(snapshotsKey(previous));
        previousEpochCleared = true;
      }
      await client.hSet(SOURCE_KEY, {
        epoch,
        startTime: String(market.startTime),
        directory: Buffer.from(options.directory),
        market: options.marketIdentity,
      });
      await writeSnapshots(0, symbolCount);
      announced = true;
      failing = false;
      logger.info('publishing the market to Redis', {
        url: redactUrl(url),
        epoch,
        replayEntries: maxEntries,
      });
    } catch (error) {
      // The link dropped again; the next 'ready' announces once more.
      logger.warn('could not announce the source to Redis', { error: (error as Error).message });
    }
  }

  function writeSnapshots(from: number, count: number): Promise<unknown> {
    const fields: Record<string, Buffer> = {};
    for (let k = 0; k < count; k++) {
      const index = (from + k) % symbolCount;
      const symbol = market.universe[index];
      const history = market.histories[index];
      if (!symbol || !history) continue;
      const snapshot = { requestId: 0, ...history.snapshot(symbol.id, snapshotTicks) };
      fields[String(symbol.id)] = Buffer.from(encodeSnapshot(snapshot, snapshotWriter));
    }
    return client.hSet(snapshotsKey(epoch), fields);
  }

  function dropped(reason: string, error?: Error): void {
    stats.droppedFlushes += 1;
    if (!failing) {
      failing = true;
      logger.warn('dropping flushes until Redis takes them again', {
        reason,
        ...(error ? { error: error.message } : {}),
      });
    }
  }

  return {
    epoch,
    stats,

    flush() {
      entry.reset();
      market.flush(
        now(),
        (_index, bytes) => {
          entry.add(bytes);
        },
        () => true,
      );
      const time = now();
      if (entry.count === 0 && time - lastEntryAt < IDLE_ENTRY_MS) return;
      lastEntryAt = time;
      flushNumber += 1;
      if (!announced || !client.isReady) {
        dropped('not connected');
        return;
      }
      if (unconfirmed >= MAX_UNCONFIRMED_FLUSHES) {
        dropped('Redis is not keeping up');
        return;
      }
      unconfirmed += 1;
      const written = client.xAdd(
        FLUSHES_KEY,
        '*',
        { e: epoch, n: String(flushNumber), b: Buffer.from(entry.finish()) },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: maxEntries } },
      );
      // Queued behind the entry on the same connection, so a snapshot never runs ahead of it.
      const refreshed = writeSnapshots(nextSnapshot, snapshotsPerFlush);
      nextSnapshot = (nextSnapshot + snapshotsPerFlush) % symbolCount;
      Promise.all([written, refreshed]).then(
        () => {
          unconfirmed -= 1;
          stats.entries += 1;
          stats.lastEntryAt = now();
          failing = false;
        },
        (error: unknown) => {
          unconfirmed -= 1;
          dropped('write failed', error as Error);
        },
      );
    },

    unavailableReason() {
      if (!stats.connected) return `Redis unreachable at ${redactUrl(url)}`;
      if (!announced) return 'announcing the market to Redis';
      return null;
    },

    close() {
      link.close();
      return Promise.resolve();
    },
  };
}
