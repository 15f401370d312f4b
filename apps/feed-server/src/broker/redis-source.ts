import { randomUUID } from 'node:crypto';
import { ByteWriter, DecodeError, createTickColumns, encodeSnapshot } from '@ticker/protocol';
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
import { SourceLease } from './source-lease.js';
import { readPredecessor, resumePoint } from './source-resume.js';
import type { ResumePoint } from './source-resume.js';

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
  /** A new one, or the predecessor's when this source took over from it (see source-resume.ts). */
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
  let epoch: string = randomUUID();
  const stats = createBrokerStats();
  const entry = new FlushEntryWriter();
  const snapshotWriter = new ByteWriter(16 * 1024);
  const snapshotTicks = createTickColumns(2_048);
  const symbolCount = market.universe.length;
  const flushesPerRefresh = Math.max(1, Math.floor(SNAPSHOT_REFRESH_MS / options.flushIntervalMs));
  const snapshotsPerFlush = Math.ceil(symbolCount / flushesPerRefresh);
  const maxEntries = Math.ceil(options.replayMs / options.flushIntervalMs);
  let announced = false;
  /** Whether the market plays yet: once the source knows whether it takes over from another. */
  let started = false;
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
  const lease = new SourceLease(client);

  /** Who the source is, then every snapshot: what a gateway needs before the first entry. */
  async function announce(): Promise<void> {
    try {
      if (!started) await start();
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

  /**
   * Takes over from the source that last wrote to Redis when it can (it has stopped: its lease
   * was let go or lapsed; the same market; its last entry within the replay window): its epoch, its flush numbers and its sequence numbers go
   * on, and the market plays on from its last entry's time, so gateways and their clients see
   * a pause, then the outage's ticks, and no break. Otherwise a new epoch starts now, and the
   * predecessor's snapshots are deleted.
   */
  async function start(): Promise<void> {
    const predecessorStopped = await lease.acquire();
    if (!predecessorStopped) {
      logger.warn('another source is running on this Redis: starting a new epoch beside it', {});
    }
    const time = now();
    const resume = predecessorStopped ? await predecessorToResume(time) : null;
    if (resume === null) {
      const previous = await client.hGet(SOURCE_KEY, 'epoch');
      if (previous && previous !== epoch) await client.del(snapshotsKey(previous));
      market.resumeFrom(time, new Map());
    } else {
      epoch = resume.epoch;
      flushNumber = resume.flushNumber;
      lastEntryAt = resume.playedUntil;
      market.resumeFrom(resume.playedUntil, resume.nextSeqs);
      logger.info('took over from the previous source: its series go on', {
        epoch,
        flushNumber,
        outageMs: time - resume.playedUntil,
      });
    }
    started = true;
  }

  async function predecessorToResume(time: number): Promise<ResumePoint | null> {
    try {
      const predecessor = await readPredecessor(client);
      if (predecessor === null) return null;
      const symbolIds = market.universe.map((symbol) => symbol.id);
      return resumePoint(predecessor, symbolIds, options.marketIdentity, time, options.replayMs);
    } catch (error) {
      if (!(error instanceof DecodeError) && !(error instanceof RangeError)) throw error;
      logger.warn('could not read the previous source in Redis: starting a new epoch', {
        error: error.message,
      });
      return null;
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
    get epoch() {
      return epoch;
    },
    stats,

    flush() {
      if (!started) return;
      entry.reset();
      const time = now();
      market.flush(
        time,
        (_index, bytes) => {
          entry.add(bytes);
        },
        () => true,
      );
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
      lease.renew();
      const written = client.xAdd(
        FLUSHES_KEY,
        '*',
        { e: epoch, n: String(flushNumber), t: String(time), b: Buffer.from(entry.finish()) },
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

    async close() {
      await lease.release();
      link.close();
    },
  };
}
