import { View } from '@ticker/protocol';
import { TokenBucket } from '../domain/rate-limiter.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import { SNAPSHOT_BURST_SECONDS } from './connection-limits.js';
import type { ServerStats, SnapshotDelay } from './server-stats.js';
import { increment } from './server-stats.js';
import type { Session } from './session.js';
import type { RecentBatches } from './recent-batches.js';
import type { SnapshotCache } from './snapshot-cache.js';

/**
 * Snapshot work done in one go before the event loop gets its turn back: the flush of live
 * batches, heartbeats and HTTP requests wait at most about this long behind subscribe work.
 */
const TURN_MS = 2;
const TURN_BYTES = 4 * 1024 * 1024;
/**
 * A connection for which uWS holds more than this gets no snapshot until it has read on: it
 * would only queue in server memory, and a reader that stopped would hold it forever.
 */
const BEHIND_BYTES = 256 * 1024;
/** When every waiting connection is over a budget or behind, how soon to look again. */
const RETRY_MS = 20;
/** Address budgets left full (no longer in use) are forgotten this often: bounds the map. */
const PRUNE_INTERVAL_MS = 10_000;

export interface SnapshotQueueOptions {
  readonly cache: SnapshotCache;
  /** The batches a reused chart snapshot is followed by. */
  readonly recent: RecentBatches;
  readonly registry: TopicRegistry;
  readonly stats: ServerStats;
  /** Whether the symbol's history is whole (a gateway restoring it has none to send yet). */
  readonly isSynced: (index: number) => boolean;
  readonly bytesPerSecondPerIp: number;
  /** Milliseconds, for the budgets. */
  readonly clock: () => number;
}

/** The connections owed one (symbol, view)'s snapshot, in the order they asked. */
interface Waiting {
  readonly index: number;
  readonly view: View;
  readonly sessions: Set<Session>;
}

/**
 * Every snapshot a connection is owed goes through here (docs/PROTOCOL.md "Snapshots").
 *
 * Work is done symbol by symbol, not connection by connection: a (symbol, view)'s snapshot is
 * encoded once (the cache keeps it until the symbol's history changes at the next flush) and
 * sent to every connection waiting for it that may have it now, then the next symbol's. That is
 * what makes a reconnect storm cheap: 10,000 clients wanting 20 of 500 symbols cost 500
 * encodings, not 200,000. (Taking connections in turn instead would touch every symbol in every
 * flush, and each encoding, ~0.1 ms for a full history, would serve one or two connections
 * before the next flush made it stale.)
 *
 * Sending is bounded three ways, so that no client's subscribe work can delay anyone else's
 * feed: per connection (its `snapshotBudget`), per address (shared by its connections), and per
 * event-loop turn (TURN_MS, TURN_BYTES). A connection over a budget, or behind, is passed over
 * and stays owed; symbols take turns. A snapshot is sent between flushes, and the symbol's topic
 * is joined at that moment: its first batch is the one the snapshot promised.
 */
export class SnapshotQueue {
  private readonly waiting = new Map<number, Waiting>();
  /** The (symbol, view)s with connections waiting, served in turn. */
  private readonly turns: Waiting[] = [];
  private cursor = 0;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly addressBudgets = new Map<string, TokenBucket>();
  private prunedAt: number;

  constructor(private readonly options: SnapshotQueueOptions) {
    this.prunedAt = options.clock();
  }

  /**
   * Owes `session` the snapshot of symbol `index` in `view`, answering `requestId`. A snapshot
   * already owed for the symbol in that view now answers this request instead (one snapshot
   * answers both); one owed in the other view is dropped.
   */
  request(session: Session, index: number, view: View, requestId: number): void {
    const owed = session.pending.get(index);
    if (owed?.view === view) {
      owed.requestId = requestId;
      return;
    }
    if (owed) this.cancel(session, index);
    session.pending.set(index, { view, requestId, delayed: false });
    this.options.stats.snapshotsQueued += 1;
    this.waitingFor(index, view).sessions.add(session);
    this.serveSoon();
  }

  /** Whether the snapshot of `index` is still owed (not sent yet). */
  owes(session: Session, index: number): boolean {
    return session.pending.has(index);
  }

  cancel(session: Session, index: number): void {
    const owed = session.pending.get(index);
    if (!owed) return;
    session.pending.delete(index);
    this.options.stats.snapshotsQueued -= 1;
    this.waiting.get(keyOf(index, owed.view))?.sessions.delete(session);
  }

  /** The connection closed: nothing it was owed will be sent. */
  forget(session: Session): void {
    for (const index of [...session.pending.keys()]) this.cancel(session, index);
  }

  /** Something that held snapshots back may have changed (a drain, a resume, a restored symbol). */
  wake(): void {
    if (this.turns.length > 0) this.serveSoon();
  }

  /** Stops the timers (the server is shutting down). */
  stop(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = this.timer = null;
  }

  private waitingFor(index: number, view: View): Waiting {
    const key = keyOf(index, view);
    let waiting = this.waiting.get(key);
    if (!waiting) {
      waiting = { index, view, sessions: new Set() };
      this.waiting.set(key, waiting);
      this.turns.push(waiting);
    }
    return waiting;
  }

