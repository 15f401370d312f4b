import {
  createTickColumns,
  decodeClientMessage,
  decodeServerMessage,
  encodeAck,
  encodeErrorReply,
  encodeGoingAway,
  encodeHeartbeat,
  encodeHello,
  encodePing,
  encodePong,
  encodeMarketStatus,
  encodeRefreshToken,
  encodeResync,
  encodeSnapshot,
  encodeSubscribe,
  encodeSymbolDirectory,
  encodeTickBatch,
  encodeUnsubscribe,
  encodeQuote,
  encodeQuoteSnapshot,
  encodeSymbolRefusals,
  encodeViewSubscribe,
  reserveTicks,
  MessageType,
} from '../src/index.js';
import type { ClientMessage, ServerMessage, TickColumns } from '../src/index.js';

/**
 * The JSON form of a message used by test-vectors/v1.json: plain data a client in any language
 * can read. Ticks are `[price, size, timeMs, side]`.
 */
export type Tick = [price: number, size: number, time: number, side: number];
export type VectorMessage =
  | ({ kind: 'hello' } & JsonOf<'hello'>)
  | ({ kind: 'directory' } & JsonOf<'directory'>)
  | { kind: 'tickBatch'; symbolId: number; seq: number; baseTime: number; ticks: Tick[] }
  | ({ kind: 'snapshot' } & Omit<JsonOf<'snapshot'>, 'history'> & {
        history: { baseTime: number; ticks: Tick[] };
      })
  | ({ kind: 'ack' } & JsonOf<'ack'>)
  | ({ kind: 'error' } & JsonOf<'error'>)
  | ({ kind: 'pong' } & JsonOf<'pong'>)
  | ({ kind: 'heartbeat' } & JsonOf<'heartbeat'>)
  | ({ kind: 'goingAway' } & JsonOf<'goingAway'>)
  | ({ kind: 'symbolRefusals' } & JsonOf<'refusals'>)
  | ({ kind: 'quoteSnapshot' } & JsonOf<'quoteSnapshot'>)
  | ({ kind: 'quote' } & JsonOf<'quote'>)
  | ({ kind: 'marketStatus' } & JsonOf<'marketStatus'>)
  | ({ kind: 'subscribe' } & JsonOfClient<'request', typeof MessageType.Subscribe>)
  | ({ kind: 'unsubscribe' } & JsonOfClient<'request', typeof MessageType.Unsubscribe>)
  | ({ kind: 'resync' } & JsonOfClient<'request', typeof MessageType.Resync>)
  | ({ kind: 'ping' } & JsonOfClient<'ping', typeof MessageType.Ping>)
  | ({ kind: 'viewSubscribe' } & JsonOfClient<'request', typeof MessageType.ViewSubscribe>)
  | ({ kind: 'refreshToken' } & JsonOfClient<'request', typeof MessageType.RefreshToken>);

type Payload<M, K extends string> = M extends Record<K, infer P> ? P : never;
type JsonOf<K extends string> = Payload<ServerMessage, K>;
type JsonOfClient<K extends string, T> = Payload<Extract<ClientMessage, { type: T }>, K>;

export interface Vector {
  readonly name: string;
  readonly hex: string;
  readonly message: VectorMessage;
}

export function toColumns(baseTime: number, ticks: readonly Tick[]): TickColumns {
  const columns = createTickColumns(1);
  reserveTicks(columns, ticks.length);
  ticks.forEach(([price, size, time, side], i) => {
    columns.price[i] = price;
    columns.size[i] = size;
    columns.time[i] = time;
    columns.side[i] = side;
  });
  columns.baseTime = baseTime;
  columns.count = ticks.length;
  return columns;
}

export function fromColumns(columns: TickColumns): Tick[] {
  return Array.from({ length: columns.count }, (_, i): Tick => [
    columns.price[i] ?? NaN,
    columns.size[i] ?? NaN,
    columns.time[i] ?? NaN,
    columns.side[i] ?? NaN,
  ]);
}

