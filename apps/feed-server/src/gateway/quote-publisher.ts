import { ByteWriter, View, encodeQuote } from '@ticker/protocol';
import type { SymbolHistory } from '../domain/symbol-history.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { Publisher } from './peer.js';
import type { ServerStats } from './server-stats.js';
import { QUOTE_INTERVAL_MS } from './connection-limits.js';
import type { Session } from './session.js';

/**
 * Flushes come every FLUSH_INTERVAL_MS, give or take a timer's jitter: a quote interval counts
 * as passed this much early, so that 250 ms of 50 ms flushes is every fifth flush, not the sixth.
 */
const EARLY_MS = 10;

/**
 * The quote view's feed (docs/PROTOCOL.md "Views"): every QUOTE_INTERVAL_MS, each symbol that
 * traded since its last quote and has quote subscribers gets one quote, encoded once and
 * published natively to its quote topic. Quotes are conflated: a connection for which the
 * server holds unsent bytes leaves its quote topics until it catches up, then gets the newest
 * quote of each of its symbols. So a slow reader falls behind by one quote at most, never by a
 * backlog, and costs no memory for it.
 */
export class QuotePublisher {
  private readonly tradesQuoted: Float64Array;
  private readonly writer = new ByteWriter(64);
  private lastTick = -Infinity;

  constructor(
    private readonly publisher: Publisher,
    private readonly registry: TopicRegistry,
    private readonly histories: readonly SymbolHistory[],
    private readonly stats: ServerStats,
  ) {
    this.tradesQuoted = new Float64Array(histories.length).fill(-1);
  }

  /**
   * Called after every flush, in the flush's callback so that quotes share its writes; does its
   * work once a quote interval has passed.
   */
  afterFlush(sessions: ReadonlySet<Session>, now: number): void {
    if (now - this.lastTick < QUOTE_INTERVAL_MS - EARLY_MS) return;
    this.lastTick = now;
    this.tick(sessions);
  }

  /**
   * One quote interval: the quotes of connections that are behind are held, what changed is
   * published, and held connections that caught up get the newest.
   */
  tick(sessions: ReadonlySet<Session>): void {
    for (const session of sessions) {
      if (session.quoteHoldings === 0 || session.quotesHeld || session.peer === null) continue;
      if (session.peer.getBufferedAmount() > 0) this.hold(session);
    }
    this.publishChanged();
    for (const session of sessions) {
      if (session.quotesHeld) this.catchUp(session);
    }
  }

  /**
   * A connection's buffer drained: once uWS holds nothing more for it, its quotes resume with
   * the newest of each symbol.
   */
  catchUp(session: Session): void {
    const peer = session.peer;
    if (!session.quotesHeld || peer === null || session.pausedSince !== null) return;
    if (peer.getBufferedAmount() > 0) return;
    session.quotesHeld = false;
    peer.cork(() => {
      for (const [index, holding] of session.holdings) {
        if (holding.view !== View.Quote || !holding.live) continue;
        const quote = this.encodeLatest(index);
        if (quote) peer.send(quote, true);
        peer.subscribe(this.registry.topic(index, View.Quote));
      }
    });
  }

  private hold(session: Session): void {
    const peer = session.peer;
    if (peer === null) return;
    session.quotesHeld = true;
    for (const [index, holding] of session.holdings) {
      if (holding.view === View.Quote && holding.live) {
        peer.unsubscribe(this.registry.topic(index, View.Quote));
      }
    }
  }

  private publishChanged(): void {
    for (let index = 0; index < this.histories.length; index++) {
      const topic = this.registry.topic(index, View.Quote);
      if (this.publisher.numSubscribers(topic) === 0) continue;
      const history = this.histories[index] as SymbolHistory;
      if (history.trades === this.tradesQuoted[index]) continue;
      const quote = this.encodeLatest(index);
      if (!quote) continue;
      this.tradesQuoted[index] = history.trades;
      this.publisher.publish(topic, quote, true, false);
      this.stats.quotesPublished += 1;
      this.stats.quoteBytesPublished += quote.length;
    }
  }

  /** The symbol's newest quote, valid until the next call; null before its first trade. */
  private encodeLatest(index: number): Uint8Array | null {
    const history = this.histories[index] as SymbolHistory;
    const quote = history.quote(this.registry.symbolAt(index).id);
    return quote ? encodeQuote(quote, this.writer) : null;
  }
}
