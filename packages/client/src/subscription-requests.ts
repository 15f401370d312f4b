import {
  ByteWriter,
  ErrorCode,
  View,
  encodeSubscribe,
  encodeUnsubscribe,
  encodeViewSubscribe,
} from '@ticker/protocol';
import type { SymbolRefusal } from '@ticker/protocol';
import { ClientErrorCode, FeedError } from './feed-error.js';
import type { FeedErrorCode } from './feed-error.js';
import type { Subscription } from './subscription.js';

/** The connection requests go out on, as the coalescer sees it. */
export interface RequestLink {
  /** Open and holding this connection's directory: requests can be sent and tickers resolved. */
  ready(): boolean;
  /** The server speaks views (view subscribe, refusals, quotes); otherwise only subscribe. */
  viewsSupported(): boolean;
  /** Symbol ids per request: the hello's `MaxSymbolsPerRequest`. */
  maxSymbolsPerRequest(): number;
  symbolId(ticker: string): number | undefined;
  nextRequestId(): number;
  send(frame: Uint8Array): void;
  /** An error no pending promise reports: the client re-emits it as its own `error` event. */
  report(error: FeedError): void;
}

interface Waiter {
  resolve(): void;
  reject(error: FeedError): void;
}

/** What has been asked for one subscription on the current connection. */
interface Wire {
  /** The view the server holds the symbol in once it has read every frame sent (null: none). */
  sentView: View | null;
  /** The (view) subscribe that carries the current wish, until it is answered; 0 when none. */
  holdRequest: number;
  /** The unsubscribe sent for it, until it is answered; 0 when none. */
  dropRequest: number;
  /** Wanted and not yet asked for on this connection. */
  unsent: boolean;
  /** See `changed`: ticker-array calls keep one request each on a server without views. */
  group: number;
  /** Removed from its client: forget the wire once nothing of it is left on the wire. */
  forgotten: boolean;
  /** Settled when the server has applied (or refused) the current wish. */
  readonly applied: Waiter[];
  /** Settled when the server has dropped the symbol (or refused to). */
  readonly dropped: Waiter[];
}

interface RequestEntry {
  readonly subscription: Subscription;
  readonly symbolId: number;
  /** The view the server held it in before this request, to restore if it is refused. */
  readonly previous: View | null;
}

interface SentRequest {
  /** A (view) subscribe; otherwise an unsubscribe. */
  readonly hold: boolean;
  readonly entries: readonly RequestEntry[];
}

/**
 * Turns subscription changes into as few requests as the protocol allows, and each reply back
 * into the subscriptions it concerns.
 *
 * Changes made in one tick are sent together in a microtask: one unsubscribe for everything
 * dropped, then one view subscribe per view for everything wanted, each split at
 * `MaxSymbolsPerRequest` ids. That keeps a dashboard that creates 50 subscriptions at once to one
 * frame, well inside the server's message rate (20 a second, a burst of 40 today: PROTOCOL.md
 * "Message rate"). A symbol already held in its view and wanted afresh (unsubscribed and
 * subscribed again before the flush) is dropped and held again, because a subscribe of a symbol
 * already held sends no second snapshot.
 *
 * To extend: a new request kind is one more list built in `flush` and one more `SentRequest`
 * kind matched in `acked`, `refused` and `failed`.
 */
export class SubscriptionRequests {
  private readonly link: RequestLink;
  private readonly wires = new Map<Subscription, Wire>();
  private readonly sent = new Map<number, SentRequest>();
  private readonly dirty = new Set<Subscription>();
  private scheduled = false;
  private readonly writer = new ByteWriter(1024);

  constructor(link: RequestLink) {
    this.link = link;
  }

  /**
   * `subscription` became wanted, unwanted, or moved view: send it with the next flush.
   * `group` is 0 for subscription objects. A server without views answers a subscribe all or
   * nothing, so there the ticker-array `subscribe()` keeps one request per call (as it always
   * did) and one refused ticker cannot take another caller's down with it.
   */
  changed(subscription: Subscription, group = 0): void {
    const wire = this.wireOf(subscription);
    wire.unsent = subscription.state !== 'unsubscribed';
    wire.group = group;
    // Superseded by an unsubscribe: nothing will be applied, so nothing is left to wait for.
    if (!wire.unsent) settle(wire.applied, null);
    this.dirty.add(subscription);
    this.schedule();
  }

