import { FeedError } from '@ticker/client';
import type { FeedClientEvents, FeedMetrics, FeedState, WebSocketLike } from '@ticker/client';
import { AssetClass, createTickBatch } from '@ticker/protocol';
import type { SymbolDirectory, SymbolInfo, TickBatch } from '@ticker/protocol';
import type { FeedSource } from '../src/feed/feed-bridge';
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

type Listener<K extends keyof FeedClientEvents> = (payload: FeedClientEvents[K]) => void;

/** A FeedSource driven by the test: it emits what the test tells it and records requests. */
export class FakeFeed implements FeedSource {
  state: FeedState = 'closed';
  directory: SymbolDirectory | null = null;
  connects = 0;
  closes = 0;
  readonly subscribed: string[][] = [];
  readonly unsubscribed: string[][] = [];
  /** What the next subscribe calls return; resolves by default. */
  subscribeResult: () => Promise<void> = () => Promise.resolve();
  unsubscribeResult: () => Promise<void> = () => Promise.resolve();
  private readonly listeners = new Map<keyof FeedClientEvents, Set<(payload: never) => void>>();

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

  subscribe(tickers: readonly string[]): Promise<void> {
    this.subscribed.push([...tickers]);
    return this.subscribeResult();
  }

  unsubscribe(tickers: readonly string[]): Promise<void> {
    this.unsubscribed.push([...tickers]);
    return this.unsubscribeResult();
  }

  on<K extends keyof FeedClientEvents>(event: K, listener: Listener<K>): () => void {
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

  emit<K extends keyof FeedClientEvents>(event: K, payload: FeedClientEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as Listener<K>)(payload);
  }

  setState(
    newState: FeedState,
    reason: string,
    details: { retryInMs?: number; closeCode?: number } = {},
  ): void {
    const oldState = this.state;
    this.state = newState;
    this.emit('state', { oldState, newState, reason, ...details });
  }

  sendDirectory(symbols: readonly SymbolInfo[]): void {
    this.directory = { symbols };
    this.emit('directory', this.directory);
    this.setState('open', 'directory received');
  }

  /** Emits `ticks` ([time, scaled price] pairs) through one reused batch, like the client. */
  sendTicks(symbolId: number, ticks: ReadonlyArray<readonly [number, number, number?]>): void {
    fillBatch(this.batch, symbolId, ticks);
    this.emit('batch', this.batch);
  }

  /** The batch object every `sendTicks` reuses, so tests can scribble over it afterwards. */
  readonly batch: TickBatch = createTickBatch(16);
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

/** A rejection the server would cause, as opposed to a lost connection. */
export function serverError(message: string): FeedError {
  return new FeedError(4, message, 1);
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
}

/** Lets pending promise callbacks run, without timers. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
