import type { ErrorCode } from '@ticker/protocol';

/**
 * Codes for failures the server did not report. They start at 100: docs/PROTOCOL.md keeps wire
 * error codes below 100 for this, so a code never means two things. (They used to be 1000+,
 * which read as WebSocket close codes; close codes live in `CloseCode` of `@ticker/protocol`.)
 * Append; never renumber.
 */
export const ClientErrorCode = {
  /** The connection dropped before the server replied; subscriptions resume on reconnect. */
  ConnectionLost: 100,
  /** `close()` was called, or the server closed with a do-not-reconnect code. */
  Closed: 101,
  /** The server sent a text frame (undecodable binary frames carry the decoder's ErrorCode). */
  UnexpectedFrame: 102,
  /**
   * The server predates views (its hello announces no `QuoteIntervalMs`), so it can serve only
   * the chart view: a quote-view subscription is refused with this.
   */
  ViewsUnsupported: 103,
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

const CLIENT_ERROR_CODES: ReadonlySet<number> = new Set(Object.values(ClientErrorCode));

/**
 * Whether `code` is one of the client's own (a lost connection, a closed client...) rather than
 * one the server or the protocol decoder reported.
 */
export function isClientErrorCode(code: number): code is ClientErrorCode {
  return CLIENT_ERROR_CODES.has(code);
}

/**
 * Either a protocol `ErrorCode` (below 100: the server's reply, a symbol refusal, or the decoder's
 * verdict on a server frame) or a `ClientErrorCode` (100 and up).
 */
export type FeedErrorCode = ErrorCode | ClientErrorCode;

/** An error reported by the server (`code` is a protocol `ErrorCode`) or by the client itself. */
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
