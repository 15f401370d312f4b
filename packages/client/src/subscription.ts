import { View, isView } from '@ticker/protocol';
import type { Quote, QuoteSnapshot, Snapshot, TickBatch } from '@ticker/protocol';
import { Emitter } from './emitter.js';
import type { FeedError } from './feed-error.js';

/**
 * Where a subscription stands, as in centrifuge-js:
 * - `unsubscribed`: not wanted (new, unsubscribed, refused, or its client closed).
 * - `subscribing`: wanted, but its view's snapshot has not arrived on this connection yet (the
 *   request is unsent, unanswered, or acked with the snapshot still queued by the server's
 *   snapshot budget, or the client is waiting for a connection).
 * - `subscribed`: its view's snapshot arrived; batches or quotes follow it.
 */
export type SubscriptionState = 'unsubscribed' | 'subscribing' | 'subscribed';

/**
 * Why a subscription changed state. Each reason belongs to one transition:
 * - `'subscribe'` (unsubscribed → subscribing): `subscribe()` was called.
 * - `'snapshot'` (subscribing → subscribed): its view's snapshot arrived (a snapshot for the chart
 *   view, a quote snapshot for the quote view), so data is flowing. It may come long after the
 *   server's ack: the server budgets snapshots, and waiting for one is not an error.
 * - `'view-change'` (subscribed → subscribing): `setView()` moved it to the other view; it is
 *   subscribed again when that view's snapshot arrives.
 * - `'connection-lost'` (subscribed → subscribing): the connection dropped; it subscribes again
 *   by itself once a new connection's directory arrives.
 * - `'unsubscribe'` (→ unsubscribed): `unsubscribe()` or `client.removeSubscription()`.
 * - `'refused'` (subscribing → unsubscribed): the server refused the symbol; `error.code` says
 *   why: 4 unknown symbol, 8 outside the access token, 5 over a limit (a whole request refused
 *   for the message rate or for `MaxSubscriptions`). Also locally, before asking: 4 for a ticker
 *   missing from the directory, `ClientErrorCode.ViewsUnsupported` for the quote view on a server
 *   without views.
 * - `'client-closed'` (→ unsubscribed): `client.close()`, or the server closed with a
 *   do-not-reconnect code. `subscribe()` again before the next `connect()` to resume.
 */
export type SubscriptionStateReason =
  | 'subscribe'
  | 'snapshot'
  | 'view-change'
  | 'connection-lost'
  | 'unsubscribe'
  | 'refused'
  | 'client-closed';

export interface SubscriptionStateChange {
  readonly oldState: SubscriptionState;
  readonly newState: SubscriptionState;
  readonly reason: SubscriptionStateReason;
  /** With `'refused'`: the server's (or the client's) verdict. */
  readonly error?: FeedError;
}

export interface SequenceGap {
  readonly symbolId: number;
  /** The sequence number the next batch should have carried. */
  readonly expected: number;
  readonly received: number;
}

export interface Resync {
  readonly symbolId: number;
  /** The seq the symbol's next batch carries. */
  readonly nextSeq: number;
}

/** The data events a subscription emits, each also re-emitted by its client. */
export interface SubscriptionDataEvents {
  /** Chart view: the symbol's snapshot (session, candles, recent ticks, `nextSeq`). */
  snapshot: Snapshot;
  /** Chart view. The batch object is reused: read it inside the listener, copy what you keep. */
  batch: TickBatch;
  /** Quote view: the session and recent 1 s closes. */
  quoteSnapshot: QuoteSnapshot;
  /** Quote view: the newest state, at most every `QuoteIntervalMs` (absolute, never a change). */
  quote: Quote;
  /** Chart view: batches were lost; the client has sent one resync (a snapshot follows). */
  gap: SequenceGap;
  /** Chart view: the snapshot answering a gap arrived (right before its `snapshot` event). */
  resync: Resync;
}

