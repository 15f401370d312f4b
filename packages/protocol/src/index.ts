export { PROTOCOL_VERSION, HEADER_BYTES, MessageType } from './version.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { Limits } from './limits.js';
export { DecodeError, ErrorCode } from './errors.js';
export { ByteWriter } from './byte-writer.js';
export { peekServerMessageType, peekClientMessageType } from './header.js';
export {
  AssetClass,
  MAX_DECIMALS,
  encodeSymbolDirectory,
  decodeSymbolDirectory,
} from './messages/symbol-directory.js';
export type { SymbolInfo, SymbolDirectory } from './messages/symbol-directory.js';
export {
  encodeSubscribe,
  decodeSubscribe,
  encodeUnsubscribe,
  decodeUnsubscribe,
} from './messages/subscription.js';
export type { SubscriptionRequest } from './messages/subscription.js';
export { encodeAck, decodeAck, encodeErrorReply, decodeErrorReply } from './messages/reply.js';
export type { Ack, ErrorReply } from './messages/reply.js';
export {
  Side,
  MAX_PRICE,
  createTickBatch,
  reserveTickBatch,
  encodeTickBatch,
  decodeTickBatch,
} from './messages/tick-batch.js';
export type { TickBatch } from './messages/tick-batch.js';
export { formatScaled, toScaled } from './scaled.js';
