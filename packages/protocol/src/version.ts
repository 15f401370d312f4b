/**
 * Protocol version spoken by this package. Every frame starts with it (docs/PROTOCOL.md).
 *
 * Changelog:
 * - 1: hello, symbol directory, tick batch, snapshot, ack, error, pong, heartbeat, going-away;
 *   subscribe, unsubscribe, resync, ping.
 * - 1, additions of 2026-11-30: error 8 (Forbidden), close 4002, the token subprotocols.
 * - 1, additions of 2026-12-01 (nothing existing changed): views; view subscribe, symbol
 *   refusals, quote snapshot and quote; error 9 (NotSubscribed); hello limits 6-9; close 4000
 *   named.
 * - 1, additions of 2026-12-01 (nothing existing changed): refresh token (0x86), market status
 *   (0x0d).
 *
 * Evolving it: a new message type or a new hello limit id needs no version bump (receivers reject
 * unknown types and skip unknown limits); appending fields to an existing message does, and the
 * decoder then reads the new fields only when the frame's version is at least the new one.
 */
export const PROTOCOL_VERSION = 1;

/** Bytes before every message body: `[version: u8][type: u8]`. */
export const HEADER_BYTES = 2;

/**
 * Every message type, in one place. Server -> client types live below 0x80, client -> server
 * types at or above it, so a misdirected frame is rejected by its type alone.
 */
export const MessageType = {
  Hello: 0x01,
  SymbolDirectory: 0x02,
  TickBatch: 0x03,
  Snapshot: 0x04,
  Ack: 0x05,
  Error: 0x06,
  Pong: 0x07,
  Heartbeat: 0x08,
  GoingAway: 0x09,
  SymbolRefusals: 0x0a,
  QuoteSnapshot: 0x0b,
  Quote: 0x0c,
  MarketStatus: 0x0d,
  Subscribe: 0x81,
  Unsubscribe: 0x82,
  Resync: 0x83,
  Ping: 0x84,
  ViewSubscribe: 0x85,
  RefreshToken: 0x86,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export type ServerMessageType =
  | typeof MessageType.Hello
  | typeof MessageType.SymbolDirectory
  | typeof MessageType.TickBatch
  | typeof MessageType.Snapshot
  | typeof MessageType.Ack
  | typeof MessageType.Error
  | typeof MessageType.Pong
  | typeof MessageType.Heartbeat
  | typeof MessageType.GoingAway
  | typeof MessageType.SymbolRefusals
  | typeof MessageType.QuoteSnapshot
  | typeof MessageType.Quote
  | typeof MessageType.MarketStatus;

export type ClientMessageType =
  | typeof MessageType.Subscribe
  | typeof MessageType.Unsubscribe
  | typeof MessageType.Resync
  | typeof MessageType.Ping
  | typeof MessageType.ViewSubscribe
  | typeof MessageType.RefreshToken;

/** Client messages whose first field is a request id, answered exactly once. */
export const REQUEST_MESSAGE_TYPES: ReadonlySet<number> = new Set([
  MessageType.Subscribe,
  MessageType.Unsubscribe,
  MessageType.Resync,
  MessageType.ViewSubscribe,
  MessageType.RefreshToken,
]);

export const SERVER_MESSAGE_TYPES: ReadonlySet<number> = new Set(
  Object.values(MessageType).filter((type) => type < 0x80),
);

export const CLIENT_MESSAGE_TYPES: ReadonlySet<number> = new Set(
  Object.values(MessageType).filter((type) => type >= 0x80),
);
