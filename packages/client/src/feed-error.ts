import type { ErrorCode } from '@ticker/protocol';

/** Codes for failures the server did not report (outside the protocol's ErrorCode range). */
export const ClientErrorCode = {
  /** The connection dropped before the server replied; subscriptions resume on reconnect. */
  ConnectionLost: 1000,
  /** `close()` was called, or the server closed with a do-not-reconnect code. */
  Closed: 1002,
  /** The server sent a text frame (undecodable binary frames carry the decoder's ErrorCode). */
  UnexpectedFrame: 1003,
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Either the server's protocol `ErrorCode` (1–8) or a `ClientErrorCode` (1000+). */
export type FeedErrorCode = ErrorCode | ClientErrorCode;

/** An error reported by the server (`code` is a protocol `ErrorCode`) or by the connection. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  readonly code: FeedErrorCode;
  /** The request it answers, or 0 when it answers none. */
  readonly requestId: number;

  constructor(code: FeedErrorCode, message: string, requestId = 0) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }
}
