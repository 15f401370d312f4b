// The public surface of @ticker/protocol: every message type with its encoder/decoder pair,
// the decoders' limits and error, and the few helpers both sides need.
export { PROTOCOL_VERSION, HEADER_BYTES, MessageType } from './version.js';
export type { ClientMessageType, ServerMessageType } from './version.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { Limits } from './limits.js';
export { DecodeError, ErrorCode } from './errors.js';
export { View, isView } from './views.js';
export { SharedFrame } from './shared-frame.js';
export { peekRequestId } from './request-id.js';
export { CloseCode, isTerminalCloseCode } from './close-codes.js';
export { FEED_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, subprotocolsFor } from './handshake.js';
export { ByteWriter } from './byte-writer.js';
export { peekServerMessageType, peekClientMessageType } from './header.js';
export { decodeServerMessage, decodeClientMessage } from './decode.js';
export type { ServerMessage, ClientMessage } from './decode.js';

export { LimitId, encodeHello, decodeHello, helloLimit } from './messages/hello.js';
export type { Hello, ServerLimit } from './messages/hello.js';
export {
  AssetClass,
  MAX_DECIMALS,
  encodeSymbolDirectory,
  decodeSymbolDirectory,
} from './messages/symbol-directory.js';
export type { SymbolInfo, SymbolDirectory } from './messages/symbol-directory.js';
export { Side, MAX_PRICE, createTickColumns, reserveTicks } from './messages/ticks.js';
export type { TickColumns } from './messages/ticks.js';
export { createTickBatch, encodeTickBatch, decodeTickBatch } from './messages/tick-batch.js';
export type { TickBatch } from './messages/tick-batch.js';
export { SESSION_MS } from './messages/session.js';
export { HISTORY_INTERVALS, HISTORY_INTERVAL_NAMES } from './history-intervals.js';
export type { HistoryInterval } from './history-intervals.js';
export type { SessionStats } from './messages/session.js';
export { encodeSnapshot, encodeSharedSnapshot, decodeSnapshot } from './messages/snapshot.js';
export type {
  Snapshot,
  SnapshotBody,
  Candle,
  CandleSeries,
  CandleRing,
} from './messages/snapshot.js';
export {
  encodeQuoteSnapshot,
  encodeSharedQuoteSnapshot,
  decodeQuoteSnapshot,
  encodeQuote,
  decodeQuote,
} from './messages/quote.js';
export type {
  QuoteSnapshot,
  QuoteSnapshotBody,
  Quote,
  ClosePoint,
  CloseSeries,
} from './messages/quote.js';
export { encodeSymbolRefusals, decodeSymbolRefusals } from './messages/symbol-refusals.js';
export type { SymbolRefusal, SymbolRefusals } from './messages/symbol-refusals.js';
export { encodeAck, decodeAck, encodeErrorReply, decodeErrorReply } from './messages/reply.js';
export type { Ack, ErrorReply } from './messages/reply.js';
export {
  encodePing,
  decodePing,
  encodePong,
  decodePong,
  encodeHeartbeat,
  decodeHeartbeat,
} from './messages/liveness.js';
export type { Ping, Pong, Heartbeat } from './messages/liveness.js';
export { encodeGoingAway, decodeGoingAway } from './messages/going-away.js';
export type { GoingAway } from './messages/going-away.js';
export {
  encodeSubscribe,
  decodeSubscribe,
  encodeUnsubscribe,
  decodeUnsubscribe,
} from './messages/subscription.js';
export type { SubscriptionRequest } from './messages/subscription.js';
export { encodeViewSubscribe, decodeViewSubscribe } from './messages/view-subscription.js';
export type { ViewSubscribeRequest } from './messages/view-subscription.js';
export { encodeResync, decodeResync } from './messages/resync.js';
export { MarketState, encodeMarketStatus, decodeMarketStatus } from './messages/market-status.js';
export type { MarketStatus } from './messages/market-status.js';
export {
  MAX_REFRESH_TOKEN_BYTES,
  encodeRefreshToken,
  decodeRefreshToken,
} from './messages/refresh-token.js';
export type { RefreshTokenRequest } from './messages/refresh-token.js';
export type { ResyncRequest } from './messages/resync.js';
export { formatScaled, toScaled } from './scaled.js';
