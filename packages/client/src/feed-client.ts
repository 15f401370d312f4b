import {
  DEFAULT_LIMITS,
  DecodeError,
  MessageType,
  ByteWriter,
  createTickBatch,
  decodeServerMessage,
  encodePing,
  encodeResync,
  encodeSubscribe,
  encodeUnsubscribe,
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
import { Emitter } from './emitter.js';
import { ClientErrorCode, FeedError } from './feed-error.js';
import { WS_OPEN } from './websocket.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket.js';

export type FeedState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateChange {
  readonly oldState: FeedState;
  readonly newState: FeedState;
  readonly reason: string;
}

export interface FeedClientEvents {
  state: StateChange;
  /** The server's hello, first on every connection. */
  hello: Hello;
  directory: SymbolDirectory;
  snapshot: Snapshot;
  /** Batches of a symbol were lost; the client has asked for a resync (a snapshot follows). */
  gap: SequenceGap;
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

export interface FeedClientOptions {
  /** Feed endpoint, e.g. `ws://localhost:8080/ws`. */
  readonly url: string;
  /** WebSocket implementation; defaults to the global one (browsers, Node >= 22). */
  readonly WebSocket?: WebSocketConstructor;
  readonly reconnect?: BackoffOptions;
}

interface PendingRequest {
  resolve(): void;
  reject(error: FeedError): void;
}

/**
 * One connection to the feed: keeps the wanted subscriptions across reconnects, decodes every
 * frame, and reports what happens as typed events.
 */
export class FeedClient extends Emitter<FeedClientEvents> {
  private readonly options: FeedClientOptions;
  private readonly WebSocketImpl: WebSocketConstructor;
  private socket: WebSocketLike | null = null;
  private currentState: FeedState = 'closed';
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly wanted = new Set<number>();
  private symbolsById = new Map<number, SymbolInfo>();
  private symbolsByTicker = new Map<string, SymbolInfo>();
  private currentDirectory: SymbolDirectory | null = null;
  private directoryWaiters: PendingRequest[] = [];
  private readonly batch = createTickBatch(256);
  private readonly writer = new ByteWriter(256);
  private currentHello: Hello | null = null;
  private nextNonce = 1;
  private readonly pings = new Map<
    number,
    { sentAt: number; resolve(rttMs: number): void; reject(error: FeedError): void }
  >();
  /** Per symbol, the `seq` the next batch must carry (set by snapshots and by each batch). */
  private readonly nextSeq = new Map<number, number>();
  /** Symbols with a resync requested and its snapshot not yet here: no second request. */
  private readonly resyncing = new Set<number>();
  /** From the server's going-away notice: wait at least this long before the next attempt. */
  private reconnectHintMs = 0;

  constructor(options: FeedClientOptions) {
    super();
    this.options = options;
    const impl =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!impl)
      throw new TypeError('No WebSocket implementation: pass options.WebSocket (e.g. from "ws")');
    this.WebSocketImpl = impl;
  }

  get state(): FeedState {
    return this.currentState;
  }

  get directory(): SymbolDirectory | null {
    return this.currentDirectory;
  }

  /** The current connection's hello (server clock, heartbeat interval, limits), if received. */
  get hello(): Hello | null {
    return this.currentHello;
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
    this.open('connect requested');
  }

  /** Closes for good: no reconnect, pending requests reject with `ClientErrorCode.Closed`. */
  close(): void {
    this.clearReconnectTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) detach(socket).close(1000, 'client closed');
    this.attempt = 0;
    this.failPending(ClientErrorCode.Closed, 'client closed');
    const waiters = this.directoryWaiters;
    this.directoryWaiters = [];
    for (const waiter of waiters)
      waiter.reject(new FeedError(ClientErrorCode.Closed, 'client closed'));
    this.setState('closed', 'closed by request');
  }

  /**
   * Subscribes to the tickers and keeps them subscribed across reconnects. Resolves on the
   * server's ack; rejects with a `FeedError` carrying the server's code, an unknown ticker, or a
   * connection lost before the reply (the subscription then resumes on reconnect).
   */
  async subscribe(tickers: readonly string[]): Promise<void> {
    const ids = await this.resolveTickers(tickers);
    for (const id of ids) this.wanted.add(id);
    return this.request(MessageType.Subscribe, ids);
  }

  async unsubscribe(tickers: readonly string[]): Promise<void> {
    const ids = await this.resolveTickers(tickers);
    for (const id of ids) {
      this.wanted.delete(id);
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
    return tickers.map((ticker) => {
      const symbol = this.symbolsByTicker.get(ticker);
      if (!symbol) throw new FeedError(ClientErrorCode.UnknownTicker, `unknown ticker "${ticker}"`);
      return symbol.id;
    });
  }

  private request(
    type: typeof MessageType.Subscribe | typeof MessageType.Unsubscribe,
    symbolIds: number[],
  ): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WS_OPEN || symbolIds.length === 0)
      return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      for (let start = 0; start < symbolIds.length; start += DEFAULT_LIMITS.maxSymbolsPerRequest) {
        const requestId = this.nextRequestId++;
        const chunk = symbolIds.slice(start, start + DEFAULT_LIMITS.maxSymbolsPerRequest);
        const isLast = start + DEFAULT_LIMITS.maxSymbolsPerRequest >= symbolIds.length;
        this.pending.set(requestId, isLast ? { resolve, reject } : { resolve: noop, reject });
        const encode = type === MessageType.Subscribe ? encodeSubscribe : encodeUnsubscribe;
        socket.send(encode({ requestId, symbolIds: chunk }, this.writer));
      }
    });
  }

  private open(reason: string): void {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', reason);
    const socket = new this.WebSocketImpl(this.options.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    // Handlers check `this.socket === socket` so events of a superseded socket are ignored.
    socket.onmessage = (event) => {
      if (this.socket === socket) this.handleFrame(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket)
        this.handleClose(`closed by server: ${event.code} ${event.reason}`.trim());
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
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
    this.emit('gap', { symbolId, expected, received: seq });
    const socket = this.socket;
    if (socket && socket.readyState === WS_OPEN) {
      socket.send(encodeResync({ requestId: this.nextRequestId++, symbolId }, this.writer));
    }
  }

  private handleClose(reason: string): void {
    this.socket = null;
    this.currentHello = null;
    // A new connection starts every series afresh from its snapshots.
    this.nextSeq.clear();
    this.resyncing.clear();
    this.failPending(ClientErrorCode.ConnectionLost, reason);
    this.attempt += 1;
    const delay = this.reconnectHintMs + backoffDelay(this.attempt - 1, this.options.reconnect);
    this.reconnectHintMs = 0;
    this.setState('reconnecting', `${reason}; retrying in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open('retrying');
    }, delay);
  }

  private handleFrame(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) {
      this.emit(
        'error',
        new FeedError(ClientErrorCode.UnexpectedFrame, 'unexpected text frame from server'),
      );
      return;
    }
    let message: ServerMessage;
    try {
      message = decodeServerMessage(new Uint8Array(data), this.batch);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.emit(
        'error',
        new FeedError(error.code, `undecodable frame from server: ${error.message}`),
      );
      return;
    }
    switch (message.type) {
      case MessageType.TickBatch:
        this.checkSequence(message.batch.symbolId, message.batch.seq);
        this.emit('batch', message.batch);
        break;
      case MessageType.Hello:
        this.currentHello = message.hello;
        this.emit('hello', message.hello);
        break;
      case MessageType.SymbolDirectory:
        this.handleDirectory(message.directory);
        break;
      case MessageType.Snapshot:
        this.nextSeq.set(message.snapshot.symbolId, message.snapshot.nextSeq);
        this.resyncing.delete(message.snapshot.symbolId);
        this.emit('snapshot', message.snapshot);
        break;
      case MessageType.Ack:
        this.settle(message.ack.requestId, null);
        break;
      case MessageType.Error: {
        const { requestId, code, message: text } = message.error;
        const error = new FeedError(code, text, requestId);
        if (!this.settle(requestId, error)) this.emit('error', error);
        break;
      }
      case MessageType.Pong: {
        const ping = this.pings.get(message.pong.nonce);
        this.pings.delete(message.pong.nonce);
        ping?.resolve(performance.now() - ping.sentAt);
        break;
      }
      case MessageType.Heartbeat:
        break; // Its arrival is the point: the connection is alive.
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
    this.attempt = 0;
    this.emit('directory', directory);
    const waiters = this.directoryWaiters;
    this.directoryWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    this.setState('open', 'directory received');
    const resume = [...this.wanted].filter((id) => this.symbolsById.has(id));
    if (resume.length > 0) {
      this.request(MessageType.Subscribe, resume).catch((error: unknown) => {
        if (error instanceof FeedError) this.emit('error', error);
      });
    }
  }

  private settle(requestId: number, error: FeedError | null): boolean {
    const request = this.pending.get(requestId);
    if (!request) return false;
    this.pending.delete(requestId);
    if (error) request.reject(error);
    else request.resolve();
    return true;
  }

  private failPending(code: number, reason: string): void {
    const pending = [...this.pending.values(), ...this.pings.values()];
    this.pending.clear();
    this.pings.clear();
    for (const request of pending) request.reject(new FeedError(code, reason));
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private setState(newState: FeedState, reason: string): void {
    const oldState = this.currentState;
    if (oldState === newState) return;
    this.currentState = newState;
    this.emit('state', { oldState, newState, reason });
  }
}

function detach(socket: WebSocketLike): WebSocketLike {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
  return socket;
}

function noop(): void {}
