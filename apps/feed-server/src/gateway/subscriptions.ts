import { ErrorCode, View } from '@ticker/protocol';
import type {
  ResyncRequest,
  SubscriptionRequest,
  SymbolRefusal,
  ViewSubscribeRequest,
} from '@ticker/protocol';
import { grantCovers } from '../auth/tokens.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { Peer } from './peer.js';
import type { Replies } from './replies.js';
import type { ServerStats } from './server-stats.js';
import type { Session } from './session.js';
import type { SnapshotQueue } from './snapshot-queue.js';

export interface SubscriptionRulesOptions {
  readonly registry: TopicRegistry;
  readonly queue: SnapshotQueue;
  readonly replies: Replies;
  readonly stats: ServerStats;
  readonly maxSubscriptions: number;
  /** Whether the symbol's history is whole (a gateway restoring it cannot answer a resync yet). */
  readonly isSynced: (index: number) => boolean;
}

/** Ids listed in an error message at most: a reply names the problem, it does not echo the request. */
const LISTED_IDS = 8;

/**
 * What subscribe, view subscribe, unsubscribe and resync do to a connection (docs/PROTOCOL.md
 * "Views", "Subscribe", "View subscribe", "Resync"). A symbol is held in one view; holding it
 * again in that view changes nothing, in the other moves it. Every snapshot is owed to the
 * snapshot queue, which sends it within the budgets; the ack goes first.
 */
export class SubscriptionRules {
  constructor(private readonly options: SubscriptionRulesOptions) {}

  /** The plain subscribe: the chart view, all or nothing, as before views existed. */
  subscribe(session: Session, peer: Peer, request: SubscriptionRequest): void {
    const { requestId } = request;
    const { replies } = this.options;
    const { indexes, unknown } = this.resolve(request.symbolIds);
    if (unknown.length > 0) {
      replies.refuse(
        peer,
        'unknown_symbol',
        requestId,
        ErrorCode.UnknownSymbol,
        `unknown symbol id(s): ${list(unknown)}`,
      );
      return;
    }
    const forbidden = indexes.filter((index) => !this.granted(session, index));
    if (forbidden.length > 0) {
      const tickers = forbidden.map((index) => this.options.registry.symbolAt(index).ticker);
      replies.refuse(
        peer,
        'forbidden_symbol',
        requestId,
        ErrorCode.Forbidden,
        `your access token does not cover: ${list(tickers)}`,
      );
      return;
    }
    if (!this.withinLimit(session, peer, requestId, indexes)) return;
    peer.cork(() => {
      replies.ack(peer, requestId);
      for (const index of indexes) this.hold(session, peer, index, View.Chart, requestId);
    });
  }

  /** Holds every symbol it can in the view, and names the ones it could not, with why. */
  subscribeView(session: Session, peer: Peer, request: ViewSubscribeRequest): void {
    const { requestId, view } = request;
    const { registry, replies } = this.options;
    const refusals: SymbolRefusal[] = [];
    const accepted: number[] = [];
    const seen = new Set<number>();
    for (const symbolId of request.symbolIds) {
      if (seen.has(symbolId)) continue;
      seen.add(symbolId);
      const index = registry.indexOfId(symbolId);
      if (index === undefined) {
        replies.count('unknown_symbol');
        refusals.push({ symbolId, code: ErrorCode.UnknownSymbol });
      } else if (!this.granted(session, index)) {
        replies.count('forbidden_symbol');
        refusals.push({ symbolId, code: ErrorCode.Forbidden });
      } else {
        accepted.push(index);
      }
    }
    if (!this.withinLimit(session, peer, requestId, accepted)) return;
    peer.cork(() => {
      if (refusals.length > 0) replies.refusals(peer, requestId, refusals);
      else replies.ack(peer, requestId);
      for (const index of accepted) this.hold(session, peer, index, view, requestId);
    });
  }

  /** All or nothing, like subscribe: one unknown id refuses the whole request. */
  unsubscribe(session: Session, peer: Peer, request: SubscriptionRequest): void {
    const { indexes, unknown } = this.resolve(request.symbolIds);
    if (unknown.length > 0) {
      this.options.replies.refuse(
        peer,
        'unknown_symbol',
        request.requestId,
        ErrorCode.UnknownSymbol,
        `unknown symbol id(s): ${list(unknown)}`,
      );
      return;
    }
    for (const index of indexes) this.release(session, peer, index);
    this.options.replies.ack(peer, request.requestId);
  }

