import { RESP_TYPES } from 'redis';
import { DecodeError, createTickBatch, decodeSnapshot, decodeTickBatch } from '@ticker/protocol';
import type { SymbolHistory } from '../domain/symbol-history.js';
import { TopicRegistry } from '../domain/topic-registry.js';
import type { SymbolSpec } from '../domain/universe.js';
import { createBrokerStats } from '../feeds/market-feed.js';
import type { BrokerStats, FeedSink, MarketFeed } from '../feeds/market-feed.js';
import type { Logger } from '../logger.js';
import {
  FLUSHES_KEY,
  SOURCE_KEY,
  connectBroker,
  forEachFrame,
  redactUrl,
  snapshotsKey,
} from './redis-layout.js';
import type { BrokerLink } from './redis-layout.js';
import { StreamCursor } from './stream-cursor.js';
import { SymbolReplica } from './symbol-replica.js';

export interface RedisFeedOptions {
  readonly url: string;
  readonly universe: readonly SymbolSpec[];
  /** This gateway's encoded symbol directory: the source's must be the same. */
  readonly directory: Uint8Array;
  /**
   * This gateway's market (marketIdentity of its settings): the source's must be the same, or
   * the history it draws from its own market path would not be the source's market.
   */
  readonly marketIdentity: string;
  readonly logger: Logger;
}

/** Stream entries read per round trip: bounds what one read holds while replaying. */
const ENTRIES_PER_READ = 256;
/** How long one blocking read waits for the next entry before the loop looks around. */
const READ_BLOCK_MS = 1_000;
/** How often symbols waiting for a snapshot ask Redis again (they are refreshed every 5 s). */
const SNAPSHOT_RETRY_MS = 1_000;
/** Pause before trying again after Redis answered with something unusable. */
const RETRY_MS = 1_000;

/** XREAD's answer for one stream, with strings mapped to Buffers; null when nothing came. */
type StreamReply = Array<{
  readonly messages: Array<{
    readonly id: Buffer;
    readonly message: Partial<Record<'e' | 'n' | 'b', Buffer>>;
  }>;
}> | null;

/** Where the gateway stands with the source, for /readyz. */
type Phase =
  | 'connecting'
  | 'no source'
  | 'directory mismatch'
  | 'market mismatch'
  | 'replaying'
  | 'restoring'
  | 'live';

/**
 * The `gateway` role's market: the source's stream from Redis. Each symbol's history is kept
 * here from the batches, so snapshots are served locally. The copy is trusted only while it is
 * whole: when flushes are lost (the source could not write during an outage, Redis restarted
 * empty, this gateway fell behind the replay window, a new source took over), the symbols are
 * restored from the source's snapshots in Redis and their subscribers get that snapshot
 * (`FeedSink.resynced`), so no client goes on with a series that has a hole in it.
 */
export function createRedisFeed(options: RedisFeedOptions): MarketFeed {
  return new RedisFeed(options);
}

class RedisFeed implements MarketFeed {
  readonly histories: readonly SymbolHistory[];
  readonly stats = { ticks: 0, batches: 0 };
  readonly broker: BrokerStats = createBrokerStats();
  private readonly replicas: readonly SymbolReplica[];
  private readonly registry: TopicRegistry;
  private readonly logger: Logger;
  private readonly batch = createTickBatch(256);
  private readonly cursor = new StreamCursor();
  private readonly knownStaleEpochs = new Set<string>();
  /** Blocking reads get their own connection, so snapshot lookups never wait behind them. */
  private readonly commands: BrokerLink;
  private readonly reader: BrokerLink;
  private sink: FeedSink | null = null;
  private epoch: string | null = null;
  private phase: Phase = 'connecting';
  private unsynced: number;
  private lastSnapshotFetch = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private lastRefusal = '';

  constructor(private readonly options: RedisFeedOptions) {
    const { universe, url, logger } = options;
    this.logger = logger;
    this.registry = new TopicRegistry(universe);
    this.replicas = universe.map(() => new SymbolReplica(Date.now()));
    this.histories = this.replicas.map((replica) => replica.history);
    this.unsynced = universe.length;
    const onChange = (connected: boolean): void => {
      this.broker.connected = this.commands.client.isReady && this.reader.client.isReady;
      if (!connected) this.broker.disconnects += 1;
    };
    this.commands = connectBroker(url, logger, onChange);
    this.reader = connectBroker(url, logger, (connected) => {
      if (connected) this.cursor.checked = false;
      onChange(connected);
    });
  }

  start(sink: FeedSink): void {
    this.sink = sink;
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.commands.close();
    this.reader.close();
    await this.loop;
  }