/** Encodes a vector's message with the package's encoder. */
export function encodeVector(message: VectorMessage): Uint8Array {
  switch (message.kind) {
    case 'hello':
      return encodeHello(message);
    case 'directory':
      return encodeSymbolDirectory(message);
    case 'tickBatch':
      return encodeTickBatch({
        symbolId: message.symbolId,
        seq: message.seq,
        ...toColumns(message.baseTime, message.ticks),
      });
    case 'snapshot':
      return encodeSnapshot({
        ...message,
        history: toColumns(message.history.baseTime, message.history.ticks),
      });
    case 'ack':
      return encodeAck(message);
    case 'error':
      return encodeErrorReply(message);
    case 'pong':
      return encodePong(message);
    case 'heartbeat':
      return encodeHeartbeat(message);
    case 'goingAway':
      return encodeGoingAway(message);
    case 'symbolRefusals':
      return encodeSymbolRefusals(message);
    case 'quoteSnapshot':
      return encodeQuoteSnapshot(message);
    case 'quote':
      return encodeQuote(message);
    case 'marketStatus':
      return encodeMarketStatus(message);
    case 'subscribe':
      return encodeSubscribe(message);
    case 'unsubscribe':
      return encodeUnsubscribe(message);
    case 'resync':
      return encodeResync(message);
    case 'ping':
      return encodePing(message);
    case 'viewSubscribe':
      return encodeViewSubscribe(message);
    case 'refreshToken':
      return encodeRefreshToken(message);
  }
}

/** Decodes bytes of either direction into a vector's JSON form. */
export function decodeVector(bytes: Uint8Array): VectorMessage {
  return (bytes[1] ?? 0) >= 0x80
    ? fromClient(decodeClientMessage(bytes))
    : fromServer(decodeServerMessage(bytes));
}

function fromServer(message: ServerMessage): VectorMessage {
  switch (message.type) {
    case MessageType.Hello:
      return { kind: 'hello', ...message.hello };
    case MessageType.SymbolDirectory:
      return { kind: 'directory', ...message.directory };
    case MessageType.TickBatch: {
      const { symbolId, seq, baseTime } = message.batch;
      return { kind: 'tickBatch', symbolId, seq, baseTime, ticks: fromColumns(message.batch) };
    }
    case MessageType.Snapshot: {
      const { history, ...rest } = message.snapshot;
      return {
        kind: 'snapshot',
        ...rest,
        history: { baseTime: history.baseTime, ticks: fromColumns(history) },
      };
    }
    case MessageType.Ack:
      return { kind: 'ack', ...message.ack };
    case MessageType.Error:
      return { kind: 'error', ...message.error };
    case MessageType.Pong:
      return { kind: 'pong', ...message.pong };
    case MessageType.Heartbeat:
      return { kind: 'heartbeat', ...message.heartbeat };
    case MessageType.GoingAway:
      return { kind: 'goingAway', ...message.goingAway };
    case MessageType.SymbolRefusals:
      return { kind: 'symbolRefusals', ...message.refusals };
    case MessageType.QuoteSnapshot:
      return { kind: 'quoteSnapshot', ...message.quoteSnapshot };
    case MessageType.Quote:
      return { kind: 'quote', ...message.quote };
    case MessageType.MarketStatus:
      return { kind: 'marketStatus', ...message.marketStatus };
  }
}

function fromClient(message: ClientMessage): VectorMessage {
  switch (message.type) {
    case MessageType.Subscribe:
      return { kind: 'subscribe', ...message.request };
    case MessageType.Unsubscribe:
      return { kind: 'unsubscribe', ...message.request };
    case MessageType.Resync:
      return { kind: 'resync', ...message.request };
    case MessageType.Ping:
      return { kind: 'ping', ...message.ping };
    case MessageType.ViewSubscribe:
      return { kind: 'viewSubscribe', ...message.request };
    case MessageType.RefreshToken:
      return { kind: 'refreshToken', ...message.request };
  }
}