  /** A fresh snapshot of a symbol held, in its view; owed through the queue like any other. */
  resync(session: Session, peer: Peer, request: ResyncRequest): void {
    const { requestId, symbolId } = request;
    const { registry, replies, queue, isSynced } = this.options;
    const index = registry.indexOfId(symbolId);
    if (index === undefined) {
      replies.refuse(
        peer,
        'unknown_symbol',
        requestId,
        ErrorCode.UnknownSymbol,
        `unknown symbol id ${symbolId}`,
      );
      return;
    }
    const ticker = registry.symbolAt(index).ticker;
    const holding = session.holdings.get(index);
    if (!this.granted(session, index)) {
      replies.refuse(
        peer,
        'forbidden_symbol',
        requestId,
        ErrorCode.Forbidden,
        `your access token does not cover ${ticker}`,
      );
    } else if (!holding) {
      replies.refuse(
        peer,
        'not_subscribed',
        requestId,
        ErrorCode.NotSubscribed,
        `not subscribed to ${ticker}: subscribe first`,
      );
    } else if (!isSynced(index)) {
      replies.refuse(
        peer,
        'catching_up',
        requestId,
        ErrorCode.Unavailable,
        'catching up with the market; a snapshot follows when it is complete',
      );
    } else if (session.pausedSince !== null) {
      // It gets a fresh snapshot of every symbol when it drains; more now would only pile up.
      replies.refuse(
        peer,
        'paused',
        requestId,
        ErrorCode.Unavailable,
        'paused as a slow consumer; snapshots follow when you catch up',
      );
    } else {
      queue.request(session, index, holding.view, requestId);
    }
  }

  /** The connection closed: what it held no longer counts. */
  forget(session: Session): void {
    for (const holding of session.holdings.values())
      this.options.stats.subscriptions[holding.view] -= 1;
    session.holdings.clear();
    session.quoteHoldings = 0;
    this.options.queue.forget(session);
  }

  private hold(session: Session, peer: Peer, index: number, view: View, requestId: number): void {
    const holding = session.holdings.get(index);
    if (holding?.view === view) return; // held already: its snapshot went, or is on its way
    const { stats, queue } = this.options;
    if (holding) {
      this.leaveTopic(session, peer, index, holding.view, holding.live);
      stats.subscriptions[holding.view] -= 1;
      if (holding.view === View.Quote) session.quoteHoldings -= 1;
      holding.view = view;
      holding.live = false;
    } else {
      session.holdings.set(index, { view, live: false });
    }
    stats.subscriptions[view] += 1;
    if (view === View.Quote) session.quoteHoldings += 1;
    queue.request(session, index, view, requestId);
  }

  private release(session: Session, peer: Peer, index: number): void {
    const holding = session.holdings.get(index);
    if (!holding) return;
    this.leaveTopic(session, peer, index, holding.view, holding.live);
    this.options.queue.cancel(session, index);
    session.holdings.delete(index);
    this.options.stats.subscriptions[holding.view] -= 1;
    if (holding.view === View.Quote) session.quoteHoldings -= 1;
  }

  private leaveTopic(session: Session, peer: Peer, index: number, view: View, live: boolean): void {
    // Held quotes have left their topics already, and a paused connection has left them all.
    if (!live || (view === View.Quote && session.quotesHeld)) return;
    peer.unsubscribe(this.options.registry.topic(index, view));
  }

  private withinLimit(
    session: Session,
    peer: Peer,
    requestId: number,
    indexes: readonly number[],
  ): boolean {
    const { maxSubscriptions } = this.options;
    const added = indexes.filter((index) => !session.holdings.has(index)).length;
    if (session.holdings.size + added <= maxSubscriptions) return true;
    this.options.replies.refuse(
      peer,
      'subscription_limit',
      requestId,
      ErrorCode.LimitExceeded,
      `at most ${maxSubscriptions} subscriptions per connection (have ${session.holdings.size}, asked for ${added} more)`,
    );
    return false;
  }

  private granted(session: Session, index: number): boolean {
    return grantCovers(session.grant, this.options.registry.symbolAt(index));
  }

  /** The request's symbols as indexes, each once, in order; and the ids not in the directory. */
  private resolve(ids: readonly number[]): { indexes: number[]; unknown: number[] } {
    const indexes = new Set<number>();
    const unknown: number[] = [];
    for (const id of ids) {
      const index = this.options.registry.indexOfId(id);
      if (index === undefined) unknown.push(id);
      else indexes.add(index);
    }
    return { indexes: [...indexes], unknown };
  }
}

function list(items: ReadonlyArray<string | number>): string {
  return items.slice(0, LISTED_IDS).join(', ') + (items.length > LISTED_IDS ? ', …' : '');
}
