/**
 * Numeric codes carried by error replies and symbol refusals. Stable across versions: append,
 * never renumber. The meaning of each is documented in docs/PROTOCOL.md "Error codes". Wire codes
 * stay below 100; client libraries number their own local failures from 100 up.
 */
export const ErrorCode = {
  /** The frame could not be decoded (truncated, overlong, bad field). */
  MalformedFrame: 1,
  /** The frame's version byte is newer than the server speaks. */
  UnsupportedVersion: 2,
  /** The frame's type byte is not a client message type. */
  UnknownMessageType: 3,
  /** A requested symbol id is not in the directory. */
  UnknownSymbol: 4,
  /** A request exceeded a documented limit. */
  LimitExceeded: 5,
  /** A text frame arrived; the protocol is binary. */
  TextFrameNotSupported: 6,
  /** The server cannot serve this request now (paused, or the symbol is being restored); a snapshot follows. */
  Unavailable: 7,
  /** The connection's access token does not cover this symbol. */
  Forbidden: 8,
  /** A resync named a symbol the connection does not hold. */
  NotSubscribed: 9,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The only error a decoder throws. `offset` is the byte position where decoding gave up, so a
 * bad frame can be diagnosed from a hex dump; `code` maps it to the wire error code to reply with.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly offset: number;
  readonly code: ErrorCode;

  constructor(message: string, offset: number, code: ErrorCode = ErrorCode.MalformedFrame) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
    this.code = code;
  }
}
