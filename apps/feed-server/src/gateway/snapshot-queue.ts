import { View } from '@ticker/protocol';
import { TokenBucket } from '../domain/rate-limiter.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import { SNAPSHOT_BURST_SECONDS } from './connection-limits.js';
import type { RecentBatches } from './recent-batches.js';
import type { ServerStats, SnapshotDelay } from './server-stats.js';
import { increment } from './server-stats.js';
import type { Peer } from './peer.js';
import type { PendingSnapshot, Session } from './session.js';
import type { CachedSnapshot, SnapshotCache } from './snapshot-cache.js';

/**
 * Snapshot work done in one go before the event loop gets its turn back, so that the flush of
 * live batches, heartbeats and HTTP requests wait at most this long behind subscribe work. A
 * turn lasts TURN_SHARE of the time since the previous one ended, within these bounds: with
 * little else to do, turns follow each other and snapshots use the idle CPU 2 ms at a time; when
 * live traffic keeps the loop busy, snapshots still get about a quarter of it (a third of what
 * the rest takes), instead of starving while thousands of clients wait for theirs.
 */
const MIN_TURN_MS = 2;
const MAX_TURN_MS = 20;
const TURN_SHARE = 1 / 3;
const TURN_BYTES = 16 * 1024 * 1024;
/**
 * Sent to one connection per visit before the next connection's turn: connections take turns,
 * and what one visit sends goes out in one write (corked), however many snapshots it holds.
 */
const VISIT_BYTES = 64 * 1024;
/**
 * A connection for which uWS holds more than this gets no snapshot until it has read on: it
 * would only queue in server memory, and a reader that stopped would hold it forever.
 */
const BEHIND_BYTES = 256 * 1024;
/** How soon to look again at connections set aside, and at a server whose buffers are full. */
const RETRY_MS = 20;
/** Address budgets left full (no longer in use) are forgotten this often: bounds the map. */
const PRUNE_INTERVAL_MS = 10_000;
/** Parked until it reads on (or resumes), rather than until a budget refills. */
const UNTIL_DRAINED = Infinity;
/**
 * Connections waiting for one chart snapshot beyond which it is encoded afresh and sent to all
 * of them, rather than reused with the batches since for each: an encoding (~0.1 ms for a full
 * history) costs about what catching up ~6 connections does (a dozen small sends each).
 */
const FAN_OUT_WAITERS = 8;

export interface SnapshotQueueOptions {
  readonly cache: SnapshotCache;
  /** The batches a reused chart snapshot is followed by. */
  readonly recent: RecentBatches;
  readonly registry: TopicRegistry;
  readonly stats: ServerStats;
  /** Whether the symbol's history is whole (a gateway restoring it has none to send yet). */
  readonly isSynced: (index: number) => boolean;
  readonly bytesPerSecondPerIp: number;
  /**
   * Whether the server may buffer more for clients now: snapshots must never be what fills its
   * memory (all clients' buffers are kept under MAX_BUFFERED_BYTES by SlowConsumers).
   */
  readonly mayBuffer: () => boolean;
  /** Milliseconds, for the budgets. */
  readonly clock: () => number;
}

/**
 * Every snapshot a connection is owed goes through here (docs/PROTOCOL.md "Snapshots").
 * Connections take turns, in the order they asked, each sent up to VISIT_BYTES of what it is
 * owed in one corked write. Encoding is not done per connection: the cache encodes a symbol's
 * snapshot once and reuses it (with the batches since) for a second, so a reconnect storm of
 * 10,000 clients wanting 20 of 500 symbols costs a few hundred encodings, and about one write
 * per client rather than twenty.
 *
 * Sending is bounded so that no client's subscribe work can delay anyone else's feed: per
 * connection (its `snapshotBudget`), per address (shared by its connections), per event-loop
 * turn (a share of the loop's time, TURN_BYTES), and by what all clients' buffers hold (`mayBuffer`). A connection
 * over a budget, behind (uWS holds more than BEHIND_BYTES for it) or paused is parked: taken out
 * of the turn order, so that passing it over costs nothing however many there are, until its
 * budget has refilled or it has read on. Nothing owed is dropped. A snapshot is sent between
 * flushes, and the symbol's topic is joined at that moment: its first live batch is the one the
 * snapshot (and the batches sent after it) promised.
 */
