import {
  CloseCode,
  DEFAULT_LIMITS,
  DecodeError,
  ErrorCode,
  LimitId,
  MessageType,
  ByteWriter,
  View,
  createTickBatch,
  decodeServerMessage,
  encodePing,
  encodeResync,
  helloLimit,
  isTerminalCloseCode,
  subprotocolsFor,
} from '@ticker/protocol';
import type {
  Hello,
  MarketStatus,
  ServerMessage,
  SymbolDirectory,
  SymbolInfo,
  TickBatch,
} from '@ticker/protocol';
import { backoffDelay } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import { ClockOffset } from './clock-offset.js';
import { Emitter } from './emitter.js';
import { ClientErrorCode, FeedError } from './feed-error.js';
import type { FeedErrorCode } from './feed-error.js';
import { requestHistory } from './history.js';
import type { History, HistoryOptions, HistoryRequest } from './history.js';
import { LatencyWindow } from './latency-window.js';
import type { Percentiles } from './latency-window.js';
import { Subscription } from './subscription.js';
import { TokenRefresh } from './token-refresh.js';
import type {
  SubscriptionDataEvents,
  SubscriptionHost,
  SubscriptionOptions,
} from './subscription.js';
import { SubscriptionRequests } from './subscription-requests.js';
import type { RequestLink } from './subscription-requests.js';
import { Throughput } from './throughput.js';
import { Watchdog } from './watchdog.js';
import { WS_OPEN } from './websocket.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket.js';

export type FeedState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateChange {
  readonly oldState: FeedState;
  readonly newState: FeedState;
  readonly reason: string;
  /** On `reconnecting`: how long until the next attempt, for a countdown. */
  readonly retryInMs?: number;
  /** When the server closed the connection: its close code (1001: shutting down). */
  readonly closeCode?: number;
}

type StateDetails = Pick<StateChange, 'retryInMs' | 'closeCode'>;

/**
 * The client's events. The data events (`snapshot`, `batch`, `quoteSnapshot`, `quote`, `gap`,
 * `resync`) are every subscription's own, re-emitted: listen on a `Subscription` for one symbol,
 * here for all of them.
 */
export interface FeedClientEvents extends SubscriptionDataEvents {
  state: StateChange;
  /** The server's hello, first on every connection. */
  hello: Hello;
  directory: SymbolDirectory;
  /**
   * A failure no pending promise reports: an undecodable or text frame, a refused subscription
   * (also in its `state` event), a refused resync or unsubscribe, a wanted ticker missing from a
   * new server's directory.
   */
  error: FeedError;
  /**
   * The server's market data is delayed (its source or broker is down), or live again. A new
   * connection starts live unless told otherwise right after its directory.
   */
  marketStatus: MarketStatus;
}

export type { Resync, SequenceGap } from './subscription.js';

export interface ReconnectOptions extends BackoffOptions {
  /** A connection open this long counts as stable: the next drop restarts the backoff. Default 5 s. */
  readonly stableAfterMs?: number;
}

export interface FeedClientOptions {
  /** Feed endpoint, e.g. `ws://localhost:8080/ws`, or several: each retry moves to the next. */
  readonly url: string | readonly string[];
  /** WebSocket implementation; defaults to the global one (browsers, Node >= 22). */
  readonly WebSocket?: WebSocketConstructor;
  readonly reconnect?: ReconnectOptions;
  /** How long a new connection may take to deliver its hello. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Silence after which an open connection counts as dead. Default: 2 × the hello's heartbeat interval. */
  readonly silenceTimeoutMs?: number;
  /** How often to ping for RTT and clock offset while open; 0 turns it off. Default 10 s. */
  readonly pingIntervalMs?: number;
  /**
   * The access token of a server that requires one, offered as a subprotocol (never in the URL).
   * A function is asked again on every (re)connect, and also before the current token expires:
   * the client presents the fresh one on the open connection (refresh token), which keeps its
   * subscriptions with no reconnect and no snapshot. A token whose refresh is refused still ends
   * at its expiry (4002), and the reconnect asks again.
   */
  readonly token?: string | (() => string | null);
  /**
   * The history API's base URL (e.g. `https://api.example.com`; `/api/v1/candles` is appended to
   * its path). Default: the current feed URL's host (`ws:` → `http:`, `wss:` → `https:`).
   */
  readonly historyUrl?: string;
}

