// A stand-in feed server with views, for testing the load generator's side of them before the
// real server has them: hello (with or without QuoteIntervalMs), subscribe and view subscribe
// answered with acks or symbol refusals, chart and quote snapshots, then a quote per held symbol
// every `quoteIntervalMs`. It speaks the real encoders of @ticker/protocol, records what each
// client asked and what it was sent, and lets a test hold each connection's snapshots back.
//
// To extend: answer another client message in `onRequest`, and count what you send in `Sent`.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  ErrorCode,
  LimitId,
  MessageType,
  View,
  createTickColumns,
  decodeClientMessage,
  encodeAck,
  encodeHello,
  encodeQuote,
  encodeQuoteSnapshot,
  encodeSnapshot,
  encodeSymbolRefusals,
} from '@ticker/protocol';
import type { ServerLimit, ViewSubscribeRequest } from '@ticker/protocol';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

export interface FakeOptions {
  /** Announce QuoteIntervalMs (limit 7) in the hello, as a server with views does. */
  readonly views: boolean;
  /** Symbol ids a view subscribe refuses (code 4, unknown symbol). */
  readonly refuse?: ReadonlySet<number>;
  /** How long the n-th connection (0-based, in connect order) waits before its snapshots go out. */
  readonly snapshotDelayMs?: (connection: number) => number;
  readonly quoteIntervalMs?: number;
}

/** A request as the fake received it: the plain subscribe is view 'subscribe'. */
export interface Received {
  readonly connection: number;
  readonly requestId: number;
  readonly view: 'subscribe' | ViewSubscribeRequest['view'];
  readonly symbolIds: readonly number[];
}

/** What went out, counted on the wire (payload and a 2- or 4-byte unmasked frame header). */
export interface Sent {
  snapshots: number;
  snapshotBytes: number;
  quotes: number;
  quoteBytes: number;
}

const SESSION = {
  startTime: 1_767_225_600_000,
  open: 10_000,
  high: 10_100,
  low: 9_900,
  last: 10_050,
  volume: 500,
  tradeCount: 42,
};

const wireBytes = (payload: Uint8Array): number =>
  payload.length + (payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10);

export class FakeViewsServer {
  readonly received: Received[] = [];
  readonly sent: Sent = { snapshots: 0, snapshotBytes: 0, quotes: 0, quoteBytes: 0 };
  /** Each connection's remote address, in connect order. */
  readonly addresses: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: FakeOptions,
  ) {
    wss.on('connection', (socket, request) => {
      const connection = this.addresses.length;
      this.addresses.push(request.socket.remoteAddress ?? '');
      this.onOpen(socket, connection);
    });
  }

  static async start(options: FakeOptions): Promise<FakeViewsServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
    await once(wss, 'listening');
    return new FakeViewsServer(wss, options);
  }

  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private onOpen(socket: WebSocket, connection: number): void {
    const limits: ServerLimit[] = [{ id: LimitId.MaxSymbolsPerRequest, value: 256 }];
    if (this.options.views)
      limits.push({ id: LimitId.QuoteIntervalMs, value: this.options.quoteIntervalMs ?? 250 });
    socket.send(encodeHello({ serverTime: Date.now(), heartbeatIntervalMs: 5_000, limits }));
    socket.on('message', (data: Buffer) => {
      this.onRequest(socket, connection, new Uint8Array(data));
    });
    socket.on('error', () => undefined);
  }

  private onRequest(socket: WebSocket, connection: number, bytes: Uint8Array): void {
    const message = decodeClientMessage(bytes);
    if (message.type === MessageType.Subscribe) {
      const { requestId, symbolIds } = message.request;
      this.received.push({ connection, requestId, view: 'subscribe', symbolIds });
      socket.send(encodeAck({ requestId }));
      this.afterDelay(connection, () => {
        for (const id of symbolIds) this.sendSnapshot(socket, requestId, id);
      });
    } else if (message.type === MessageType.ViewSubscribe) {
      const { requestId, view, symbolIds } = message.request;
      this.received.push({ connection, requestId, view, symbolIds });
      const refused = symbolIds.filter((id) => this.options.refuse?.has(id) === true);
      const applied = symbolIds.filter((id) => !refused.includes(id));
      socket.send(
        refused.length > 0
          ? encodeSymbolRefusals({
              requestId,
              refusals: refused.map((symbolId) => ({ symbolId, code: ErrorCode.UnknownSymbol })),
            })
          : encodeAck({ requestId }),
      );
      this.afterDelay(connection, () => {
        for (const id of applied) {
          if (view === View.Chart) this.sendSnapshot(socket, requestId, id);
          else this.sendQuotes(socket, requestId, id);
        }
      });
    }
  }

  private afterDelay(connection: number, action: () => void): void {
    const ms = this.options.snapshotDelayMs?.(connection) ?? 0;
    if (ms > 0) this.later(ms, action);
    else action();
  }

  private sendSnapshot(socket: WebSocket, requestId: number, symbolId: number): void {
    const history = createTickColumns(4);
    history.baseTime = SESSION.startTime;
    history.count = 2;
    history.price.set([10_000, 10_050]);
    history.size.set([5, 7]);
    history.time.set([SESSION.startTime, SESSION.startTime + 40]);
    const frame = encodeSnapshot({
      requestId,
      symbolId,
      nextSeq: 1,
      session: SESSION,
      history,
      candles: [{ intervalMs: 1_000, candles: [] }],
    }).slice();
    this.sent.snapshots += 1;
    this.sent.snapshotBytes += wireBytes(frame);
    socket.send(frame);
  }

  /** The quote snapshot, then a quote every interval while the socket is open. */
  private sendQuotes(socket: WebSocket, requestId: number, symbolId: number): void {
    const frame = encodeQuoteSnapshot({
      requestId,
      symbolId,
      session: SESSION,
      closes: { intervalMs: 1_000, points: [{ start: SESSION.startTime, close: 10_050 }] },
    }).slice();
    this.sent.snapshots += 1;
    this.sent.snapshotBytes += wireBytes(frame);
    socket.send(frame);
    let trades = SESSION.tradeCount;
    const tick = (): void => {
      if (socket.readyState !== socket.OPEN) return;
      trades += 1;
      const quote = encodeQuote({
        symbolId,
        lastTime: Date.now(),
        last: 10_000 + (trades % 100),
        high: SESSION.high,
        low: SESSION.low,
        volume: SESSION.volume + trades,
        tradeCount: trades,
      }).slice();
      this.sent.quotes += 1;
      this.sent.quoteBytes += wireBytes(quote);
      socket.send(quote);
      this.later(this.options.quoteIntervalMs ?? 250, tick);
    };
    this.later(this.options.quoteIntervalMs ?? 250, tick);
  }
}
