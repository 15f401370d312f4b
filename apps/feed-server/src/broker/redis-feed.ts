import { RESP_TYPES } from 'redis';
import { DecodeError, createTickBatch, decodeSnapshot, decodeTickBatch } from '@ticker/protocol';
import { SymbolHistory } from '../domain/symbol-history.js';
import { TopicRegistry } from '../domain/topic-registry.js';
import type { SymbolSpec } from '../domain/universe.js';
import { createBrokerStats } from '../feeds/market-feed.js';
import type { FeedSink, MarketFeed } from '../feeds/market-feed.js';
import type { Logger } from '../logger.js';
import {
  FLUSHES_KEY,
  SOURCE_KEY,
  connectBroker,
  forEachFrame,
  redactUrl,
  snapshotsKey,
} from './redis-layout.js';

export interface RedisFeedOptions {
  readonly url: string;
  readonly universe: readonly SymbolSpec[];
  /** This gateway's encoded symbol directory: the source's must be the same. */
  readonly directory: Uint8Array;
  readonly logger: Logger;
}

/** Stream entries read per round trip: bounds what one read holds while replaying. */
const ENTRIES_PER_READ = 256;
/** How long one blocking read waits for the next entry before the loop looks around. */
const READ_BLOCK_MS = 1_000;
/** How often symbols waiting for a snapshot ask Redis again (they are refreshed every 5 s). */
const SNAPSHOT_RETRY_MS = 1_000;
/** Batches a broken series keeps while waiting for its snapshot (~2 refresh periods at 20/s). */
const MAX_PENDING_BATCHES = 256;
/** Pause before trying again after Redis answered with something unusable. */
const RETRY_MS = 1_000;

/** XREAD's answer for one stream, with strings mapped to Buffers; null when nothing came. */
type StreamReply = Array<{
  readonly messages: Array<{
    readonly id: Buffer;
    readonly message: Partial<Record<'e' | 'n' | 'b', Buffer>>;
  }>;
}> | null;

interface PendingBatch {
  readonly seq: number;
  readonly frame: Uint8Array;
}

/** Where the gateway stands with the source, for /readyz. */
type Phase = 'connecting' | 'no source' | 'directory mismatch' | 'replaying' | 'restoring' | 'live';

/**
 * The `gateway` role's market: the source's stream from Redis. Each symbol's history is kept
 * here from the batches, so snapshots are served locally. The copy is trusted only while it is
 * whole: when flushes are lost (the source could not write during an outage, Redis restarted
 * empty, this gateway fell behind the replay window, a new source took over), the symbols are
 * restored from the source's snapshots in Redis and their subscribers get that snapshot
 * (`FeedSink.resynced`), so no client goes on with a series that has a hole in it.
 */
