import {
  DEFAULT_LIMITS,
  DecodeError,
  ErrorCode,
  MessageType,
  ByteWriter,
  createTickBatch,
  decodeServerMessage,
  encodePing,
  encodeResync,
  encodeSubscribe,
  encodeUnsubscribe,
  isTerminalCloseCode,
  subprotocolsFor,
} from '@ticker/protocol';
import type {
  Hello,
  ServerMessage,
  Snapshot,
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
import { LatencyWindow } from './latency-window.js';
import type { Percentiles } from './latency-window.js';
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

export interface FeedClientEvents {
  state: StateChange;
  /** The server's hello, first on every connection. */
  hello: Hello;
  directory: SymbolDirectory;
  snapshot: Snapshot;
  /** Batches of a symbol were lost; the client has asked for a resync (a snapshot follows). */
  gap: SequenceGap;
  /** The snapshot answering a gap arrived (right before its `snapshot` event): the series resumes. */
  resync: Resync;
  /** The batch object is reused: read it inside the listener, copy what you keep. */
  batch: TickBatch;
  error: FeedError;
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
   * A function is asked again on every (re)connect, so it can hand out a fresh token when the
   * server closes with 4002 (token expired).
   */
  readonly token?: string | (() => string | null);
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
/** Browsers let a client close only with 1000 or 3000–4999. */
const CLOSE_SILENT_SERVER = 4000;

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
 * One connection to the feed: keeps the wanted subscriptions across reconnects, checks every
 * series for gaps, watches for a silent server, measures itself, and reports what happens as
 * typed events.
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
  private readonly pending = new Map<number, PendingRequest>();
  /** Tickers, not ids: ids belong to one server's directory, tickers survive a change of server. */
  private readonly wanted = new Set<string>();
  private symbolsById = new Map<number, SymbolInfo>();
  private symbolsByTicker = new Map<string, SymbolInfo>();
  private currentDirectory: SymbolDirectory | null = null;
  private directoryWaiters: PendingRequest[] = [];
  /** Subscribes made while disconnected: they settle with the resubscribe after reconnecting. */
  private resumeWaiters: PendingRequest[] = [];
  private readonly batch = createTickBatch(256);
  private readonly writer = new ByteWriter(256);
  private currentHello: Hello | null = null;
  private nextNonce = 1;
  private readonly pings = new Map<number, PendingPing>();
  /** Per symbol, the `seq` the next batch must carry (set by snapshots and by each batch). */
  private readonly nextSeq = new Map<number, number>();
  /** Symbols with a resync requested and its snapshot not yet here: no second request. */
  private readonly resyncing = new Set<number>();
  /** From the server's going-away notice: wait at least this long before the next attempt. */
  private reconnectHintMs = 0;
  private readonly rtt = new LatencyWindow(RTT_SAMPLES);
  private readonly tickAge = new LatencyWindow(TICK_AGE_SAMPLES);
  private readonly throughput = new Throughput();
  private readonly clock = new ClockOffset();
  private reconnects = 0;
  private gaps = 0;

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
  }

  get state(): FeedState {
    return this.currentState;
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

  symbol(idOrTicker: number | string): SymbolInfo | undefined {
    return typeof idOrTicker === 'number'
      ? this.symbolsById.get(idOrTicker)
      : this.symbolsByTicker.get(idOrTicker);
  }

  connect(): void {
    if (this.currentState !== 'closed') return;
    this.open('connecting', 'connect requested');
  }

  /** Closes for good: no reconnect, pending requests reject with `ClientErrorCode.Closed`. */
  close(): void {
    this.shutdown('closed by request');
  }

  /**
   * Subscribes to the tickers and keeps them subscribed across reconnects. Resolves on the
   * server's ack; rejects with a `FeedError`: the server's code (`ErrorCode.UnknownSymbol` also
   * for a ticker missing from the directory), `ConnectionLost` if the connection dropped before
   * the reply (the subscription then resumes on reconnect), or `Closed`.
   */
  async subscribe(tickers: readonly string[]): Promise<void> {
    const ids = await this.resolveTickers(tickers);
    for (const ticker of tickers) this.wanted.add(ticker);
    try {
      await this.request(MessageType.Subscribe, ids);
    } catch (error) {
      // The server refused it (an unknown id, a limit, a symbol the token does not cover) and
      // applied nothing: resubscribing it after a reconnect would only be refused again, and
      // would take the other symbols of that request down with it.
      if (
        error instanceof FeedError &&
        error.code < ClientErrorCode.ConnectionLost /* server codes lie below the client's */
      ) {
        for (const ticker of tickers) this.wanted.delete(ticker);
      }
      throw error;
    }
  }

  async unsubscribe(tickers: readonly string[]): Promise<void> {
    const ids = await this.resolveTickers(tickers);
    for (const ticker of tickers) this.wanted.delete(ticker);
    for (const id of ids) {
      this.nextSeq.delete(id);
      this.resyncing.delete(id);
    }
    return this.request(MessageType.Unsubscribe, ids);
  }

  private async resolveTickers(tickers: readonly string[]): Promise<number[]> {
    if (!this.currentDirectory) {
      await new Promise<void>((resolve, reject) => {
        this.directoryWaiters.push({ resolve, reject });
      });
    }
    const unknown = tickers.filter((ticker) => !this.symbolsByTicker.has(ticker));
    if (unknown.length > 0) {
      throw new FeedError(ErrorCode.UnknownSymbol, `unknown ticker(s): ${unknown.join(', ')}`);
    }
    return tickers.map((ticker) => (this.symbolsByTicker.get(ticker) as SymbolInfo).id);
  }

  private request(
    type: typeof MessageType.Subscribe | typeof MessageType.Unsubscribe,
    symbolIds: readonly number[],
  ): Promise<void> {
    if (symbolIds.length === 0) return Promise.resolve();
    const socket = this.socket;
    if (!socket || socket.readyState !== WS_OPEN || this.currentState !== 'open') {
      // A new connection starts with no subscriptions, so an unsubscribe is already done.
      if (type === MessageType.Unsubscribe) return Promise.resolve();
      return new Promise((resolve, reject) => this.resumeWaiters.push({ resolve, reject }));
    }
    const perRequest = DEFAULT_LIMITS.maxSymbolsPerRequest;
    const encode = type === MessageType.Subscribe ? encodeSubscribe : encodeUnsubscribe;
    return new Promise<void>((resolve, reject) => {
      for (let start = 0; start < symbolIds.length; start += perRequest) {
        const requestId = this.nextRequestId++;
        const isLast = start + perRequest >= symbolIds.length;
        this.pending.set(requestId, isLast ? { resolve, reject } : { resolve: noop, reject });
        const chunk = symbolIds.slice(start, start + perRequest);
        socket.send(encode({ requestId, symbolIds: chunk }, this.writer));
      }
    });
  }

  private open(state: 'connecting' | 'reconnecting', reason: string): void {
    const url = this.url;
    this.setState(state, `${reason}: ${url}`);
    if (state === 'reconnecting') this.reconnects += 1;
    const { token } = this.options;
    const protocols = subprotocolsFor(typeof token === 'function' ? token() : (token ?? null));
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
    detach(socket).close(CLOSE_SILENT_SERVER, 'no frame within the timeout');
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
    this.failPending(ClientErrorCode.ConnectionLost, reason);
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
  }

  /** Forgets everything that belonged to the connection; the wanted subscriptions stay. */
  private dropConnection(): void {
    this.socket = null;
    this.currentHello = null;
    this.openedAt = null;
    this.watchdog.stop();
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.clock.reset();
    // A new connection starts every series afresh from its snapshots.
    this.nextSeq.clear();
    this.resyncing.clear();
  }

  private shutdown(reason: string, details: StateDetails = {}): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    if (socket) detach(socket).close(1000, 'client closed');
    this.dropConnection();
    this.attempt = 0;
    this.failPending(ClientErrorCode.Closed, reason);
    const waiters = [...this.directoryWaiters, ...this.resumeWaiters];
    this.directoryWaiters = [];
    this.resumeWaiters = [];
    for (const waiter of waiters) waiter.reject(new FeedError(ClientErrorCode.Closed, reason));
    this.setState('closed', reason, details);
  }

  /**
   * Each batch must carry the seq its snapshot or predecessor promised. A gap means batches were
   * lost: report it and ask once for a fresh snapshot, which restarts the series.
   */
  private checkSequence(symbolId: number, seq: number): void {
    const expected = this.nextSeq.get(symbolId);
    this.nextSeq.set(symbolId, seq + 1);
    if (expected === undefined || seq === expected || this.resyncing.has(symbolId)) return;
    this.resyncing.add(symbolId);
    this.gaps += 1;
    this.emit('gap', { symbolId, expected, received: seq });
    const socket = this.socket;
    if (socket && socket.readyState === WS_OPEN) {
      socket.send(encodeResync({ requestId: this.nextRequestId++, symbolId }, this.writer));
    }
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
    this.checkSequence(batch.symbolId, batch.seq);
    this.emit('batch', batch);
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
      case MessageType.Snapshot: {
        const { symbolId, nextSeq } = message.snapshot;
        this.nextSeq.set(symbolId, nextSeq);
        if (this.resyncing.delete(symbolId)) this.emit('resync', { symbolId, nextSeq });
        this.emit('snapshot', message.snapshot);
        break;
      }
      case MessageType.Ack:
        this.settle(message.ack.requestId, null);
        break;
      case MessageType.Error: {
        const { requestId, code, message: text } = message.error;
        const error = new FeedError(code as FeedErrorCode, text, requestId);
        if (!this.settle(requestId, error)) this.emit('error', error);
        break;
      }
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
    }
  }

  /** The directory arrives first on every connection; the connection counts as open from then. */
  private handleDirectory(directory: SymbolDirectory): void {
    this.currentDirectory = directory;
    this.symbolsById = new Map(directory.symbols.map((s) => [s.id, s]));
    this.symbolsByTicker = new Map(directory.symbols.map((s) => [s.ticker, s]));
    this.openedAt = performance.now();
    this.emit('directory', directory);
    const waiters = this.directoryWaiters;
    this.directoryWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    this.setState('open', 'directory received');
    this.startPinging();
    this.resubscribe();
  }

  /** Re-sends every wanted subscription; subscribes made while disconnected settle with it. */
  private resubscribe(): void {
    const ids: number[] = [];
    const missing: string[] = [];
    for (const ticker of this.wanted) {
      const symbol = this.symbolsByTicker.get(ticker);
      if (symbol) ids.push(symbol.id);
      else missing.push(ticker);
    }
    if (missing.length > 0) {
      this.emit(
        'error',
        new FeedError(
          ErrorCode.UnknownSymbol,
          `not in this server's directory, kept for the next: ${missing.join(', ')}`,
        ),
      );
    }
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    this.request(MessageType.Subscribe, ids).then(
      () => {
        for (const waiter of waiters) waiter.resolve();
      },
      (error: unknown) => {
        if (!(error instanceof FeedError)) throw error;
        for (const waiter of waiters) waiter.reject(error);
        if (waiters.length === 0) this.emit('error', error);
      },
    );
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

  private settle(requestId: number, error: FeedError | null): boolean {
    const request = this.pending.get(requestId);
    if (!request) return false;
    this.pending.delete(requestId);
    if (error) request.reject(error);
    else request.resolve();
    return true;
  }

  private failPending(code: FeedErrorCode, reason: string): void {
    const pending = [...this.pending.values(), ...this.pings.values()];
    this.pending.clear();
    this.pings.clear();
    for (const request of pending) request.reject(new FeedError(code, reason));
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
