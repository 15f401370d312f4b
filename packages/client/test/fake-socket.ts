import {
  AssetClass,
  MessageType,
  decodeSubscribe,
  encodeAck,
  encodeHello,
  encodeSymbolDirectory,
} from '@ticker/protocol';
import type { SymbolInfo } from '@ticker/protocol';
import type { WebSocketLike } from '../src/index.js';

/** A socket the test drives by hand: it records what the client sends and delivers frames. */
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

  /** What a feed server sends first: hello, then the directory. */
  greet(heartbeatIntervalMs = 5_000, serverTime = Date.now()): void {
    this.deliver(encodeHello({ serverTime, heartbeatIntervalMs, limits: [] }));
    this.deliver(encodeSymbolDirectory({ symbols: [BTC_INFO] }));
  }

  /** Acks the latest subscribe request and returns its symbol ids. */
  ackSubscribe(): number[] {
    const request = this.sent.findLast((frame) => frame[1] === MessageType.Subscribe);
    if (!request) throw new Error('no subscribe sent');
    const decoded = decodeSubscribe(request);
    this.deliver(encodeAck({ requestId: decoded.requestId }));
    return [...decoded.symbolIds];
  }
}

export const BTC = 1;
export const BTC_INFO: SymbolInfo = {
  id: BTC,
  ticker: 'BTC-USD',
  name: 'Bitcoin',
  assetClass: AssetClass.Crypto,
  priceDecimals: 2,
  sizeDecimals: 4,
  tickSize: 1,
  lotSize: 1,
};