export function createRedisFeed(options: RedisFeedOptions): MarketFeed {
  const { logger, url, universe } = options;
  const registry = new TopicRegistry(universe);
  const histories = universe.map(() => new SymbolHistory(Date.now()));
  const synced = new Uint8Array(universe.length);
  /** Per symbol, the nextSeq its copy had reached when it broke: a snapshot must be as new. */
  const floor = new Float64Array(universe.length);
  const pending: PendingBatch[][] = universe.map(() => []);
  const stats = { ticks: 0, batches: 0 };
  const broker = createBrokerStats();
  const batch = createTickBatch(256);
  const knownStaleEpochs = new Set<string>();
  let sink: FeedSink | null = null;
  let epoch: string | null = null;
  let lastId = '0'; // the whole retained stream, at first
  /** The number the source's next flush carries; null until the first entry of an epoch. */
  let nextFlush: number | null = null;
  let phase: Phase = 'connecting';
  let unsyncedCount = universe.length;
  let lastSnapshotFetch = 0;
  /** False after the reader (re)connects, until `lastId` is checked against the stream. */
  let positionChecked = false;
  let stopped = false;
  /** Read through a call: `stop()` may set it while the loop awaits. */
  const isStopped = (): boolean => stopped;
  let loop: Promise<void> | null = null;
  let lastRefusal = '';

  const onChange = (connected: boolean): void => {
    broker.connected = commands.client.isReady && reader.client.isReady;
    if (!connected) broker.disconnects += 1;
  };
  // Blocking reads get their own connection, so snapshot lookups never wait behind them.
  const commands = connectBroker(url, logger, onChange);
  const reader = connectBroker(url, logger, (connected) => {
    if (connected) positionChecked = false;
    onChange(connected);
  });
  const binary = (link: typeof commands) =>
    link.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

  async function run(): Promise<void> {
    while (!stopped) {
      try {
        await Promise.all([commands.ready(), reader.ready()]);
        if (isStopped()) return;
        if (epoch === null && !(await adoptSource())) {
          await delay(RETRY_MS);
          continue;
        }
        if (!positionChecked) await checkPosition();
        // Before reading on: restored symbols skip the batches their snapshot already holds.
        if (unsyncedCount > 0 && Date.now() - lastSnapshotFetch >= SNAPSHOT_RETRY_MS) {
          await fetchSnapshots();
        }
        await readEntries();
        lastRefusal = '';
      } catch (error) {
        if (isStopped()) return;
        // Lost the link mid-command (the clients reconnect by themselves: not worth a warning),
        // or Redis refused while connected (said once per distinct refusal).
        const message = (error as Error).message;
        if (commands.client.isReady && reader.client.isReady) {
          if (message !== lastRefusal)
            logger.warn('Redis refused a read; retrying', { error: message });
          lastRefusal = message;
          await delay(RETRY_MS);
        } else {
          logger.debug('Redis read interrupted', { error: message });
        }
      }
    }
  }

  /** Reads who the source is; false (with the reason in `phase`) if there is none to follow. */
  async function adoptSource(expected?: string): Promise<boolean> {
    const source = await binary(commands).hGetAll(SOURCE_KEY);
    const announced = source.epoch?.toString();
    if (announced === undefined) {
      phase = 'no source';
      return false;
    }
    if (expected !== undefined && announced !== expected) return false;
    if (!source.directory?.equals(options.directory)) {
      if (phase !== 'directory mismatch') {
        logger.error(
          'the source in Redis publishes other symbols than this gateway serves: give both the same UNIVERSE_FILE',
          { epoch: announced },
        );
      }
      phase = 'directory mismatch';
      return false;
    }
    if (epoch !== null) {
      logger.warn('a new market source took over: restoring every symbol', { epoch: announced });
    }
    epoch = announced;
    nextFlush = null;
    breakAll();
    floor.fill(0); // a new source numbers its batches from 0
    phase = phase === 'live' ? 'restoring' : 'replaying';
    lastSnapshotFetch = 0;
    return true;
  }

  async function readEntries(): Promise<void> {
    const reply = (await binary(reader).xRead(
      { key: FLUSHES_KEY, id: lastId },
      { COUNT: ENTRIES_PER_READ, BLOCK: READ_BLOCK_MS },
    )) as StreamReply;
    const entries = reply?.[0]?.messages ?? [];
    for (const { id, message } of entries) {
      lastId = id.toString();
      const entryEpoch = message.e?.toString();
      if (entryEpoch !== epoch && !(await switchedTo(entryEpoch))) continue;
      checkFlushNumber(Number(message.n?.toString()));
      if (message.b) applyEntry(message.b);
      broker.entries += 1;
      broker.lastEntryAt = Date.now();
    }
    if (entries.length < ENTRIES_PER_READ && phase === 'replaying') phase = 'restoring';
    if (phase === 'restoring' && unsyncedCount === 0) {
      phase = 'live';
      logger.info('gateway is live', { epoch, lastId });
    }
  }

  /** An entry from another source: a newer one takes over; a stale one is skipped. */
  async function switchedTo(entryEpoch: string | undefined): Promise<boolean> {
    if (entryEpoch === undefined || knownStaleEpochs.has(entryEpoch)) return false;
    if (await adoptSource(entryEpoch)) return true;
    knownStaleEpochs.add(entryEpoch);
    return false;
  }

  /** Flushes are numbered without holes; a hole means lost batches, in any symbol. */
  function checkFlushNumber(number: number): void {
    if (!Number.isSafeInteger(number)) return; // unreadable: the batches' seqs still guard
    if (nextFlush !== null && number !== nextFlush) {
      logger.warn('flushes lost (Redis outage or restart, or this gateway fell behind)', {
        expected: nextFlush,
        received: number,
      });
      broker.gaps += 1;
      breakAll();
    }
    nextFlush = number + 1;
  }

  function applyEntry(entry: Uint8Array): void {
    try {
      forEachFrame(entry, applyFrame);
    } catch (error) {
      if (!(error instanceof DecodeError) && !(error instanceof RangeError)) throw error;
      logger.error('skipped an unreadable stream entry', { error: error.message });
    }
  }

  function applyFrame(frame: Uint8Array): void {
    decodeTickBatch(frame, batch);
    const index = registry.indexOfId(batch.symbolId);
    if (index === undefined) throw new RangeError(`unknown symbol id ${batch.symbolId}`);
    const history = histories[index] as SymbolHistory;
    if (synced[index] === 0) {
      keepPending(index, batch.seq, frame);
      return;
    }
    if (batch.seq < history.nextSeq) return; // replayed twice
    if (batch.seq > history.nextSeq) {
      logger.warn('batches lost; restoring the symbol from its snapshot', {
        symbolId: batch.symbolId,
        expected: history.nextSeq,
        received: batch.seq,
      });
      broker.gaps += 1;
      breakSeries(index);
      keepPending(index, batch.seq, frame);
      return;
    }
    history.append(batch);
    stats.ticks += batch.count;
    stats.batches += 1;
    if (sink?.wants(index)) sink.publish(index, frame);
  }

  function breakAll(): void {
    for (let index = 0; index < universe.length; index++) breakSeries(index);
  }

  /** Stops trusting (and publishing) the symbol's copy until a snapshot restores it. */
  function breakSeries(index: number): void {
    if (synced[index] === 1) {
      unsyncedCount += 1;
      floor[index] = (histories[index] as SymbolHistory).nextSeq;
    }
    synced[index] = 0;
    (pending[index] as PendingBatch[]).length = 0;
  }

  /**
   * A Redis that restarted empty, or on a clock behind the old one, numbers its new entries
   * below `lastId`: read its stream from the start then (the flush numbers show what was lost).
   */
  async function checkPosition(): Promise<void> {
    const newest = (await binary(commands).xRevRange(FLUSHES_KEY, '+', '-', { COUNT: 1 }))?.[0];
    if (!newest || compareIds(newest.id.toString(), lastId) < 0) lastId = '0';
    positionChecked = true;
  }

  function keepPending(index: number, seq: number, frame: Uint8Array): void {
    const list = pending[index] as PendingBatch[];
    if (list.length >= MAX_PENDING_BATCHES) list.shift();
    list.push({ seq, frame: frame.slice() });
  }

  async function fetchSnapshots(): Promise<void> {
    lastSnapshotFetch = Date.now();
    const fetchEpoch = epoch;
    if (fetchEpoch === null) return;
    const waiting: number[] = [];
    for (let index = 0; index < universe.length; index++)
      if (synced[index] === 0) waiting.push(index);
    const ids = waiting.map((index) => String(registry.symbolAt(index).id));
    const snapshots = await binary(commands).hmGet(snapshotsKey(fetchEpoch), ids);
    if (epoch !== fetchEpoch) return; // the source changed meanwhile
    waiting.forEach((index, k) => {
      const bytes = snapshots[k];
      if (bytes && synced[index] === 0) restore(index, bytes);
    });
    if (unsyncedCount === 0 && phase === 'live') logger.info('every symbol restored');
  }

  /**
   * Takes the source's snapshot if it is at least as new as what this copy had before it broke
   * and reaches the oldest batch kept since; the kept batches from its `nextSeq` on continue
   * the series. An older snapshot waits for the source's next refresh.
   */
  function restore(index: number, bytes: Uint8Array): void {
    let snapshot;
    try {
      snapshot = decodeSnapshot(bytes);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      logger.error('skipped an unreadable snapshot in Redis', {
        symbolId: registry.symbolAt(index).id,
        error: error.message,
      });
      return;
    }
    const list = pending[index] as PendingBatch[];
    const oldest = list[0];
    if (snapshot.nextSeq < (floor[index] as number)) return;
    if (oldest && snapshot.nextSeq < oldest.seq) return;
    const history = histories[index] as SymbolHistory;
    history.restore(snapshot);
    for (const kept of list) {
      if (kept.seq < history.nextSeq) continue;
      if (kept.seq > history.nextSeq) break; // lost again inside what was kept: the next check catches it
      decodeTickBatch(kept.frame, batch);
      history.append(batch);
      stats.ticks += batch.count;
      stats.batches += 1;
    }
    list.length = 0;
    synced[index] = 1;
    unsyncedCount -= 1;
    broker.restores += 1;
    sink?.resynced(index);
  }

  function compareIds(a: string, b: string): number {
    const [aTime = 0, aSeq = 0] = a.split('-').map(Number);
    const [bTime = 0, bSeq = 0] = b.split('-').map(Number);
    return aTime - bTime || aSeq - bSeq;
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  return {
    histories,
    stats,
    broker,

    start(feedSink) {
      sink = feedSink;
      loop ??= run();
    },

    async stop() {
      stopped = true;
      commands.close();
      reader.close();
      await loop;
    },

    isSynced: (index) => synced[index] === 1,

    unavailableReason() {
      if (!broker.connected) return `Redis unreachable at ${redactUrl(url)}`;
      if (lastRefusal !== '') return `Redis refused a read: ${lastRefusal}`;
      switch (phase) {
        case 'connecting':
          return 'connecting to Redis';
        case 'no source':
          return 'no market source has published to Redis yet';
        case 'directory mismatch':
          return "the source's symbols differ from this gateway's (UNIVERSE_FILE)";
        case 'replaying':
          return 'replaying the market from Redis';
        case 'restoring':
          return `restoring ${unsyncedCount} symbols from their snapshots`;
        case 'live':
          return null;
      }
    },
  };
}