/** What `metrics()` reports: recent latencies, current rates, and counters since creation. */
export interface FeedMetrics {
  /** Ping round trips (the last 64). */
  readonly rttMs: Percentiles | null;
  /** Receive time minus tick time, corrected by `clockOffsetMs` (the last 2,048 ticks). */
  readonly tickAgeMs: Percentiles | null;
  /** Estimated server clock minus local clock; null while not connected. */
  readonly clockOffsetMs: number | null;
  readonly ticksPerSecond: number;
  readonly framesPerSecond: number;
  readonly bytesPerSecond: number;
  readonly reconnects: number;
  readonly gaps: number;
}

const DEFAULT_STABLE_AFTER_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_PING_INTERVAL_MS = 10_000;
const RTT_SAMPLES = 64;
const TICK_AGE_SAMPLES = 2_048;

interface PendingRequest {
  resolve(): void;
  reject(error: FeedError): void;
}

interface PendingPing {
  readonly sentAt: number;
  resolve(rttMs: number): void;
  reject(error: FeedError): void;
}

/**
 * Whether the server behind `hello` speaks views (view subscribe, symbol refusals, quotes). The
 * protocol has no flag for it, but views came in the same addition as hello limits 6–9, and a
 * server announces every limit it enforces (PROTOCOL.md, "Hello"): one that announces
 * `QuoteIntervalMs` has a quote view. A server without it would ignore a view subscribe, so the
 * client then falls back to the plain subscribe, which is the chart view.
 */
function speaksViews(hello: Hello | null): boolean {
  return hello !== null && helloLimit(hello, LimitId.QuoteIntervalMs) !== undefined;
}

/**
 * One connection to the feed: keeps its subscriptions across reconnects, checks every chart
 * series for gaps, watches for a silent server, measures itself, and reports what happens as
 * typed events. Subscriptions are objects (`subscription(ticker, { view })`), each with its own
 * state and events; `subscribe(tickers)` and `unsubscribe(tickers)` are conveniences over them.
 */
export class FeedClient extends Emitter<FeedClientEvents> {
  private readonly options: FeedClientOptions;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly urls: readonly string[];
  private urlIndex = 0;
  private socket: WebSocketLike | null = null;
  private currentState: FeedState = 'closed';
  private attempt = 0;
  private openedAt: number | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private readonly watchdog = new Watchdog((silentMs) => {
    this.abandonSocket(`no frame from the server for ${Math.round(silentMs)} ms`);
  });
  private nextRequestId = 1;
  /** What the server last said of its market data; null: live (nothing said on this connection). */
  private currentMarketStatus: MarketStatus | null = null;
  /** The token the current connection was opened with. */
  private offeredToken: string | null = null;
  private readonly tokenRefresh: TokenRefresh;
  /** By ticker, not id: ids belong to one server's directory, tickers survive a change of server. */
  private readonly byTicker = new Map<string, Subscription>();
  /** The same subscriptions by their id in the current directory, for routing frames. */
  private byId = new Map<number, Subscription>();
  /** Resyncs sent and not yet answered, so that a refused one reaches its subscription. */
  private readonly resyncs = new Map<number, Subscription>();
  private symbolsById = new Map<number, SymbolInfo>();
  private symbolsByTicker = new Map<string, SymbolInfo>();
  private currentDirectory: SymbolDirectory | null = null;
  private directoryWaiters: PendingRequest[] = [];
  /** Non-zero while a ticker-array `subscribe()` call runs (see `SubscriptionRequests.changed`). */
  private callGroup = 0;
  private nextCallGroup = 1;
  private readonly batch = createTickBatch(256);
  private readonly writer = new ByteWriter(256);
  private currentHello: Hello | null = null;
  private nextNonce = 1;
  private readonly pings = new Map<number, PendingPing>();
  /** From the server's going-away notice: wait at least this long before the next attempt. */
  private reconnectHintMs = 0;
  private readonly rtt = new LatencyWindow(RTT_SAMPLES);
  private readonly tickAge = new LatencyWindow(TICK_AGE_SAMPLES);
  private readonly throughput = new Throughput();
  private readonly clock = new ClockOffset();
  private reconnects = 0;
  private gaps = 0;

