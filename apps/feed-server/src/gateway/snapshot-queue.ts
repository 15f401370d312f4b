import { View } from '@ticker/protocol';
import { TokenBucket } from '../domain/rate-limiter.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import { SNAPSHOT_BURST_SECONDS } from './connection-limits.js';
import type { ServerStats, SnapshotDelay } from './server-stats.js';
import { increment } from './server-stats.js';
import type { Session } from './session.js';
import type { SnapshotCache } from './snapshot-cache.js';

/**
 * Snapshot work done in one go before the event loop gets its turn back: the flush of live
 * batches, heartbeats and HTTP requests wait at most about this long behind subscribe work.
 */
const TURN_MS = 2;
const TURN_BYTES = 2 * 1024 * 1024;
/** Sent to one connection per visit before the next connection's turn: connections take turns. */
const VISIT_BYTES = 64 * 1024;
/**
 * A connection for which uWS holds more than this gets no snapshot until it has read on: it
 * would only queue in server memory, and a reader that stopped would hold it forever.
 */
const BEHIND_BYTES = 256 * 1024;
/** When every waiting connection is over a budget, how soon to look again. */
const RETRY_MS = 20;
/** Address budgets left full (no longer in use) are forgotten this often: bounds the map. */
const PRUNE_INTERVAL_MS = 10_000;

export interface SnapshotQueueOptions {
  readonly cache: SnapshotCache;
  readonly registry: TopicRegistry;
  readonly stats: ServerStats;
  /** Whether the symbol's history is whole (a gateway restoring it has none to send yet). */
  readonly isSynced: (index: number) => boolean;
  readonly bytesPerSecondPerIp: number;
  /** Milliseconds, for the budgets. */
  readonly clock: () => number;
}

/**
 * Every snapshot a connection is owed goes through here (docs/PROTOCOL.md "Snapshots"). Sending
 * is bounded three ways, so that no client's subscribe work can delay anyone else's feed: per
 * connection (its `snapshotBudget`), per address (shared by its connections), and per event-loop
 * turn (TURN_MS, TURN_BYTES). What does not fit waits, queued, and connections take turns
 * (VISIT_BYTES each) in the order they asked. A snapshot is sent between flushes, and the
 * symbol's topic is subscribed at that moment: its first batch is the one the snapshot promised.
 */
export class SnapshotQueue {
  private readonly turns: Session[] = [];
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
    } else {
      if (owed) session.pending.delete(index);
      else this.options.stats.snapshotsQueued += 1;
      session.pending.set(index, { view, requestId, delayed: false });
    }
    if (!session.queued) {
      session.queued = true;
      this.turns.push(session);
    }
    this.serveSoon();
  }

  /** Whether the snapshot of `index` is still owed (not sent yet). */
  owes(session: Session, index: number): boolean {
    return session.pending.has(index);
  }

  cancel(session: Session, index: number): void {
    if (session.pending.delete(index)) this.options.stats.snapshotsQueued -= 1;
  }

  /** The connection closed: nothing it was owed will be sent. */
  forget(session: Session): void {
    this.options.stats.snapshotsQueued -= session.pending.size;
    session.pending.clear();
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

  /** One turn: connections in order, each sent what its budgets allow, until the turn is used up. */
  private readonly serve = (): void => {
    this.immediate = this.timer = null;
    const now = this.options.clock();
    this.pruneAddressBudgets(now);
    const deadline = performance.now() + TURN_MS;
    let bytes = 0;
    let idle = 0; // connections visited in a row that could be sent nothing
    while (this.turns.length > 0) {
      if (this.cursor >= this.turns.length) this.cursor = 0;
      const session = this.turns[this.cursor] as Session;
      if (session.peer === null || session.pending.size === 0) {
        this.leaveTurns(this.cursor);
        continue;
      }
      const sent = this.visit(session, now);
      this.cursor += 1;
      if (sent > 0) {
        bytes += sent;
        idle = 0;
      } else if (++idle >= this.turns.length) {
        this.serveLater();
        return;
      }
      if (bytes >= TURN_BYTES || performance.now() >= deadline) {
        this.serveSoon();
        return;
      }
    }
  };

  /** Removes the connection at `position` from the turn order (the last one takes its place). */
  private leaveTurns(position: number): void {
    const session = this.turns[position] as Session;
    session.queued = false;
    const last = this.turns.pop() as Session;
    if (position < this.turns.length) this.turns[position] = last;
  }

  /** Sends `session` what it is owed, up to VISIT_BYTES and its budgets; returns the bytes sent. */
  private visit(session: Session, now: number): number {
    const peer = session.peer;
    if (peer === null || session.pausedSince !== null) return 0;
    const address = this.addressBudget(session.ip, now);
    const delay = this.delayOf(session, address, peer.getBufferedAmount(), now);
    if (delay !== null) {
      this.countDelay(session, delay);
      return 0;
    }
    const { cache, registry, stats, isSynced } = this.options;
    let sent = 0;
    peer.cork(() => {
      for (const [index, owed] of session.pending) {
        const holding = session.holdings.get(index);
        if (holding?.view !== owed.view) {
          this.cancel(session, index); // unsubscribed or moved since: no longer owed
          continue;
        }
        if (!isSynced(index)) continue; // a gateway restoring it: sent once it is whole
        const frame = cache.frame(index, owed.view).frameFor(owed.requestId);
        peer.send(frame, true);
        this.cancel(session, index);
        if (!holding.live) {
          holding.live = true;
          // Held quotes join their topic when the connection catches up (QuotePublisher).
          if (!(owed.view === View.Quote && session.quotesHeld)) {
            peer.subscribe(registry.topic(index, owed.view));
          }
        }
        session.snapshotBudget.spend(frame.length);
        address.spend(frame.length);
        stats.snapshotsSent[owed.view] += 1;
        stats.snapshotBytesSent += frame.length;
        sent += frame.length;
        if (sent >= VISIT_BYTES || !session.snapshotBudget.canSpend(now)) break;
        if (!address.canSpend(now)) break;
      }
    });
    return sent;
  }

  private delayOf(
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

  /** Counts the next snapshot in line as delayed, once, by the first reason it waited. */
  private countDelay(session: Session, delay: SnapshotDelay): void {
    const next = session.pending.values().next();
    if (next.done === true || next.value.delayed) return;
    next.value.delayed = true;
    increment(this.options.stats.snapshotsDelayed, delay);
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