  private serveSoon(): void {
    if (this.immediate !== null) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.immediate = setImmediate(this.serve);
  }

  private serveLater(): void {
    if (this.immediate === null && this.timer === null) {
      this.timer = setTimeout(this.serve, RETRY_MS);
    }
  }

  /** One turn: symbols in order, each sent to whoever may have it now, until the turn is used up. */
  private readonly serve = (): void => {
    this.immediate = this.timer = null;
    const now = this.options.clock();
    this.pruneAddressBudgets(now);
    const turn = { deadline: performance.now() + TURN_MS, bytes: 0 };
    let idle = 0; // symbols visited in a row that could be sent to no one
    while (this.turns.length > 0) {
      if (this.cursor >= this.turns.length) this.cursor = 0;
      const waiting = this.turns[this.cursor] as Waiting;
      if (waiting.sessions.size === 0) {
        this.leaveTurns(this.cursor);
        continue;
      }
      const sent = this.serveSymbol(waiting, now, turn);
      if (turn.bytes >= TURN_BYTES || performance.now() >= turn.deadline) {
        // Out of time, maybe in the middle of this symbol's waiters: the next turn goes on here.
        if (waiting.sessions.size === 0) this.cursor += 1;
        this.serveSoon();
        return;
      }
      this.cursor += 1;
      if (sent > 0) idle = 0;
      else if (++idle >= this.turns.length) {
        this.serveLater();
        return;
      }
    }
  };

  /** Removes the symbol at `position` from the turn order (the last one takes its place). */
  private leaveTurns(position: number): void {
    const waiting = this.turns[position] as Waiting;
    this.waiting.delete(keyOf(waiting.index, waiting.view));
    const last = this.turns.pop() as Waiting;
    if (position < this.turns.length) this.turns[position] = last;
  }

  /**
   * Sends the symbol's snapshot, encoded at most once, to each connection waiting for it that
   * may have it now; returns the bytes sent.
   */
  private serveSymbol(
    waiting: Waiting,
    now: number,
    turn: { readonly deadline: number; bytes: number },
  ): number {
    const { index, view } = waiting;
    const { cache, recent, registry, stats, isSynced } = this.options;
    if (!isSynced(index)) return 0; // a gateway restoring it: sent once it is whole
    let sent = 0;
    for (const session of waiting.sessions) {
      const peer = session.peer;
      const owed = session.pending.get(index);
      const holding = session.holdings.get(index);
      if (peer === null || owed?.view !== view || holding?.view !== view) {
        // Closed, or unsubscribed or moved since: no longer owed.
        this.cancel(session, index);
        waiting.sessions.delete(session);
        continue;
      }
      if (session.pausedSince !== null) continue; // owed a resume snapshot: sent once it drains
      const address = this.addressBudget(session.ip, now);
      const delay = delayOf(session, address, peer.getBufferedAmount(), now);
      if (delay !== null) {
        if (!owed.delayed) {
          owed.delayed = true;
          increment(stats.snapshotsDelayed, delay);
        }
        continue;
      }
      const snapshot = cache.snapshot(index, view);
      const frame = snapshot.frame.frameFor(owed.requestId);
      let bytes = frame.length;
      peer.cork(() => {
        peer.send(frame, true);
        // A snapshot a few flushes old, and the batches since: the series as of now.
        if (snapshot.catchUpFrom !== null) {
          recent.forEachFrom(index, snapshot.catchUpFrom, (batch) => {
            peer.send(batch, true);
            bytes += batch.length;
          });
        }
        if (!holding.live) {
          holding.live = true;
          // Held quotes join their topic when the connection catches up (QuotePublisher).
          if (!(view === View.Quote && session.quotesHeld))
            peer.subscribe(registry.topic(index, view));
        }
      });
      this.cancel(session, index);
      session.snapshotBudget.spend(bytes);
      address.spend(bytes);
      stats.snapshotsSent[view] += 1;
      stats.snapshotBytesSent += bytes;
      sent += bytes;
      turn.bytes += bytes;
      if (turn.bytes >= TURN_BYTES || performance.now() >= turn.deadline) break;
    }
    return sent;
  }

  private addressBudget(ip: string, now: number): TokenBucket {
    let budget = this.addressBudgets.get(ip);
    if (!budget) {
      const rate = this.options.bytesPerSecondPerIp;
      budget = new TokenBucket(rate, rate * SNAPSHOT_BURST_SECONDS, now);
      this.addressBudgets.set(ip, budget);
    }
    return budget;
  }

  private pruneAddressBudgets(now: number): void {
    if (now - this.prunedAt < PRUNE_INTERVAL_MS) return;
    this.prunedAt = now;
    for (const [ip, budget] of this.addressBudgets) {
      if (budget.isFull(now)) this.addressBudgets.delete(ip);
    }
  }
}

function keyOf(index: number, view: View): number {
  return index * 2 + view;
}

function delayOf(
  session: Session,
  address: TokenBucket,
  buffered: number,
  now: number,
): SnapshotDelay | null {
  if (buffered > BEHIND_BYTES) return 'backpressure';
  if (!session.snapshotBudget.canSpend(now)) return 'connection_budget';
  if (!address.canSpend(now)) return 'address_budget';
  return null;
}
