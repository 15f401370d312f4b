import { FeedError, View } from '@ticker/client';
import type {
  FeedClientEvents,
  FeedMetrics,
  FeedState,
  MarketStatus,
  SubscriptionEvents,
  SubscriptionOptions,
  SubscriptionState,
  SubscriptionStateReason,
  WebSocketLike,
} from '@ticker/client';
import {
  AssetClass,
  LimitId,
  MessageType,
  createTickBatch,
  decodeUnsubscribe,
  decodeViewSubscribe,
  encodeHello,
  encodeSymbolDirectory,
} from '@ticker/protocol';
import type {
  ErrorCode,
  Quote,
  QuoteSnapshot,
  Snapshot,
  SubscriptionRequest,
  SymbolDirectory,
  SymbolInfo,
  TickBatch,
  ViewSubscribeRequest,
} from '@ticker/protocol';
import type { FeedSource, FeedSubscription } from '../src/feed/feed-bridge';
import type { FrameScheduler } from '../src/feed/frame-scheduler';

/** Runs frames only when the test says so, and counts how many were requested. */
export class ManualScheduler implements FrameScheduler {
  requests = 0;
  private nextHandle = 1;
  private readonly callbacks = new Map<number, () => void>();

  request(callback: () => void): number {
    this.requests += 1;
    const handle = this.nextHandle++;
    this.callbacks.set(handle, callback);
    return handle;
  }

  cancel(handle: number): void {
    this.callbacks.delete(handle);
  }

  get pending(): number {
    return this.callbacks.size;
  }

  runFrame(): void {
    const due = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of due) callback();
  }
}

type Listener<T> = (payload: T) => void;

/** A minimal typed emitter for the fakes, counting listeners so tests can see they are removed. */
class FakeEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  listenerCount(): number {
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      (listener as Listener<Events[K]>)(payload);
    }
  }
}

/** One request the bridge made of a subscription, in the order made. */
export interface SubscriptionCall {
  readonly ticker: string;
  readonly call: 'subscribe' | 'unsubscribe' | 'setView' | 'remove';
  /** The subscription's view after the call. */
  readonly view: View;
}

/**
 * A client `Subscription` as the test drives it. It keeps the documented rules that the bridge
 * relies on: `subscribe` and `setView` do nothing when already so, `setView` while subscribed
 * goes back to subscribing, and data arrives only while wanted and only for the current view.
 */
export class FakeSubscription extends FakeEmitter<SubscriptionEvents> implements FeedSubscription {
  state: SubscriptionState = 'unsubscribed';
  removed = false;
  private currentView: View;
  private readonly batch: TickBatch = createTickBatch(16);

  constructor(
    readonly ticker: string,
    view: View,
    private readonly feed: FakeFeed,
  ) {
    super();
    this.currentView = view;
  }

  get view(): View {
    return this.currentView;
  }

  subscribe(): void {
    if (this.removed) throw new Error(`${this.ticker}: subscribe() after removeSubscription()`);
    if (this.state !== 'unsubscribed') return;
    this.setState('subscribing', 'subscribe');
    this.feed.record(this, 'subscribe');
  }

  unsubscribe(): void {
    if (this.state === 'unsubscribed') return;
    this.setState('unsubscribed', 'unsubscribe');
    this.feed.record(this, 'unsubscribe');
  }

  setView(view: View): void {
    if (view === this.currentView) return;
    this.currentView = view;
    if (this.state === 'unsubscribed') return;
    if (this.state === 'subscribed') this.setState('subscribing', 'view-change');
    this.feed.record(this, 'setView');
  }

  /** The server's chart snapshot arrived; ignored unless wanted in the chart view. */
  sendSnapshot(snapshot: Snapshot): void {
    if (!this.receives(View.Chart)) return;
    this.emit('snapshot', snapshot);
    if (this.state === 'subscribing') this.setState('subscribed', 'snapshot');
  }

  /** Emits `ticks` ([time, scaled price, size?]) through one reused batch, like the client. */
  sendTicks(ticks: ReadonlyArray<readonly [number, number, number?]>): TickBatch {
    fillBatch(this.batch, this.feed.symbolId(this.ticker), ticks);
    if (this.receives(View.Chart)) this.emit('batch', this.batch);
    return this.batch;
  }

