import { createTickBatch, encodeTickBatch } from '@ticker/protocol';
import { defaultUniverse } from '../src/config.js';
import { OPEN_GRANT } from '../src/transport/admission.js';
import { TokenBucket } from '../src/domain/rate-limiter.js';
import { SymbolHistory } from '../src/domain/symbol-history.js';
import { TopicRegistry } from '../src/domain/topic-registry.js';
import { MessageRate } from '../src/gateway/message-rate.js';
import { RecentBatches } from '../src/gateway/recent-batches.js';
import { createServerStats } from '../src/gateway/server-stats.js';
import type { ServerStats } from '../src/gateway/server-stats.js';
import { Session } from '../src/gateway/session.js';
import { SnapshotCache } from '../src/gateway/snapshot-cache.js';
import { FakePeer } from './fake-peer.js';

const START = 1_732_200_000_000;

/**
 * The gateway's shared state over the first symbols of the real universe, with histories of
 * `ticksPerSymbol` ticks each (snapshots of a few KB), and a clock the test moves by hand.
 */
export class GatewayFixture {
  readonly universe = defaultUniverse().slice(0, 40);
  readonly registry = new TopicRegistry(this.universe);
  readonly histories: SymbolHistory[];
  readonly stats: ServerStats = createServerStats({ ticks: 0 });
  readonly recent = new RecentBatches(this.universe.length);
  readonly cache: SnapshotCache;
  /** Every send, by peer, in order: which connection was served when. */
  readonly sends: FakePeer[] = [];
  time = START;
  readonly clock = (): number => this.time;
  /** Tick times only move forward, whatever the clock is set to. */
  private tickTime = START;

  constructor(ticksPerSymbol = 1_000) {
    this.histories = this.universe.map(() => new SymbolHistory(START));
    this.universe.forEach((_symbol, index) => {
      this.trade(index, ticksPerSymbol);
    });
    this.cache = new SnapshotCache(
      this.histories,
      this.registry,
      this.recent,
      this.stats,
      this.clock,
    );
  }

  /**
   * Appends a batch of `count` ticks to the symbol's history, as a flush would; `published`
   * also keeps its frame, as the feed sink does for a symbol someone wants.
   */
  trade(index: number, count = 1, published = false): void {
    const batch = createTickBatch(count);
    batch.symbolId = this.universe[index]?.id ?? 0;
    const history = this.histories[index] as SymbolHistory;
    for (let i = 0; i < count; i++) {
      batch.price[i] = 10_000 + ((i * 7919 + index * 31) % 500);
      batch.size[i] = 1 + (i % 9);
      batch.time[i] = this.tickTime + i;
      batch.side[i] = i % 2;
    }
    batch.baseTime = this.tickTime;
    this.tickTime += count;
    batch.count = count;
    batch.seq = history.nextSeq;
    history.append(batch);
    if (published) this.recent.record(index, batch.seq, encodeTickBatch(batch).slice());
  }

  session(
    ip = '127.0.0.1',
    snapshotBytesPerSecond = 1024 ** 3,
  ): { session: Session; peer: FakePeer } {
    const session = new Session(
      ip,
      OPEN_GRANT,
      new MessageRate(20, 40, this.time),
      new TokenBucket(snapshotBytesPerSecond, snapshotBytesPerSecond * 4, this.time),
      this.time,
    );
    const peer = new FakePeer(this.sends);
    session.peer = peer;
    return { session, peer };
  }
}