  private readonly host: SubscriptionHost = {
    wishChanged: (subscription) => {
      this.requests.changed(subscription, this.callGroup);
    },
    resync: (subscription, symbolId) => {
      this.sendResync(subscription, symbolId);
    },
    forward: (event, payload) => {
      // Every data event is also a client event; TypeScript cannot see that through `K`.
      this.emit(event, payload as FeedClientEvents[typeof event]);
    },
    symbolId: (ticker) => this.symbolsByTicker.get(ticker)?.id,
  };

  private readonly link: RequestLink = {
    ready: () => this.socket?.readyState === WS_OPEN && this.currentState === 'open',
    viewsSupported: () => speaksViews(this.currentHello),
    maxSymbolsPerRequest: () =>
      (this.currentHello && helloLimit(this.currentHello, LimitId.MaxSymbolsPerRequest)) ??
      DEFAULT_LIMITS.maxSymbolsPerRequest,
    symbolId: (ticker) => this.symbolsByTicker.get(ticker)?.id,
    nextRequestId: () => this.nextRequestId++,
    send: (frame) => {
      this.socket?.send(frame);
    },
    report: (error) => {
      this.emit('error', error);
    },
  };

  private readonly requests = new SubscriptionRequests(this.link);

  constructor(options: FeedClientOptions) {
    super();
    this.options = options;
    this.urls = typeof options.url === 'string' ? [options.url] : [...options.url];
    if (this.urls.length === 0) throw new TypeError('FeedClient needs at least one url');
    const impl =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!impl)
      throw new TypeError('No WebSocket implementation: pass options.WebSocket (e.g. from "ws")');
    this.WebSocketImpl = impl;
    const { token } = options;
    this.tokenRefresh = new TokenRefresh({
      issue: typeof token === 'function' ? token : () => null,
      send: (frame) => {
        this.socket?.send(frame);
      },
      nextRequestId: () => this.nextRequestId++,
      writer: this.writer,
    });
  }

  get state(): FeedState {
    return this.currentState;
  }

  /**
   * The server's last market status on this connection: null while it said nothing (live), or
   * while not connected.
   */
  get marketStatus(): MarketStatus | null {
    return this.currentMarketStatus;
  }

  /** The URL of the current (or next) connection attempt. */
  get url(): string {
    return this.urls[this.urlIndex] as string;
  }

  get directory(): SymbolDirectory | null {
    return this.currentDirectory;
  }

  /** The current connection's hello (server clock, heartbeat interval, limits), if received. */
  get hello(): Hello | null {
    return this.currentHello;
  }

  metrics(): FeedMetrics {
    return {
      rttMs: this.rtt.percentiles(),
      tickAgeMs: this.tickAge.percentiles(),
      clockOffsetMs: this.clock.ms,
      ...this.throughput.rates(performance.now()),
      reconnects: this.reconnects,
      gaps: this.gaps,
    };
  }

  /** Measures one round trip: resolves with the milliseconds from ping to pong. */
  ping(): Promise<number> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WS_OPEN) {
      return Promise.reject(new FeedError(ClientErrorCode.ConnectionLost, 'not connected'));
    }
    const nonce = this.nextNonce++;
    return new Promise<number>((resolve, reject) => {
      this.pings.set(nonce, { sentAt: performance.now(), resolve, reject });
      socket.send(encodePing({ nonce }, this.writer));
    });
  }

  /**
   * Candles from the server's history API (`GET /api/v1/candles`, on the feed's host unless
   * `historyUrl` says otherwise), oldest first, prices and volume as scaled integers. Needs no
   * connection; the token (a function is asked once per request) goes as a Bearer header.
   * Rejects with a TypeError or RangeError naming a bad argument, a `HistoryError` (refused: 104
   * with the HTTP status, reason and `retryAfterMs`; malformed answer: 105; no answer: 106), or
   * the signal's reason when aborted.
   */
  history(request: HistoryRequest, options: HistoryOptions = {}): Promise<History> {
    const { token, historyUrl } = this.options;
    return requestHistory(request, {
      feedUrl: this.url,
      historyUrl,
      token: () => (typeof token === 'function' ? token() : (token ?? null)),
      decimalsOf: (ticker) => {
        const info = this.symbolsByTicker.get(ticker);
        return info && { price: info.priceDecimals, size: info.sizeDecimals };
      },
      signal: options.signal,
    });
  }

  symbol(idOrTicker: number | string): SymbolInfo | undefined {
    return typeof idOrTicker === 'number'
      ? this.symbolsById.get(idOrTicker)
      : this.symbolsByTicker.get(idOrTicker);
  }

  connect(): void {
    if (this.currentState !== 'closed') return;
    this.open('connecting', 'connect requested');
  }

  /**
   * Closes for good: no reconnect, pending requests reject with `ClientErrorCode.Closed`, and
   * every subscription becomes `unsubscribed` (reason `'client-closed'`).
   */
  close(): void {
    this.shutdown('closed by request');
  }

  /**
   * The subscription to `ticker`, created unsubscribed in `options.view` (default `View.Chart`)
   * if there is none; an existing one is returned as it is (move it with `setView`). Call its
   * `subscribe()` to start. A ticker is held in exactly one view.
   */
  subscription(ticker: string, options: SubscriptionOptions = {}): Subscription {
    const existing = this.byTicker.get(ticker);
    if (existing) return existing;
    const subscription = new Subscription(ticker, options.view ?? View.Chart, this.host);
    this.byTicker.set(ticker, subscription);
    const id = this.symbolsByTicker.get(ticker)?.id;
    if (id !== undefined) this.byId.set(id, subscription);
    return subscription;
  }

  /** Every subscription of this client, in creation order, whatever its state. */
  subscriptions(): Subscription[] {
    return [...this.byTicker.values()];
  }

  /**
   * Unsubscribes `subscription` and forgets it: `subscription(ticker)` then creates a new one,
   * and the removed object can no longer subscribe.
   */
  removeSubscription(subscription: Subscription): void {
    if (this.byTicker.get(subscription.ticker) !== subscription) return;
    subscription.unsubscribe();
    subscription._remove();
    this.byTicker.delete(subscription.ticker);
    const id = this.symbolsByTicker.get(subscription.ticker)?.id;
    if (id !== undefined && this.byId.get(id) === subscription) this.byId.delete(id);
    this.requests.forget(subscription);
  }

  /**
   * A convenience over subscription objects: subscribes each ticker in the chart view (moving it
   * there from the quote view) and keeps it subscribed across reconnects. Resolves once the
   * server acknowledged all of them (before their snapshots, which may come later). Rejects with
   * a `FeedError`: the server's code for a refused ticker (4 unknown, also for a ticker missing
   * from the directory, checked first; 8 outside the access token; 5 over a limit), while the
   * others of the call stay subscribed; `ConnectionLost` if the connection dropped before the
   * reply (the subscription then resumes on reconnect); or `Closed`.
   */
  async subscribe(tickers: readonly string[]): Promise<void> {
    await this.resolveTickers(tickers);
    const subscriptions = this.inCallGroup(() =>
      tickers.map((ticker) => {
        const subscription = this.subscription(ticker);
        subscription.setView(View.Chart);
        subscription.subscribe();
        return subscription;
      }),
    );
    await Promise.all(subscriptions.map((s) => this.requests.whenApplied(s)));
  }

  /**
   * A convenience over subscription objects: unsubscribes each ticker. Resolves on the server's
   * ack, or at once when the server holds none of them (not connected, or never sent).
   */
  async unsubscribe(tickers: readonly string[]): Promise<void> {
    await this.resolveTickers(tickers);
    const subscriptions: Subscription[] = [];
    for (const ticker of tickers) {
      const subscription = this.byTicker.get(ticker);
      if (!subscription) continue;
      subscription.unsubscribe();
      subscriptions.push(subscription);
    }
    await Promise.all(subscriptions.map((s) => this.requests.whenDropped(s)));
  }

  private inCallGroup<T>(run: () => T): T {
    this.callGroup = this.nextCallGroup++;
    try {
      return run();
    } finally {
      this.callGroup = 0;
    }
  }

  private async resolveTickers(tickers: readonly string[]): Promise<void> {
    if (!this.currentDirectory) {
      await new Promise<void>((resolve, reject) => {
        this.directoryWaiters.push({ resolve, reject });
      });
    }
    const unknown = tickers.filter((ticker) => !this.symbolsByTicker.has(ticker));
    if (unknown.length > 0) {
      throw new FeedError(ErrorCode.UnknownSymbol, `unknown ticker(s): ${unknown.join(', ')}`);
    }
  }

  private open(state: 'connecting' | 'reconnecting', reason: string): void {
    const url = this.url;
    this.setState(state, `${reason}: ${url}`);
    if (state === 'reconnecting') this.reconnects += 1;
    const { token } = this.options;
    const offered = typeof token === 'function' ? token() : (token ?? null);
    this.offeredToken = offered;
    const protocols = subprotocolsFor(offered);
    const socket = new this.WebSocketImpl(url, protocols);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.watchdog.start(
      this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      performance.now(),
    );
    // Handlers check `this.socket === socket` so events of a superseded socket are ignored.
    socket.onmessage = (event) => {
      if (this.socket === socket) this.handleFrame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket)
        this.handleClose(event.code, `closed by server: ${event.code} ${event.reason}`.trim());
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
  }

  /** Gives up on a connection that has gone quiet, without waiting for TCP to notice. */
  private abandonSocket(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    detach(socket).close(CloseCode.ServerSilent, 'no frame within the timeout');
    this.handleClose(null, reason);
  }

  private handleClose(code: number | null, reason: string): void {
    const wasStable =
      this.openedAt !== null &&
      performance.now() - this.openedAt >=
        (this.options.reconnect?.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS);
    this.dropConnection();
    if (code !== null && isTerminalCloseCode(code)) {
      this.shutdown(`${reason} (not reconnecting: the server will not take this client back)`, {
        closeCode: code,
      });
      return;
    }
    this.failPings(ClientErrorCode.ConnectionLost, reason);
    this.requests.connectionLost(reason);
    if (wasStable) this.attempt = 0;
    const delay = this.reconnectHintMs + backoffDelay(this.attempt, this.options.reconnect);
    this.attempt += 1;
    this.reconnectHintMs = 0;
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    this.setState('reconnecting', `${reason}; retrying in ${delay} ms`, {
      retryInMs: delay,
      ...(code === null ? {} : { closeCode: code }),
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open('reconnecting', 'retrying');
    }, delay);
    for (const subscription of this.byTicker.values()) subscription._connectionLost();
  }

  /** Forgets everything that belonged to the connection; the subscriptions stay. */
  private dropConnection(): void {
    this.socket = null;
    this.currentHello = null;
    this.openedAt = null;
    this.watchdog.stop();
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.clock.reset();
    this.resyncs.clear();
    this.tokenRefresh.stop();
    this.currentMarketStatus = null;
  }

  private shutdown(reason: string, details: StateDetails = {}): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    if (socket) detach(socket).close(1000, 'client closed');
    this.dropConnection();
    this.attempt = 0;
    this.failPings(ClientErrorCode.Closed, reason);
    this.requests.closed(reason);
    const waiters = this.directoryWaiters;
    this.directoryWaiters = [];
    for (const waiter of waiters) waiter.reject(new FeedError(ClientErrorCode.Closed, reason));
    this.setState('closed', reason, details);
    for (const subscription of this.byTicker.values()) subscription._clientClosed();
  }

  private sendResync(subscription: Subscription, symbolId: number): void {
    this.gaps += 1;
    const socket = this.socket;
    if (!socket || socket.readyState !== WS_OPEN) return;
    const requestId = this.nextRequestId++;
    this.resyncs.set(requestId, subscription);
    socket.send(encodeResync({ requestId, symbolId }, this.writer));
  }

  private handleFrame(data: unknown): void {
    const now = performance.now();
    this.watchdog.arrived(now);
    const message = this.decode(data);
    const isBatch = message?.type === MessageType.TickBatch;
    this.throughput.record(
      now,
      data instanceof ArrayBuffer ? data.byteLength : 0,
      isBatch ? message.batch.count : 0,
    );
    if (message === null) return;
    if (message.type !== MessageType.TickBatch) {
      this.handleControl(message);
      return;
    }
    const batch = message.batch;
    this.recordTickAges(batch);
    this.byId.get(batch.symbolId)?._deliverBatch(batch);
  }

  /** The decoded frame, or null after reporting a frame that could not be decoded. */
  private decode(data: unknown): ServerMessage | null {
    if (!(data instanceof ArrayBuffer)) {
      this.emit(
        'error',
        new FeedError(ClientErrorCode.UnexpectedFrame, 'unexpected text frame from server'),
      );
      return null;
    }
    try {
      return decodeServerMessage(new Uint8Array(data), this.batch);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.emit(
        'error',
        new FeedError(error.code, `undecodable frame from server: ${error.message}`),
      );
      return null;
    }
  }

  private recordTickAges(batch: TickBatch): void {
    const offset = this.clock.ms;
    if (offset === null) return;
    const serverNow = Date.now() + offset;
    const time = batch.time;
    for (let i = 0; i < batch.count; i++) this.tickAge.record(serverNow - (time[i] as number));
  }

  private handleControl(message: Exclude<ServerMessage, { type: typeof MessageType.TickBatch }>) {
    switch (message.type) {
      case MessageType.Hello:
        this.currentHello = message.hello;
        this.clock.fromHello(message.hello.serverTime, Date.now());
        this.watchdog.start(
          this.options.silenceTimeoutMs ?? 2 * message.hello.heartbeatIntervalMs,
          performance.now(),
        );
        this.emit('hello', message.hello);
        break;
      case MessageType.SymbolDirectory:
        this.handleDirectory(message.directory);
        break;
      case MessageType.Snapshot:
        this.resyncs.delete(message.snapshot.requestId);
        this.byId.get(message.snapshot.symbolId)?._deliverSnapshot(message.snapshot);
        break;
      case MessageType.QuoteSnapshot:
        this.resyncs.delete(message.quoteSnapshot.requestId);
        this.byId.get(message.quoteSnapshot.symbolId)?._deliverQuoteSnapshot(message.quoteSnapshot);
        break;
      case MessageType.Quote:
        this.byId.get(message.quote.symbolId)?._deliverQuote(message.quote);
        break;
      case MessageType.Ack:
        if (!this.tokenRefresh.acked(message.ack.requestId)) {
          this.requests.acked(message.ack.requestId);
        }
        break;
      case MessageType.SymbolRefusals:
        this.requests.refused(message.refusals.requestId, message.refusals.refusals);
        break;
      case MessageType.Error:
        this.handleErrorReply(message.error.requestId, message.error.code, message.error.message);
        break;
      case MessageType.Pong: {
        const ping = this.pings.get(message.pong.nonce);
        if (!ping) break;
        this.pings.delete(message.pong.nonce);
        const rttMs = performance.now() - ping.sentAt;
        this.rtt.record(rttMs);
        this.clock.fromPong(message.pong.serverTime, Date.now(), rttMs);
        ping.resolve(rttMs);
        break;
      }
      case MessageType.Heartbeat:
        break; // Its arrival is the point: the watchdog has seen it.
      case MessageType.GoingAway:
        this.reconnectHintMs = message.goingAway.reconnectAfterMs;
        break;
      case MessageType.MarketStatus:
        this.currentMarketStatus = message.marketStatus;
        this.emit('marketStatus', message.marketStatus);
        break;
    }
  }

  private handleErrorReply(requestId: number, code: number, text: string): void {
    const error = new FeedError(code as FeedErrorCode, text, requestId);
    if (this.tokenRefresh.refused(requestId)) {
      this.emit('error', error); // the connection ends at the old token's expiry
      return;
    }
    if (this.requests.failed(requestId, error)) return; // reported by the requests themselves
    const resyncing = this.resyncs.get(requestId);
    if (resyncing) {
      this.resyncs.delete(requestId);
      resyncing._fail(error);
    }
    this.emit('error', error);
  }

  /** The directory arrives first on every connection; the connection counts as open from then. */
  private handleDirectory(directory: SymbolDirectory): void {
    this.currentDirectory = directory;
    this.symbolsById = new Map(directory.symbols.map((s) => [s.id, s]));
    this.symbolsByTicker = new Map(directory.symbols.map((s) => [s.ticker, s]));
    this.byId = new Map();
    for (const [ticker, subscription] of this.byTicker) {
      const id = this.symbolsByTicker.get(ticker)?.id;
      if (id !== undefined) this.byId.set(id, subscription);
    }
    this.openedAt = performance.now();
    this.emit('directory', directory);
    const waiters = this.directoryWaiters;
    this.directoryWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    this.setState('open', 'directory received');
    if (typeof this.options.token === 'function') this.tokenRefresh.start(this.offeredToken);
    this.startPinging();
    this.resubscribe();
  }

  /**
   * Asks again for every subscription not unsubscribed (in one request per view, with whatever
   * else changes in this tick). A ticker the new directory lacks stays subscribing, for the next
   * server, and is reported.
   */
  private resubscribe(): void {
    const missing: Subscription[] = [];
    for (const subscription of this.byTicker.values()) {
      if (subscription.state === 'unsubscribed') continue;
      if (this.symbolsByTicker.has(subscription.ticker)) this.requests.resume(subscription);
      else missing.push(subscription);
    }
    if (missing.length === 0) return;
    const error = new FeedError(
      ErrorCode.UnknownSymbol,
      `not in this server's directory, kept for the next: ${missing.map((s) => s.ticker).join(', ')}`,
    );
    for (const subscription of missing) {
      this.requests.failWaiting(subscription, error);
      subscription._fail(error);
    }
    this.emit('error', error);
  }

  private startPinging(): void {
    const interval = this.options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    if (interval <= 0) return;
    const measure = () => {
      this.ping().catch(noop); // a lost connection is reported through `state`
    };
    measure();
    this.pingTimer = setInterval(measure, interval);
  }

  private failPings(code: FeedErrorCode, reason: string): void {
    const pings = [...this.pings.values()];
    this.pings.clear();
    for (const ping of pings) ping.reject(new FeedError(code, reason));
  }

  private setState(newState: FeedState, reason: string, details: StateDetails = {}): void {
    const oldState = this.currentState;
    // `reconnecting` is announced again before every attempt, each with its own countdown.
    if (oldState === newState && details.retryInMs === undefined) return;
    this.currentState = newState;
    this.emit('state', { oldState, newState, reason, ...details });
  }
}

function detach(socket: WebSocketLike): WebSocketLike {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
  return socket;
}

function noop(): void {}