  sendQuoteSnapshot(snapshot: QuoteSnapshot): void {
    if (!this.receives(View.Quote)) return;
    this.emit('quoteSnapshot', snapshot);
    if (this.state === 'subscribing') this.setState('subscribed', 'snapshot');
  }

  sendQuote(quote: Quote): void {
    if (this.receives(View.Quote)) this.emit('quote', quote);
  }

  /** The server refused the symbol (as from a symbol refusals reply). */
  refuse(error: FeedError): void {
    if (this.state === 'unsubscribed') return;
    this.setState('unsubscribed', 'refused', error);
  }

  private receives(view: View): boolean {
    return this.state !== 'unsubscribed' && this.currentView === view;
  }

  private setState(
    newState: SubscriptionState,
    reason: SubscriptionStateReason,
    error?: FeedError,
  ): void {
    const oldState = this.state;
    if (oldState === newState) return;
    this.state = newState;
    this.emit(
      'state',
      error ? { oldState, newState, reason, error } : { oldState, newState, reason },
    );
  }
}

/** A FeedSource driven by the test: it emits what the test tells it and records requests. */
export class FakeFeed extends FakeEmitter<FeedClientEvents> implements FeedSource {
  state: FeedState = 'closed';
  directory: SymbolDirectory | null = null;
  marketStatus: MarketStatus | null = null;
  connects = 0;
  closes = 0;
  /** Every request made of a subscription, in order. */
  readonly calls: SubscriptionCall[] = [];
  private readonly byTicker = new Map<string, FakeSubscription>();

  /** What `metrics()` reports; tests set it. */
  currentMetrics: FeedMetrics = {
    rttMs: null,
    tickAgeMs: null,
    clockOffsetMs: null,
    ticksPerSecond: 0,
    framesPerSecond: 0,
    bytesPerSecond: 0,
    reconnects: 0,
    gaps: 0,
  };

  metrics(): FeedMetrics {
    return this.currentMetrics;
  }

  connect(): void {
    this.connects += 1;
    this.setState('connecting', 'connect requested');
  }

  close(): void {
    this.closes += 1;
    this.setState('closed', 'closed by request');
  }

  subscription(ticker: string, options: SubscriptionOptions = {}): FakeSubscription {
    const existing = this.byTicker.get(ticker);
    if (existing) return existing;
    const subscription = new FakeSubscription(ticker, options.view ?? View.Chart, this);
    this.byTicker.set(ticker, subscription);
    return subscription;
  }

  removeSubscription(subscription: FeedSubscription): void {
    const fake = this.byTicker.get(subscription.ticker);
    if (fake !== subscription) return;
    fake.unsubscribe();
    fake.removed = true;
    this.byTicker.delete(fake.ticker);
    this.record(fake, 'remove');
  }

  /** The subscription the bridge holds for `ticker`; throws if it holds none. */
  sub(ticker: string): FakeSubscription {
    const subscription = this.byTicker.get(ticker);
    if (!subscription) throw new Error(`no subscription to ${ticker}`);
    return subscription;
  }

  /** Every wanted (subscribing or subscribed) ticker and its view, in creation order. */
  wanted(): Array<[string, View]> {
    return [...this.byTicker.values()]
      .filter((subscription) => subscription.state !== 'unsubscribed')
      .map((subscription) => [subscription.ticker, subscription.view]);
  }

  /** Tickers wanted in `view`, in creation order. */
  inView(view: View): string[] {
    return this.wanted()
      .filter(([, held]) => held === view)
      .map(([ticker]) => ticker);
  }

  /** Listeners on the client and on every subscription it holds. */
  override listenerCount(): number {
    let total = super.listenerCount();
    for (const subscription of this.byTicker.values()) total += subscription.listenerCount();
    return total;
  }

  /** @internal for FakeSubscription */
  record(subscription: FakeSubscription, call: SubscriptionCall['call']): void {
    this.calls.push({ ticker: subscription.ticker, call, view: subscription.view });
  }