export class SnapshotQueue {
  private readonly turns: Session[] = [];
  /** By symbol index, the connections owed its chart snapshot: a fresh encoding goes to all. */
  private readonly chartWaiters = new Map<number, Set<Session>>();
  private cursor = 0;
  private readonly parked = new Set<Session>();
  private sweptAt = -Infinity;
  /** When the last turn ended (performance.now()). */
  private lastTurnEnd = -Infinity;
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
    if (view === View.Chart) this.chartWaitersOf(index).add(session);
    this.enqueue(session);
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
    if (owed.view !== View.Chart) return;
    // Kept when empty (one per symbol at most): churn must not allocate a set per subscribe.
    this.chartWaiters.get(index)?.delete(session);
  }

  /** The connection closed: nothing it was owed will be sent. */
  forget(session: Session): void {
    for (const index of [...session.pending.keys()]) this.cancel(session, index);
    this.parked.delete(session);
    session.parkedUntil = null;
  }

  /** Something that held snapshots back may have changed (a drain, a resume, a restored symbol). */
  wake(): void {
    if (this.turns.length > 0 || this.parked.size > 0) {
      this.sweptAt = -Infinity; // look at the parked at once
      this.serveSoon();
    }
  }

  /** Stops the timers (the server is shutting down). */
  stop(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = this.timer = null;
  }

  private chartWaitersOf(index: number): Set<Session> {
    let waiters = this.chartWaiters.get(index);
    if (!waiters) {
      waiters = new Set();
      this.chartWaiters.set(index, waiters);
    }
    return waiters;
  }

  private enqueue(session: Session): void {
    if (session.queued || session.parkedUntil !== null) return;
    session.queued = true;
    this.turns.push(session);
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

  /** One turn: connections in order, each sent what it may have now, until the turn is used up. */
  private readonly serve = (): void => {
    this.immediate = this.timer = null;
    const now = this.options.clock();
    this.pruneAddressBudgets(now);
    this.sweepParked(now);
    if (!this.options.mayBuffer()) {
      this.serveLater();
      return;
    }
    const start = performance.now();
    const turnMs = Math.min(
      MAX_TURN_MS,
      Math.max(MIN_TURN_MS, (start - this.lastTurnEnd) * TURN_SHARE),
    );
    const deadline = start + turnMs;
    let bytes = 0;
    let idle = 0; // connections visited in a row that could be sent nothing
    while (this.turns.length > 0) {
      if (this.cursor >= this.turns.length) this.cursor = 0;
      const session = this.turns[this.cursor] as Session;
      const sent = this.visit(session, now, deadline);
      if (session.pending.size === 0 || session.parkedUntil !== null) {
        this.leaveTurns(this.cursor);
      } else {
        this.cursor += 1;
      }
      if (sent > 0) idle = 0;
      else if (++idle >= this.turns.length) break; // only symbols a gateway is restoring are left
      bytes += sent;
      if (bytes >= TURN_BYTES || performance.now() >= deadline) {
        this.lastTurnEnd = performance.now();
        this.serveSoon();
        return;
      }
    }
    this.lastTurnEnd = performance.now();
    if (this.turns.length > 0 || this.parked.size > 0) this.serveLater();
  };

  /** Removes the connection at `position` from the turn order (the last one takes its place). */
  private leaveTurns(position: number): void {
    const session = this.turns[position] as Session;
    session.queued = false;
    const last = this.turns.pop() as Session;
    if (position < this.turns.length) this.turns[position] = last;
  }

  /**
   * Sends `session` what it is owed, up to VISIT_BYTES and its budgets, in one corked write, or
   * parks it; returns the bytes sent (to it, and to others a fresh chart snapshot also went to).
   */
  private visit(session: Session, now: number, deadline: number): number {
    const peer = session.peer;
    if (peer === null) {
      this.forget(session);
      return 0;
    }
    if (session.parkedUntil !== null || this.park(session, peer, now)) return 0;
    let sent = 0;
    let ownBytes = 0;
    const fresh: number[] = []; // chart snapshots just encoded: others waiting for them get them too
    peer.cork(() => {
      for (const [index, owed] of session.pending) {
        const holding = session.holdings.get(index);
        if (holding?.view !== owed.view) {
          this.cancel(session, index); // unsubscribed or moved since: no longer owed
          continue;
        }
        if (!this.options.isSynced(index)) continue; // a gateway restoring it: sent once whole
        const many = (this.chartWaiters.get(index)?.size ?? 0) >= FAN_OUT_WAITERS;
        const snapshot = this.options.cache.snapshot(index, owed.view, !many);
        if (owed.view === View.Chart && snapshot.catchUpFrom === null) fresh.push(index);
        const bytes = this.send(session, peer, index, owed, snapshot, now);
        ownBytes += bytes;
        if (ownBytes >= VISIT_BYTES || !this.mayHaveMore(session, now)) break;
      }
    });
    sent += ownBytes;
    for (const index of fresh) {
      sent += this.fanOut(index, session, now, deadline);
      if (performance.now() >= deadline) break;
    }
    return sent;
  }

  /**
   * A chart snapshot was just encoded: sends it to every other connection waiting for it that
   * may have it now (one encoding, many receivers, none of them needing batches to catch up).
   */
  private fanOut(index: number, served: Session, now: number, deadline: number): number {
    const waiters = this.chartWaiters.get(index);
    if (!waiters) return 0;
    let sent = 0;
    for (const other of waiters) {
      if (other === served || other.parkedUntil !== null) continue;
      const peer = other.peer;
      const owed = other.pending.get(index);
      if (peer === null || owed === undefined || other.holdings.get(index)?.view !== View.Chart) {
        this.cancel(other, index);
        continue;
      }
      if (this.park(other, peer, now)) continue;
      const snapshot = this.options.cache.snapshot(index, View.Chart);
      peer.cork(() => {
        sent += this.send(other, peer, index, owed, snapshot, now);
      });
      if (performance.now() >= deadline) break;
    }
    return sent;
  }

  /**
   * Sends one snapshot (and, if it is a reused one, the batches since), joins the symbol's topic,
   * and charges the budgets; returns the bytes. The caller corks.
   */
  private send(
    session: Session,
    peer: Peer,
    index: number,
    owed: PendingSnapshot,
    snapshot: CachedSnapshot,
    now: number,
  ): number {
    const { recent, registry, stats } = this.options;
    const frame = snapshot.frame.frameFor(owed.requestId);
    peer.send(frame, true);
    let bytes = frame.length;
    // A snapshot a few flushes old, and the batches since: the series as of now.
    if (snapshot.catchUpFrom !== null) {
      recent.forEachFrom(index, snapshot.catchUpFrom, (batch) => {
        peer.send(batch, true);
        bytes += batch.length;
      });
    }
    const holding = session.holdings.get(index);
    if (holding && !holding.live) {
      holding.live = true;
      // Held quotes join their topic when the connection catches up (QuotePublisher).
      if (!(owed.view === View.Quote && session.quotesHeld)) {
        peer.subscribe(registry.topic(index, owed.view));
      }
    }
    const { view } = owed;
    this.cancel(session, index);
    session.snapshotBudget.spend(bytes);
    this.addressBudget(session.ip, now).spend(bytes);
    stats.snapshotsSent[view] += 1;
    stats.snapshotBytesSent += bytes;
    return bytes;
  }

  private mayHaveMore(session: Session, now: number): boolean {
    return (
      session.snapshotBudget.canSpend(now) && this.addressBudget(session.ip, now).canSpend(now)
    );
  }

  /** Parks the connection if it may not have a snapshot now; says whether it did. */
  private park(session: Session, peer: Peer, now: number): boolean {
    const blocked = this.blockedUntil(
      session,
      this.addressBudget(session.ip, now),
      peer.getBufferedAmount(),
      now,
    );
    if (blocked === null) return false;
    this.parkUntil(session, blocked.until, blocked.delay);
    return true;
  }

  /** Why and how long the connection must wait, or null when it may have a snapshot now. */
  private blockedUntil(
    session: Session,
    address: TokenBucket,
    buffered: number,
    now: number,
  ): { until: number; delay: SnapshotDelay | null } | null {
    if (session.pausedSince !== null) return { until: UNTIL_DRAINED, delay: null };
    if (buffered > BEHIND_BYTES) return { until: UNTIL_DRAINED, delay: 'backpressure' };
    const own = session.snapshotBudget.msUntilSpendable(now);
    if (own > 0) return { until: now + own, delay: 'connection_budget' };
    const shared = address.msUntilSpendable(now);
    if (shared > 0) return { until: now + shared, delay: 'address_budget' };
    return null;
  }

  /** Takes the connection out of the turn order until `until`; counts what it delays, once. */
  private parkUntil(session: Session, until: number, delay: SnapshotDelay | null): void {
    session.parkedUntil = until;
    this.parked.add(session);
    if (delay === null) return;
    for (const owed of session.pending.values()) {
      if (owed.delayed) continue;
      owed.delayed = true;
      increment(this.options.stats.snapshotsDelayed, delay);
    }
  }

  /** Brings back the parked connections whose budget refilled, or that have read on or resumed. */
  private sweepParked(now: number): void {
    if (now - this.sweptAt < RETRY_MS) return;
    this.sweptAt = now;
    for (const session of this.parked) {
      const peer = session.peer;
      if (peer === null || session.pending.size === 0) {
        this.parked.delete(session);
        session.parkedUntil = null;
        continue;
      }
      const until = session.parkedUntil ?? now;
      const ready =
        until === UNTIL_DRAINED
          ? session.pausedSince === null && peer.getBufferedAmount() <= BEHIND_BYTES
          : now >= until;
      if (!ready) continue;
      this.parked.delete(session);
      session.parkedUntil = null;
      this.enqueue(session);
    }
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
