/**
 * Protocol version spoken by this package. Every frame starts with it (see docs/PROTOCOL.md).
 *
 * Changelog:
 * - 1: symbol directory, subscribe/unsubscribe, ack, error, tick batch.
 */
export const PROTOCOL_VERSION = 1;

/** Bytes before every message body: `[version: u8][type: u8]`. */
export const HEADER_BYTES = 2;

/**
 * Every message type, in one place. Server -> client types live below 0x80, client -> server
 * types at or above it, so a misdirected frame is rejected by its type alone.
 * Extend by appending a new value and bumping the changelog above.
 */
export const MessageType = {
  SymbolDirectory: 0x01,
  TickBatch: 0x02,
  Ack: 0x03,
  Error: 0x04,
  Subscribe: 0x81,
  Unsubscribe: 0x82,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const SERVER_MESSAGE_TYPES: ReadonlySet<number> = new Set([
  MessageType.SymbolDirectory,
  MessageType.TickBatch,
  MessageType.Ack,
  MessageType.Error,
]);

export const CLIENT_MESSAGE_TYPES: ReadonlySet<number> = new Set([
  MessageType.Subscribe,
  MessageType.Unsubscribe,
]);
