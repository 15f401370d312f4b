import { CloseCode, View } from '@ticker/protocol';
import type { LogThrottle } from '../log-throttle.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { ConnectionLimits } from './connection-limits.js';
import type { QuotePublisher } from './quote-publisher.js';
import type { PauseReason, ServerStats } from './server-stats.js';
import { increment } from './server-stats.js';
import type { Session } from './session.js';
import type { SnapshotQueue } from './snapshot-queue.js';

/** Past this share of `maxBufferedBytes`, the connections holding the most are paused... */
const PAUSE_SHARE = 0.5;
/** ...until the ones still receiving hold at most this share between them. */
const RECEIVING_SHARE = 0.25;
/** Past the cap itself, connections are dropped, largest buffers first, down to this share. */
const DROP_DOWN_TO_SHARE = 0.75;
/**
 * Milliseconds of pausing done per check. A pause leaves every topic the connection held (229
 * of them for a subscriber of everything: ~0.4 ms), and hundreds of readers that stopped
 * together would otherwise hold up the flush, and everyone's feed, for a tenth of a second. The
 * rest are paused at the next checks, a flush interval apart, largest buffers first.
 */
const PAUSE_WORK_MS = 4;

export interface SlowConsumersOptions {
  readonly limits: ConnectionLimits;
  readonly stats: ServerStats;
  /** Pauses and closes are driven by clients: logged a few a minute, counted in full. */
  readonly logs: LogThrottle;
  readonly registry: TopicRegistry;
  readonly queue: SnapshotQueue;
  readonly quotes: QuotePublisher;
  /** The topic every connection gets heartbeats and market status changes on. */
  readonly broadcastTopic: string;
  /** The market status a connection may have missed while out of the broadcast topic. */
  readonly marketStatus: () => Uint8Array | null;
  /** Milliseconds: the wall clock even in a frozen market. */
  readonly clock: () => number;
  /** Milliseconds, for PAUSE_WORK_MS; performance.now() unless a test drives it. */
  readonly workClock?: () => number;
}

/**
 * Keeps what the server buffers for clients bounded (README "Slow consumers"). A connection is
 * paused (sent nothing: its topics and heartbeats left) when its buffer passes
 * `slowConsumerBytes`, or when it has held bytes without draining for `stalledReaderMs` whatever
 * their size: a reader that stopped is caught in seconds, not once the kernel's buffers are
 * full. It resumes when it drains, with a fresh snapshot of every symbol; one paused too long is
 * closed with 4001. Over all connections, nothing passes `maxBufferedBytes`: nearing it, the
 * connections holding the most are paused; at it, paused ones are dropped, the largest and
 * longest-paused first.
 */
export class SlowConsumers {
  private readonly workClock: () => number;

  constructor(private readonly options: SlowConsumersOptions) {
    this.workClock = options.workClock ?? (() => performance.now());
  }

  /** Looks at every connection's buffer; runs once per flush interval. */
  check(sessions: ReadonlySet<Session>): void {
    const { limits, stats } = this.options;
    const now = this.options.clock();
    const pauseUntil = this.workClock() + PAUSE_WORK_MS;
    let total = 0;
    for (const session of sessions) {
      const peer = session.peer;
      if (peer === null) continue;
      const buffered = peer.getBufferedAmount();
      total += buffered;
      if (buffered === 0) session.bufferedSince = null;
      else session.bufferedSince ??= now;
      if (session.pausedSince !== null) {
        if (now - session.pausedSince > limits.slowConsumerTimeoutMs) this.closeSlow(session, now);
      } else if (this.workClock() >= pauseUntil) {
        continue; // paused at a next check if it still has to be
      } else if (buffered > limits.slowConsumerBytes) {
        this.pause(session, 'buffer', buffered, now);
      } else if (this.stalled(session, now)) {
        this.pause(session, 'stalled', buffered, now);
      }
    }
    stats.bufferedBytes = total;
    if (total > limits.maxBufferedBytes * PAUSE_SHARE) this.keepUnderCap(sessions, now, pauseUntil);
  }

  /** uWS reports the connection's buffer draining. */
  drained(session: Session): void {
    const peer = session.peer;
    if (peer === null) return;
    session.lastDrainAt = this.options.clock();
    const buffered = peer.getBufferedAmount();
    if (session.pausedSince !== null) {
      if (buffered < this.options.limits.slowConsumerBytes / 4) this.resume(session);
      return;
    }
    this.options.quotes.catchUp(session);
    if (session.pending.size > 0) this.options.queue.wake();
  }

