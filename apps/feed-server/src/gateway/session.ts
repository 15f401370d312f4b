import type { View } from '@ticker/protocol';
import type { Grant } from '../auth/tokens.js';
import type { TokenBucket } from '../domain/rate-limiter.js';
import type { MessageRate } from './message-rate.js';
import type { Peer } from './peer.js';

/** A symbol a connection holds, and whether its view's topic is subscribed yet. */
export interface Holding {
  view: View;
  /**
   * False until the view's snapshot went out: only then is the topic subscribed, so the first
   * batch a client gets is the one its snapshot promised (and no quote precedes its snapshot).
   */
  live: boolean;
}

/** A snapshot owed to the connection, sent when its budgets allow. */
export interface PendingSnapshot {
  readonly view: View;
  /** The request it answers; 0 when unasked (a resume). */
  requestId: number;
  /** Already counted as delayed, so a snapshot is counted once however long it waits. */
  delayed: boolean;
}

/**
 * Everything the server knows about one connection: who it is, what it holds and in which view,
 * what it is owed, and how it is keeping up. Rules live in the modules that act on it; this is
 * their shared state, one per connection (uWS's user data).
 */
export class Session {
  /** Set when the socket opens; null once it closed (a closed uWS socket must not be touched). */
  peer: Peer | null = null;
  /** By symbol index. */
  readonly holdings = new Map<number, Holding>();
  /** Snapshots owed, by symbol index, oldest first. */
  readonly pending = new Map<number, PendingSnapshot>();
  /** Whether the snapshot queue has it in its turn order. */
  queued = false;
  /**
   * Set while the snapshot queue has set it aside (out of its turn order, so that it costs
   * nothing to pass over): until this time for a budget, or Infinity until it reads on or resumes.
   */
  parkedUntil: number | null = null;
  /** Symbols held in the quote view: its quotes are checked only when it has some. */
  quoteHoldings = 0;
  /** While the server holds unsent bytes for it, its quote topics are left: quotes wait (conflated). */
  quotesHeld = false;
  /** When it was paused as a slow consumer, or null while it is keeping up. */
  pausedSince: number | null = null;
  /** Since when uWS has held unsent bytes for it without a break; null while it holds none. */
  bufferedSince: number | null = null;
  /** When uWS last reported its buffer draining. */
  lastDrainAt: number;

  constructor(
    readonly ip: string,
    /** What its token allows (everything, forever, without access control); a refresh replaces it. */
    public grant: Grant,
    readonly rate: MessageRate,
    /** Snapshot bytes it may be sent. */
    readonly snapshotBudget: TokenBucket,
    now: number,
  ) {
    this.lastDrainAt = now;
  }
}