  symbolId(ticker: string): number {
    return this.directory?.symbols.find((symbol) => symbol.ticker === ticker)?.id ?? 0;
  }

  setState(
    newState: FeedState,
    reason: string,
    details: { retryInMs?: number; closeCode?: number } = {},
  ): void {
    const oldState = this.state;
    this.state = newState;
    // As the client does: a connection's market status goes with it.
    if (newState !== 'open') this.marketStatus = null;
    this.emit('state', { oldState, newState, reason, ...details });
  }

  sendMarketStatus(status: MarketStatus): void {
    this.marketStatus = status;
    this.emit('marketStatus', status);
  }

  sendDirectory(symbols: readonly SymbolInfo[]): void {
    this.directory = { symbols };
    this.emit('directory', this.directory);
    this.setState('open', 'directory received');
  }
}

/** Writes ticks into `batch` (growing nothing: tests keep batches small). */
export function fillBatch(
  batch: TickBatch,
  symbolId: number,
  ticks: ReadonlyArray<readonly [number, number, number?]>,
): TickBatch {
  batch.symbolId = symbolId;
  batch.seq += 1;
  batch.baseTime = ticks[0]?.[0] ?? 0;
  batch.count = ticks.length;
  ticks.forEach(([time, price, size = 1], i) => {
    batch.time[i] = time;
    batch.price[i] = price;
    batch.size[i] = size;
    batch.side[i] = 0;
  });
  return batch;
}

/** A refusal the server would send for one symbol (4 unknown, 8 outside the access token, 5 limit). */
export function refusal(code: ErrorCode, message = `refused with ${code}`): FeedError {
  return new FeedError(code, message, 1);
}

function symbol(id: number, ticker: string, name: string, assetClass: AssetClass): SymbolInfo {
  return {
    id,
    ticker,
    name,
    assetClass,
    priceDecimals: 2,
    sizeDecimals: 0,
    tickSize: 1,
    lotSize: 1,
  };
}

export const BTC = symbol(1, 'BTC-USD', 'Bitcoin', AssetClass.Crypto);
export const ETH = symbol(2, 'ETH-USD', 'Ethereum', AssetClass.Crypto);
export const AAPL = symbol(3, 'AAPL', 'Apple', AssetClass.Stock);
export const DIRECTORY: readonly SymbolInfo[] = [BTC, ETH, AAPL];

/** A WebSocket stand-in for driving the real FeedClient from tests. */
export class FakeSocket implements WebSocketLike {
  static readonly instances: FakeSocket[] = [];
  binaryType = 'blob';
  readyState = 1;
  readonly url: string;
  readonly sent: Uint8Array[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(url: string) {
    this.url = url;
    FakeSocket.instances.push(this);
  }

  send(data: Uint8Array): void {
    // The client encodes into a reused writer, so keep a copy.
    this.sent.push(data.slice());
  }

  close(): void {
    this.readyState = 3;
  }

  receive(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }

  /**
   * What a feed server sends first: its hello, then the directory. The hello announces
   * `QuoteIntervalMs`, which is how the client knows the server has views; `views: false` is a
   * server from before them.
   */
  greet(symbols: readonly SymbolInfo[] = DIRECTORY, { views = true } = {}): void {
    const limits = views ? [{ id: LimitId.QuoteIntervalMs, value: 250 }] : [];
    this.receive(encodeHello({ serverTime: Date.now(), heartbeatIntervalMs: 5_000, limits }));
    this.receive(encodeSymbolDirectory({ symbols }));
  }

  /** The view subscribes the client sent, decoded, in order. */
  viewSubscribes(): ViewSubscribeRequest[] {
    return this.sent
      .filter((frame) => frame[1] === MessageType.ViewSubscribe)
      .map((frame) => decodeViewSubscribe(frame));
  }

  /** The unsubscribes the client sent, decoded, in order. */
  unsubscribes(): SubscriptionRequest[] {
    return this.sent
      .filter((frame) => frame[1] === MessageType.Unsubscribe)
      .map((frame) => decodeUnsubscribe(frame));
  }
}

/** Lets pending promise callbacks run, without timers. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** An in-memory Storage with only what the saved view and alerts use. */
export class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}