  /** Buffered bytes without a drain for `stalledReaderMs`: a reader that has stopped. */
  private stalled(session: Session, now: number): boolean {
    if (session.bufferedSince === null) return false;
    const since = Math.max(session.bufferedSince, session.lastDrainAt);
    return now - since >= this.options.limits.stalledReaderMs;
  }

  /**
   * Stops sending it anything: its topics, heartbeats and market status are left, and every symbol it held is
   * owed a fresh snapshot (request id 0), sent once it drains. What it asked for is kept.
   */
  private pause(session: Session, reason: PauseReason, buffered: number, now: number): void {
    const peer = session.peer;
    if (peer === null) return;
    const { stats, registry, queue, logs, broadcastTopic } = this.options;
    session.pausedSince = now;
    stats.pausedConnections += 1;
    increment(stats.slowConsumerPauses, reason);
    logs.log('info', `pause ${reason}`, 'paused a slow client', {
      ip: session.ip,
      reason,
      bufferedBytes: buffered,
    });
    peer.unsubscribe(broadcastTopic);
    for (const [index, holding] of session.holdings) {
      if (!holding.live) continue;
      if (!(holding.view === View.Quote && session.quotesHeld)) {
        peer.unsubscribe(registry.topic(index, holding.view));
      }
      holding.live = false;
      if (!queue.owes(session, index)) queue.request(session, index, holding.view, 0);
    }
    session.quotesHeld = false;
  }

  private resume(session: Session): void {
    const peer = session.peer;
    if (peer === null) return;
    session.pausedSince = null;
    this.options.stats.pausedConnections -= 1;
    peer.subscribe(this.options.broadcastTopic);
    const status = this.options.marketStatus();
    if (status !== null) peer.send(status, true);
    this.options.queue.wake();
  }

  private closeSlow(session: Session, now: number): void {
    const { stats, logs } = this.options;
    stats.slowConsumerCloses += 1;
    logs.log('info', 'slow consumer close', 'closed a slow client (4001)', {
      ip: session.ip,
      pausedMs: now - (session.pausedSince ?? now),
    });
    session.peer?.end(CloseCode.SlowConsumer, 'slow consumer: could not keep up with the feed');
  }

  /** The server-wide cap: pause the largest buffers nearing it, drop the largest past it. */
  private keepUnderCap(sessions: ReadonlySet<Session>, now: number, pauseUntil: number): void {
    const { limits, stats, logs } = this.options;
    const cap = limits.maxBufferedBytes;
    const buffers: Array<{ session: Session; bytes: number }> = [];
    for (const session of sessions) {
      const bytes = session.peer?.getBufferedAmount() ?? 0;
      if (bytes > 0) buffers.push({ session, bytes });
    }
    // Largest first; of equal ones, the longest paused (unpaused ones count as paused now).
    buffers.sort(
      (a, b) =>
        b.bytes - a.bytes || (a.session.pausedSince ?? now) - (b.session.pausedSince ?? now),
    );
    let receiving = buffers.reduce(
      (sum, { session, bytes }) => sum + (session.pausedSince === null ? bytes : 0),
      0,
    );
    for (const { session, bytes } of buffers) {
      if (receiving <= cap * RECEIVING_SHARE || this.workClock() >= pauseUntil) break;
      if (session.pausedSince !== null) continue;
      this.pause(session, 'memory', bytes, now);
      receiving -= bytes;
    }
    let total = stats.bufferedBytes;
    if (total <= cap) return;
    const paused = buffers.filter(({ session }) => session.pausedSince !== null);
    const others = buffers.filter(({ session }) => session.pausedSince === null);
    const before = total;
    let dropped = 0;
    for (const { session, bytes } of [...paused, ...others]) {
      if (total <= cap * DROP_DOWN_TO_SHARE) break;
      stats.memoryCapDrops += 1;
      dropped += 1;
      total -= bytes;
      session.peer?.close(); // no close frame: it could not reach a client that is not reading
    }
    logs.log('warn', 'memory cap drop', 'dropped clients to stay under MAX_BUFFERED_BYTES', {
      dropped,
      bufferedBytesBefore: before,
      bufferedBytesAfter: total,
    });
    stats.bufferedBytes = total;
  }
}