export interface SubscriptionEvents extends SubscriptionDataEvents {
  /** Emitted only on a real change of state. */
  state: SubscriptionStateChange;
  /**
   * A failure that does not change the state: a ticker missing from a new server's directory
   * (it stays subscribing, for the next server), a refused resync or unsubscribe.
   */
  error: FeedError;
}

export interface SubscriptionOptions {
  /** What the server sends about the symbol. Default `View.Chart`. */
  readonly view?: View;
}

/** What a subscription needs from its client. Implemented by `FeedClient`; not for applications. */
export interface SubscriptionHost {
  /** Wanted or not, or the view, changed: the client sends what that needs, coalesced. */
  wishChanged(subscription: Subscription): void;
  /** The chart series broke: send one resync for `symbolId`. */
  resync(subscription: Subscription, symbolId: number): void;
  /** Re-emits a data event as the client's own. */
  forward<K extends keyof SubscriptionDataEvents>(
    event: K,
    payload: SubscriptionDataEvents[K],
  ): void;
  /** The ticker's id in the current directory. */
  symbolId(ticker: string): number | undefined;
}

/** No batch seen since the last snapshot or (re)subscribe: the next batch sets the series. */
const NO_SEQ = -1;

/**
 * One ticker, held in one view, with its own state and events. Create it with
 * `client.subscription(ticker, { view })`; it survives reconnects (it resubscribes by itself)
 * until unsubscribed or removed.
 *
 * Data arrives only while it is wanted (`subscribing` or `subscribed`) and only for its current
 * view: batches still in flight after a move to the quote view, or after an unsubscribe, are
 * dropped. The order on a snapshot is: `resync` (if it answers a gap), `snapshot` (or
 * `quoteSnapshot`), then the `state` change to `subscribed`.
 */
export class Subscription extends Emitter<SubscriptionEvents> {
  readonly ticker: string;
  private readonly host: SubscriptionHost;
  private currentView: View;
  private currentState: SubscriptionState = 'unsubscribed';
  private removed = false;
  /** Chart view: the `seq` the next batch must carry, from the snapshot or the batch before. */
  private nextSeq = NO_SEQ;
  /** Chart view: a resync was sent and its snapshot is not here yet: no second request. */
  private resyncing = false;

  /** Not for applications: use `client.subscription(ticker, options)`. */
  constructor(ticker: string, view: View, host: SubscriptionHost) {
    super();
    checkView(view);
    this.ticker = ticker;
    this.currentView = view;
    this.host = host;
  }

  get state(): SubscriptionState {
    return this.currentState;
  }

  get view(): View {
    return this.currentView;
  }

  /** The symbol's id in the current server's directory (ids belong to one directory). */
  get symbolId(): number | undefined {
    return this.host.symbolId(this.ticker);
  }

  /**
   * Asks for the symbol in its view. Calls made in the same tick go out as one request per view.
   * Does nothing unless unsubscribed.
   */
  subscribe(): void {
    if (this.removed) {
      throw new Error(
        `the subscription to ${this.ticker} was removed from its client; create a new one with client.subscription('${this.ticker}')`,
      );
    }
    if (this.currentState !== 'unsubscribed') return;
    this.restartSeries();
    this.setState('subscribing', 'subscribe');
    this.host.wishChanged(this);
  }

  /** Drops the symbol on the server and stops this subscription's data at once. */
  unsubscribe(): void {
    if (this.currentState === 'unsubscribed') return;
    this.restartSeries();
    this.setState('unsubscribed', 'unsubscribe');
    this.host.wishChanged(this);
  }

  /**
   * Moves the symbol to `view`. While wanted, the server moves it with one view subscribe (no
   * unsubscribe in between): the old view's data stops, and the subscription is `subscribing`
   * until the new view's snapshot arrives. While unsubscribed it only sets the view to use.
   */
  setView(view: View): void {
    checkView(view);
    if (view === this.currentView) return;
    this.currentView = view;
    this.restartSeries();
    if (this.currentState === 'unsubscribed') return;
    if (this.currentState === 'subscribed') this.setState('subscribing', 'view-change');
    this.host.wishChanged(this);
  }

