import {
  AssetClass,
  LimitId,
  MessageType,
  createTickBatch,
  createTickColumns,
  decodeSubscribe,
  decodeUnsubscribe,
  decodeViewSubscribe,
  encodeAck,
  encodeErrorReply,
  encodeHello,
  encodeQuote,
  encodeQuoteSnapshot,
  encodeSnapshot,
  encodeSymbolDirectory,
  encodeSymbolRefusals,
  encodeTickBatch,
} from '@ticker/protocol';
import type {
  ServerLimit,
  SubscriptionRequest,
  SymbolInfo,
  ViewSubscribeRequest,
} from '@ticker/protocol';
import type { WebSocketLike } from '../src/index.js';

/**
 * The limits a feed server with views announces (all nine). A hello without `QuoteIntervalMs`
 * is a server from before views, which the client then speaks the plain subscribe to.
 */
export const VIEW_SERVER_LIMITS: readonly ServerLimit[] = [
  { id: LimitId.MaxClientFrameBytes, value: 4_096 },
  { id: LimitId.MaxSymbolsPerRequest, value: 256 },
  { id: LimitId.MaxSubscriptions, value: 512 },
  { id: LimitId.MaxControlMessagesPerSecond, value: 20 },
  { id: LimitId.MaxTicksPerBatch, value: 4_096 },
  { id: LimitId.ControlMessageBurst, value: 40 },
  { id: LimitId.QuoteIntervalMs, value: 250 },
  { id: LimitId.SnapshotBytesPerSecond, value: 262_144 },
  { id: LimitId.SnapshotBurstBytes, value: 65_536 },
];

/** What a server from before views announced: limits 1–5. */
export const LEGACY_SERVER_LIMITS: readonly ServerLimit[] = VIEW_SERVER_LIMITS.filter(
  (limit) => limit.id <= LimitId.MaxTicksPerBatch,
);

export interface GreetOptions {
  readonly symbols?: readonly SymbolInfo[];
  readonly limits?: readonly ServerLimit[];
}

const SESSION = { startTime: 0, open: 0, high: 0, low: 0, last: 0, volume: 0, tradeCount: 0 };

/**
 * A socket the test drives by hand: it records what the client sends and delivers frames.
 *
 * To extend: a helper that answers a request finds it in `sent` by type (`requests`), decodes it
 * with the protocol's own decoder, and delivers the reply a server would send.
 */
export class FakeSocket implements WebSocketLike {
  static readonly created: FakeSocket[] = [];
  binaryType = 'arraybuffer';
  readyState = 1;
  readonly sent: Uint8Array[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.created.push(this);
  }

  static get last(): FakeSocket {
    const socket = FakeSocket.created.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  }

  send(data: Uint8Array): void {
    this.sent.push(data.slice());
  }

  close(code = 1005): void {
    this.readyState = 3;
    this.closedWith = code;
  }

  deliver(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }

  /** The server (or the network) ends the connection. */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** What a feed server sends first: hello, then the directory. By default, a server with views. */
  greet(heartbeatIntervalMs = 5_000, serverTime = Date.now(), options: GreetOptions = {}): void {
    const limits = options.limits ?? VIEW_SERVER_LIMITS;
    this.deliver(encodeHello({ serverTime, heartbeatIntervalMs, limits }));
    this.deliver(encodeSymbolDirectory({ symbols: options.symbols ?? [BTC_INFO] }));
  }

  /** The frames the client sent of one message type, in order. */
  framesOf(type: number): Uint8Array[] {
    return this.sent.filter((frame) => frame[1] === type);
  }

  viewSubscribes(): ViewSubscribeRequest[] {
    return this.framesOf(MessageType.ViewSubscribe).map((frame) => decodeViewSubscribe(frame));
  }

  unsubscribes(): SubscriptionRequest[] {
    return this.framesOf(MessageType.Unsubscribe).map((frame) => decodeUnsubscribe(frame));
  }

  /** Acks the latest subscribe or view subscribe and returns its symbol ids. */
  ackSubscribe(): number[] {
    const request = this.sent.findLast(
      (frame) => frame[1] === MessageType.Subscribe || frame[1] === MessageType.ViewSubscribe,
    );
    if (!request) throw new Error('no subscribe sent');
    const decoded =
      request[1] === MessageType.Subscribe
        ? decodeSubscribe(request)
        : decodeViewSubscribe(request);
    this.deliver(encodeAck({ requestId: decoded.requestId }));
    return [...decoded.symbolIds];
  }

  /**
   * Answers the latest view subscribe as a server with views does: an ack, or symbol refusals
   * naming `refused` (`[symbolId, code]` pairs). Returns the request answered.
   */
  answerViewSubscribe(
    refused: ReadonlyArray<readonly [number, number]> = [],
  ): ViewSubscribeRequest {
    const request = this.viewSubscribes().at(-1);
    if (!request) throw new Error('no view subscribe sent');
    this.answer(request.requestId, refused);
    return request;
  }

  /** Answers request `requestId` with an ack, or with symbol refusals. */
  answer(requestId: number, refused: ReadonlyArray<readonly [number, number]> = []): void {
    this.deliver(
      refused.length === 0
        ? encodeAck({ requestId })
        : encodeSymbolRefusals({
            requestId,
            refusals: refused.map(([symbolId, code]) => ({ symbolId, code })),
          }),
    );
  }

  /** Refuses request `requestId` whole with an error reply. */
  refuse(requestId: number, code: number, message = 'refused'): void {
    this.deliver(encodeErrorReply({ requestId, code, message }));
  }

  /** A chart snapshot of `symbolId` whose batches continue at `nextSeq`. */
  snapshot(symbolId: number, nextSeq: number, requestId = 0): void {
    this.deliver(
      encodeSnapshot({
        requestId,
        symbolId,
        nextSeq,
        session: SESSION,
        history: createTickColumns(),
        candles: [],
      }),
    );
  }

  /** An empty tick batch of `symbolId` numbered `seq`. */
  batch(symbolId: number, seq: number): void {
    this.deliver(encodeTickBatch({ ...createTickBatch(1), symbolId, seq }));
  }

  quoteSnapshot(symbolId: number, requestId = 0): void {
    this.deliver(
      encodeQuoteSnapshot({
        requestId,
        symbolId,
        session: SESSION,
        closes: { intervalMs: 1_000, points: [] },
      }),
    );
  }

  quote(symbolId: number, last: number): void {
    this.deliver(
      encodeQuote({ symbolId, lastTime: 0, last, high: last, low: last, volume: 1, tradeCount: 1 }),
    );
  }
}

/** Lets queued microtasks run (the client sends the requests of a tick in one). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export function symbolInfo(id: number, ticker: string): SymbolInfo {
  return {
    id,
    ticker,
    name: ticker,
    assetClass: AssetClass.Crypto,
    priceDecimals: 2,
    sizeDecimals: 4,
    tickSize: 1,
    lotSize: 1,
  };
}

export const BTC = 1;
export const BTC_INFO: SymbolInfo = { ...symbolInfo(BTC, 'BTC-USD'), name: 'Bitcoin' };
export const ETH = 2;
export const ETH_INFO: SymbolInfo = symbolInfo(ETH, 'ETH-USD');
export const AAPL = 3;
export const AAPL_INFO: SymbolInfo = { ...symbolInfo(AAPL, 'AAPL'), assetClass: AssetClass.Stock };