  isSynced(index: number): boolean {
    return this.replicas[index]?.synced === true;
  }

  unavailableReason(): string | null {
    if (!this.broker.connected) return `Redis unreachable at ${redactUrl(this.options.url)}`;
    if (this.lastRefusal !== '') return `Redis refused a read: ${this.lastRefusal}`;
    switch (this.phase) {
      case 'connecting':
        return 'connecting to Redis';
      case 'no source':
        return 'no market source has published to Redis yet';
      case 'directory mismatch':
        return "the source's symbols differ from this gateway's (UNIVERSE_FILE)";
      case 'market mismatch':
        return "the source's market differs from this gateway's (SEED, TICK_RATE, STOCK_HOURS or UNIVERSE_FILE)";
      case 'replaying':
        return 'replaying the market from Redis';
      case 'restoring':
        return `restoring ${this.unsynced} symbols from their snapshots`;
      case 'live':
        return null;
    }
  }

  private binary(link: BrokerLink) {
    return link.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  /** Read through a method: `stop()` may set it while the loop awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private async run(): Promise<void> {
    while (!this.isStopped()) {
      try {
        await Promise.all([this.commands.ready(), this.reader.ready()]);
        if (this.isStopped()) return;
        if (this.epoch === null && !(await this.adoptSource())) {
          await delay(RETRY_MS);
          continue;
        }
        if (!this.cursor.checked) await this.checkPosition();
        // Before reading on: restored symbols skip the batches their snapshot already holds.
        if (this.unsynced > 0 && Date.now() - this.lastSnapshotFetch >= SNAPSHOT_RETRY_MS) {
          await this.fetchSnapshots();
        }
        await this.readEntries();
        this.lastRefusal = '';
      } catch (error) {
        if (this.isStopped()) return;
        await this.readFailed((error as Error).message);
      }
    }
  }

  /**
   * Lost the link mid-command (the clients reconnect by themselves: not worth a warning), or
   * Redis refused while connected (said once per distinct refusal).
   */
  private async readFailed(message: string): Promise<void> {
    if (!(this.commands.client.isReady && this.reader.client.isReady)) {
      this.logger.debug('Redis read interrupted', { error: message });
      return;
    }
    if (message !== this.lastRefusal) {
      this.logger.warn('Redis refused a read; retrying', { error: message });
    }
    this.lastRefusal = message;
    await delay(RETRY_MS);
  }

  /** Reads who the source is; false (with the reason in `phase`) if there is none to follow. */
  private async adoptSource(expected?: string): Promise<boolean> {
    const source = await this.binary(this.commands).hGetAll(SOURCE_KEY);
    const announced = source.epoch?.toString();
    if (announced === undefined) {
      this.phase = 'no source';
      return false;
    }
    if (expected !== undefined && announced !== expected) return false;
    if (!source.directory?.equals(this.options.directory)) {
      if (this.phase !== 'directory mismatch') {
        this.logger.error(
          'the source in Redis publishes other symbols than this gateway serves: give both the same UNIVERSE_FILE',
          { epoch: announced },
        );
      }
      this.phase = 'directory mismatch';
      return false;
    }
    const market = source.market?.toString();
    if (market !== this.options.marketIdentity) {
      if (this.phase !== 'market mismatch') {
        this.logger.error(
          "the source in Redis plays another market than this gateway's settings: give both the same SEED, TICK_RATE, STOCK_HOURS and UNIVERSE_FILE",
          { epoch: announced, source: market ?? 'unknown', gateway: this.options.marketIdentity },
        );
      }
      this.phase = 'market mismatch';
      return false;
    }
    if (this.epoch !== null) {
      this.logger.warn('a new market source took over: restoring every symbol', {
        epoch: announced,
      });
    }
    this.epoch = announced;
    this.cursor.restart();
    this.breakAll();
    for (const replica of this.replicas) replica.forgetFloor(); // a new source numbers from 0
    this.phase = this.phase === 'live' ? 'restoring' : 'replaying';
    this.lastSnapshotFetch = 0;
    return true;
  }

  private async readEntries(): Promise<void> {
    const reply = (await this.binary(this.reader).xRead(
      { key: FLUSHES_KEY, id: this.cursor.lastId },
      { COUNT: ENTRIES_PER_READ, BLOCK: READ_BLOCK_MS },
    )) as StreamReply;
    const entries = reply?.[0]?.messages ?? [];
    for (const { id, message } of entries) {
      this.cursor.lastId = id.toString();
      const entryEpoch = message.e?.toString();
      if (entryEpoch !== this.epoch && !(await this.switchedTo(entryEpoch))) continue;
      this.checkFlushNumber(Number(message.n?.toString()));
      if (message.b) this.applyEntry(message.b);
      this.sink?.flushed();
      this.broker.entries += 1;
      this.broker.lastEntryAt = Date.now();
    }
    if (entries.length < ENTRIES_PER_READ && this.phase === 'replaying') this.phase = 'restoring';
    if (this.phase === 'restoring' && this.unsynced === 0) {
      this.phase = 'live';
      this.logger.info('gateway is live', { epoch: this.epoch, lastId: this.cursor.lastId });
    }
  }

  /** An entry from another source: a newer one takes over; a stale one is skipped. */
  private async switchedTo(entryEpoch: string | undefined): Promise<boolean> {
    if (entryEpoch === undefined || this.knownStaleEpochs.has(entryEpoch)) return false;
    if (await this.adoptSource(entryEpoch)) return true;
    this.knownStaleEpochs.add(entryEpoch);
    return false;
  }

  /** A hole in the flush numbers means lost batches, in any symbol: restore them all. */
  private checkFlushNumber(number: number): void {
    const expected = this.cursor.expected;
    if (this.cursor.follows(number)) return;
    this.logger.warn('flushes lost (Redis outage or restart, or this gateway fell behind)', {
      expected,
      received: number,
    });
    this.broker.gaps += 1;
    this.breakAll();
  }

  private applyEntry(entry: Uint8Array): void {
    try {
      forEachFrame(entry, (frame) => {
        this.applyFrame(frame);
      });
    } catch (error) {
      if (!(error instanceof DecodeError) && !(error instanceof RangeError)) throw error;
      this.logger.error('skipped an unreadable stream entry', { error: error.message });
    }
  }

  private applyFrame(frame: Uint8Array): void {
    const { batch } = this;
    decodeTickBatch(frame, batch);
    const index = this.registry.indexOfId(batch.symbolId);
    if (index === undefined) throw new RangeError(`unknown symbol id ${batch.symbolId}`);
    const replica = this.replicas[index] as SymbolReplica;
    const wasSynced = replica.synced;
    const expected = replica.history.nextSeq;
    switch (replica.receive(batch, frame)) {
      case 'applied':
        this.stats.ticks += batch.count;
        this.stats.batches += 1;
        if (this.sink?.wants(index)) this.sink.publish(index, frame);
        break;
      case 'lost':
        this.logger.warn('batches lost; restoring the symbol from its snapshot', {
          symbolId: batch.symbolId,
          expected,
          received: batch.seq,
        });
        this.broker.gaps += 1;
        if (wasSynced) this.unsynced += 1;
        break;
      case 'kept':
      case 'replayed':
        break;
    }
  }

  private breakAll(): void {
    for (const replica of this.replicas) {
      if (replica.synced) this.unsynced += 1;
      replica.break();
    }
  }

  private async checkPosition(): Promise<void> {
    const newest = (
      await this.binary(this.commands).xRevRange(FLUSHES_KEY, '+', '-', { COUNT: 1 })
    )?.[0];
    this.cursor.check(newest?.id.toString());
  }

  private async fetchSnapshots(): Promise<void> {
    this.lastSnapshotFetch = Date.now();
    const fetchEpoch = this.epoch;
    if (fetchEpoch === null) return;
    const waiting: number[] = [];
    this.replicas.forEach((replica, index) => {
      if (!replica.synced) waiting.push(index);
    });
    const ids = waiting.map((index) => String(this.registry.symbolAt(index).id));
    const snapshots = await this.binary(this.commands).hmGet(snapshotsKey(fetchEpoch), ids);
    if (this.epoch !== fetchEpoch) return; // the source changed meanwhile
    waiting.forEach((index, k) => {
      const bytes = snapshots[k];
      if (bytes && !(this.replicas[index] as SymbolReplica).synced) this.restore(index, bytes);
    });
    if (this.unsynced === 0 && this.phase === 'live') this.logger.info('every symbol restored');
  }

  private restore(index: number, bytes: Uint8Array): void {
    let snapshot;
    try {
      snapshot = decodeSnapshot(bytes);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.logger.error('skipped an unreadable snapshot in Redis', {
        symbolId: this.registry.symbolAt(index).id,
        error: error.message,
      });
      return;
    }
    const applied = (this.replicas[index] as SymbolReplica).restore(snapshot);
    if (applied === null) return; // older than what the copy had: wait for the next refresh
    this.stats.ticks += applied.ticks;
    this.stats.batches += applied.batches;
    this.unsynced -= 1;
    this.broker.restores += 1;
    this.sink?.resynced(index);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