  /** After a (re)connect: asks again for a wanted subscription, with the next flush. */
  resume(subscription: Subscription): void {
    this.wireOf(subscription).unsent = true;
    this.dirty.add(subscription);
    this.schedule();
  }

  /**
   * Resolves once the server applied the subscription's current wish (an ack, or refusals that
   * do not name it), at once if nothing is left to ask. Rejects with the refusal, with
   * `ConnectionLost` if the connection drops while it is asked (it is asked again after the
   * reconnect), or with `Closed`. An unsubscribe before the answer resolves it.
   */
  whenApplied(subscription: Subscription): Promise<void> {
    const wire = this.wireOf(subscription);
    if (subscription.state === 'unsubscribed' || (!wire.unsent && wire.holdRequest === 0)) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => wire.applied.push({ resolve, reject }));
  }

  /** Resolves once the server dropped the symbol, at once if it holds nothing of it. */
  whenDropped(subscription: Subscription): Promise<void> {
    const wire = this.wireOf(subscription);
    if (!this.dirty.has(subscription) && wire.dropRequest === 0) return Promise.resolve();
    return new Promise((resolve, reject) => wire.dropped.push({ resolve, reject }));
  }

  /** Rejects what waits on `subscription`'s wish, which stays wanted (missing from a directory). */
  failWaiting(subscription: Subscription, error: FeedError): void {
    settle(this.wireOf(subscription).applied, error);
  }

  /** `subscription` was removed from its client: keep its wire only until the server let go. */
  forget(subscription: Subscription): void {
    const wire = this.wires.get(subscription);
    if (!wire) return;
    wire.forgotten = true;
    this.release(subscription, wire);
  }

  /** An ack. Returns false for a request id this did not send. */
  acked(requestId: number): boolean {
    const request = this.take(requestId);
    if (!request) return false;
    for (const entry of request.entries) this.applied(entry, requestId, request.hold);
    return true;
  }

  /** A symbol refusals reply: the listed symbols were refused, every other one applied. */
  refused(requestId: number, refusals: readonly SymbolRefusal[]): boolean {
    const request = this.take(requestId);
    if (!request) return false;
    const codes = new Map(refusals.map(({ symbolId, code }) => [symbolId, code]));
    // One error per code, naming every symbol of this reply refused with it.
    const byCode = new Map<number, RequestEntry[]>();
    for (const entry of request.entries) {
      const code = codes.get(entry.symbolId);
      if (code === undefined) continue;
      const entries = byCode.get(code) ?? [];
      entries.push(entry);
      byCode.set(code, entries);
    }
    const errors = new Map<number, FeedError>();
    for (const [code, entries] of byCode) {
      errors.set(
        code,
        new FeedError(code as FeedErrorCode, refusalMessage(code, entries), requestId),
      );
    }
    const reports = new Set<FeedError>();
    for (const entry of request.entries) {
      const code = codes.get(entry.symbolId);
      const error = code === undefined ? undefined : errors.get(code);
      if (error && request.hold) this.refuse(entry, requestId, error, reports);
      else this.applied(entry, requestId, request.hold);
    }
    for (const error of reports) this.link.report(error);
    return true;
  }

  /** An error reply to a whole request: none of it was applied. */
  failed(requestId: number, error: FeedError): boolean {
    const request = this.take(requestId);
    if (!request) return false;
    const reports = new Set<FeedError>();
    for (const entry of request.entries) {
      if (request.hold) this.refuse(entry, requestId, error, reports);
      else this.dropFailed(entry, requestId, error, reports);
    }
    for (const report of reports) this.link.report(report);
    return true;
  }

  /**
   * The connection dropped: the next one starts holding nothing. Wishes in flight reject their
   * waiters with `ConnectionLost` (they are asked again after the reconnect).
   */
  connectionLost(reason: string): void {
    const lost = new FeedError(ClientErrorCode.ConnectionLost, reason);
    for (const [subscription, wire] of this.wires) {
      if (wire.holdRequest !== 0) settle(wire.applied, lost);
      settle(wire.dropped, wire.dropRequest !== 0 ? lost : null);
      this.reset(wire, subscription.state !== 'unsubscribed');
      this.release(subscription, wire);
    }
    this.sent.clear();
    this.dirty.clear();
  }

  /** The client closed: every waiter rejects with `Closed`, and nothing is asked any more. */
  closed(reason: string): void {
    const closed = new FeedError(ClientErrorCode.Closed, reason);
    for (const [subscription, wire] of this.wires) {
      settle(wire.applied, closed);
      settle(wire.dropped, closed);
      this.reset(wire, false);
      this.release(subscription, wire);
    }
    this.sent.clear();
    this.dirty.clear();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const changed = [...this.dirty];
    this.dirty.clear();
    if (!this.link.ready()) {
      // A connection that is not open holds nothing: unsubscribes are done, and what is wanted
      // is asked for when the next directory arrives (`resume`).
      for (const subscription of changed) {
        const wire = this.wireOf(subscription);
        if (wire.dropRequest === 0) settle(wire.dropped, null);
        this.release(subscription, wire);
      }
      return;
    }
    const drops: Subscription[] = [];
    const holds = new Map<string, { view: View; subscriptions: Subscription[] }>();
    const unknown: Subscription[] = [];
    for (const subscription of changed) {
      const wire = this.wireOf(subscription);
      if (subscription.state === 'unsubscribed') {
        if (wire.sentView !== null) drops.push(subscription);
        continue;
      }
      if (!wire.unsent) continue;
      if (this.link.symbolId(subscription.ticker) === undefined) {
        unknown.push(subscription);
        continue;
      }
      // Held in this very view already: a subscribe would change nothing and bring no snapshot.
      if (wire.sentView === subscription.view) drops.push(subscription);
      const { view } = subscription;
      const key = this.link.viewsSupported() ? `${view}` : `${view}:${wire.group}`;
      const hold = holds.get(key) ?? { view, subscriptions: [] };
      hold.subscriptions.push(subscription);
      holds.set(key, hold);
    }
    this.send(drops, null);
    const unsupported: Subscription[] = [];
    for (const { view, subscriptions } of holds.values()) {
      if (view !== View.Chart && !this.link.viewsSupported()) unsupported.push(...subscriptions);
      else this.send(subscriptions, view);
    }
    for (const subscription of changed) {
      const wire = this.wireOf(subscription);
      if (wire.dropRequest === 0) settle(wire.dropped, null);
      this.release(subscription, wire);
    }
    // Refused here, after sending, so that listeners that subscribe again meet a clean state.
    const reports = new Set<FeedError>();
    if (unknown.length > 0) {
      const error = new FeedError(
        ErrorCode.UnknownSymbol,
        `not in the server's directory: ${unknown.map((s) => s.ticker).join(', ')}`,
      );
      for (const subscription of unknown) this.refuseUnsent(subscription, error, reports);
    }
    if (unsupported.length > 0) {
      const error = new FeedError(
        ClientErrorCode.ViewsUnsupported,
        `this server predates views and serves only the chart view: ${unsupported.map((s) => s.ticker).join(', ')}`,
      );
      for (const subscription of unsupported) this.refuseUnsent(subscription, error, reports);
    }
    for (const error of reports) this.link.report(error);
  };

  /** Sends `subscriptions` in requests of at most `MaxSymbolsPerRequest`: held in `view`, or dropped (null). */
  private send(subscriptions: readonly Subscription[], view: View | null): void {
    const perRequest = Math.max(1, this.link.maxSymbolsPerRequest());
    for (let start = 0; start < subscriptions.length; start += perRequest) {
      const requestId = this.link.nextRequestId();
      const entries: RequestEntry[] = [];
      for (const subscription of subscriptions.slice(start, start + perRequest)) {
        const symbolId = this.link.symbolId(subscription.ticker);
        if (symbolId === undefined) continue; // checked by the caller
        const wire = this.wireOf(subscription);
        entries.push({ subscription, symbolId, previous: wire.sentView });
        wire.sentView = view;
        if (view === null) {
          wire.dropRequest = requestId;
        } else {
          wire.holdRequest = requestId;
          wire.unsent = false;
          subscription._requested();
        }
      }
      if (entries.length === 0) continue;
      const symbolIds = entries.map((entry) => entry.symbolId);
      this.sent.set(requestId, { hold: view !== null, entries });
      this.link.send(this.encode(requestId, view, symbolIds));
    }
  }

  private encode(requestId: number, view: View | null, symbolIds: readonly number[]): Uint8Array {
    if (view === null) return encodeUnsubscribe({ requestId, symbolIds }, this.writer);
    // A server without views knows only the subscribe, which holds symbols in the chart view.
    if (!this.link.viewsSupported()) return encodeSubscribe({ requestId, symbolIds }, this.writer);
    return encodeViewSubscribe({ requestId, view, symbolIds }, this.writer);
  }

  private applied(entry: RequestEntry, requestId: number, hold: boolean): void {
    const { subscription } = entry;
    const wire = this.wireOf(subscription);
    if (hold && wire.holdRequest === requestId) {
      wire.holdRequest = 0;
      settle(wire.applied, null);
    } else if (!hold && wire.dropRequest === requestId) {
      wire.dropRequest = 0;
      settle(wire.dropped, null);
    }
    this.release(subscription, wire);
  }

  private refuse(
    entry: RequestEntry,
    requestId: number,
    error: FeedError,
    reports: Set<FeedError>,
  ): void {
    const { subscription } = entry;
    const wire = this.wireOf(subscription);
    // A later request carries a newer wish; its own answer decides.
    if (wire.holdRequest !== requestId) return;
    wire.holdRequest = 0;
    wire.sentView = entry.previous;
    this.refuseUnsent(subscription, error, reports);
  }

  private refuseUnsent(
    subscription: Subscription,
    error: FeedError,
    reports: Set<FeedError>,
  ): void {
    const wire = this.wireOf(subscription);
    wire.unsent = false;
    if (wire.applied.length === 0) reports.add(error);
    else settle(wire.applied, error);
    subscription._refuse(error);
    // Still held in the view it was moving from: drop it, so that the server agrees.
    if (wire.sentView !== null && subscription.state === 'unsubscribed') {
      this.dirty.add(subscription);
      this.schedule();
    }
  }

  private dropFailed(
    entry: RequestEntry,
    requestId: number,
    error: FeedError,
    reports: Set<FeedError>,
  ): void {
    const { subscription } = entry;
    const wire = this.wireOf(subscription);
    if (wire.dropRequest !== requestId) return;
    wire.dropRequest = 0;
    // Still held, unless something sent since holds it anew.
    if (wire.sentView === null) wire.sentView = entry.previous;
    if (wire.dropped.length === 0) reports.add(error);
    else settle(wire.dropped, error);
    subscription._fail(error);
    // Asked again with the next flush that happens anyway: at once would meet the same rate limit.
    if (subscription.state === 'unsubscribed') this.dirty.add(subscription);
  }

  private take(requestId: number): SentRequest | undefined {
    const request = this.sent.get(requestId);
    if (request) this.sent.delete(requestId);
    return request;
  }

  private wireOf(subscription: Subscription): Wire {
    let wire = this.wires.get(subscription);
    if (!wire) {
      wire = {
        sentView: null,
        holdRequest: 0,
        dropRequest: 0,
        unsent: false,
        group: 0,
        forgotten: false,
        applied: [],
        dropped: [],
      };
      this.wires.set(subscription, wire);
    }
    return wire;
  }

  private reset(wire: Wire, unsent: boolean): void {
    wire.sentView = null;
    wire.holdRequest = 0;
    wire.dropRequest = 0;
    wire.unsent = unsent;
    wire.group = 0;
  }

  /** Forgets the wire of a removed subscription once the server holds nothing of it. */
  private release(subscription: Subscription, wire: Wire): void {
    if (
      wire.forgotten &&
      wire.sentView === null &&
      wire.holdRequest === 0 &&
      wire.dropRequest === 0 &&
      !this.dirty.has(subscription)
    ) {
      this.wires.delete(subscription);
    }
  }
}

function settle(waiters: Waiter[], error: FeedError | null): void {
  for (const waiter of waiters.splice(0)) {
    if (error) waiter.reject(error);
    else waiter.resolve();
  }
}

/** Worded as the server words its error replies, so both forms of a refusal read alike. */
function refusalMessage(code: number, entries: readonly RequestEntry[]): string {
  const tickers = entries.map((entry) => entry.subscription.ticker).join(', ');
  switch (code) {
    case ErrorCode.UnknownSymbol:
      return `unknown symbol id(s): ${entries.map((entry) => entry.symbolId).join(', ')} (${tickers})`;
    case ErrorCode.Forbidden:
      return `your access token does not cover: ${tickers}`;
    default:
      return `refused by the server with code ${code}: ${tickers}`;
  }
}