  /** @internal Runs for every batch of the symbol: no allocation unless the series broke. */
  _deliverBatch(batch: TickBatch): void {
    if (this.currentState === 'unsubscribed' || this.currentView !== View.Chart) return;
    const expected = this.nextSeq;
    this.nextSeq = batch.seq + 1;
    if (expected !== NO_SEQ && batch.seq !== expected && !this.resyncing) {
      // Batches were lost: report it and ask once for a fresh snapshot, which restarts the series.
      this.resyncing = true;
      this.emitData('gap', { symbolId: batch.symbolId, expected, received: batch.seq });
      this.host.resync(this, batch.symbolId);
    }
    this.emitData('batch', batch);
  }

  /** @internal */
  _deliverSnapshot(snapshot: Snapshot): void {
    if (this.currentState === 'unsubscribed' || this.currentView !== View.Chart) return;
    const { symbolId, nextSeq } = snapshot;
    this.nextSeq = nextSeq;
    if (this.resyncing) {
      this.resyncing = false;
      this.emitData('resync', { symbolId, nextSeq });
    }
    this.emitData('snapshot', snapshot);
    if (this.currentState === 'subscribing') this.setState('subscribed', 'snapshot');
  }

  /** @internal */
  _deliverQuoteSnapshot(snapshot: QuoteSnapshot): void {
    if (this.currentState === 'unsubscribed' || this.currentView !== View.Quote) return;
    this.emitData('quoteSnapshot', snapshot);
    if (this.currentState === 'subscribing') this.setState('subscribed', 'snapshot');
  }

  /** @internal */
  _deliverQuote(quote: Quote): void {
    if (this.currentState === 'unsubscribed' || this.currentView !== View.Quote) return;
    this.emitData('quote', quote);
  }

  /** @internal The server (or the client, before asking) refused the symbol. */
  _refuse(error: FeedError): void {
    if (this.currentState === 'unsubscribed') return;
    this.restartSeries();
    this.setState('unsubscribed', 'refused', error);
  }

  /** @internal A request for it was sent: the series starts afresh from the snapshot it brings. */
  _requested(): void {
    this.restartSeries();
  }

  /** @internal */
  _connectionLost(): void {
    this.restartSeries();
    if (this.currentState === 'subscribed') this.setState('subscribing', 'connection-lost');
  }

  /** @internal */
  _clientClosed(): void {
    this.restartSeries();
    if (this.currentState !== 'unsubscribed') this.setState('unsubscribed', 'client-closed');
  }

  /** @internal */
  _fail(error: FeedError): void {
    this.emit('error', error);
  }

  /** @internal Called by `client.removeSubscription()`: the object can no longer subscribe. */
  _remove(): void {
    this.removed = true;
  }

  private restartSeries(): void {
    this.nextSeq = NO_SEQ;
    this.resyncing = false;
  }

  private emitData<K extends keyof SubscriptionDataEvents>(
    event: K,
    payload: SubscriptionDataEvents[K],
  ): void {
    // Every data event is also a subscription event; TypeScript cannot see that through `K`.
    this.emit(event, payload as SubscriptionEvents[K]);
    this.host.forward(event, payload);
  }

  private setState(
    newState: SubscriptionState,
    reason: SubscriptionStateReason,
    error?: FeedError,
  ): void {
    const oldState = this.currentState;
    if (oldState === newState) return;
    this.currentState = newState;
    this.emit(
      'state',
      error ? { oldState, newState, reason, error } : { oldState, newState, reason },
    );
  }
}

function checkView(view: number): void {
  if (!isView(view)) {
    throw new RangeError(`unknown view ${view}: expected View.Chart (0) or View.Quote (1)`);
  }
}
