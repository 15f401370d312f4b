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
  /**
   * The history API answered with an error status: a `HistoryError` with the HTTP `status`, the
   * server's one-line `reason` and, on 429 (or any answer with `Retry-After`), `retryAfterMs`.
   */
  HistoryRefused: 104,
  /** The history API answered 200 with something other than the contract: not JSON, wrong shape. */
  HistoryMalformed: 105,
  /** The history request got no answer at all (network, DNS, TLS, CORS): `cause` says why. */
  HistoryUnreachable: 106,
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
  // `string`, not the literal: a subclass (`HistoryError`) names itself.
  override readonly name: string = 'FeedError';
  readonly code: FeedErrorCode;
  /** The request it answers, or 0 when it answers none. */
  readonly requestId: number;

  constructor(code: FeedErrorCode, message: string, requestId = 0) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }
}

/** The codes a `HistoryError` carries. */
export type HistoryErrorCode =
  | typeof ClientErrorCode.HistoryRefused
  | typeof ClientErrorCode.HistoryMalformed
  | typeof ClientErrorCode.HistoryUnreachable;

export interface HistoryErrorDetails {
  readonly status?: number | null;
  readonly reason?: string;
  readonly retryAfterMs?: number | null;
  readonly cause?: unknown;
}

/**
 * A failed `history()` request (aborts reject with the signal's reason instead). `code` says
 * which way it failed: refused by the server (104), answered malformed (105), unreachable (106).
 */
export class HistoryError extends FeedError {
  override readonly name: string = 'HistoryError';
  declare readonly code: HistoryErrorCode;
  /** The HTTP status of the answer; null when none came (`HistoryUnreachable`). */
  readonly status: number | null;
  /**
   * `HistoryRefused`: the server's one-line reason (empty when its body was not `text/plain`).
   * `HistoryMalformed`: what was wrong with the answer. `HistoryUnreachable`: the fetch error.
   */
  readonly reason: string;
  /** How long the server asked to wait (`Retry-After`, sent with 429); null when it did not say. */
  readonly retryAfterMs: number | null;

  constructor(code: HistoryErrorCode, message: string, details: HistoryErrorDetails = {}) {
    super(code, message);
    this.status = details.status ?? null;
    this.reason = details.reason ?? '';
    this.retryAfterMs = details.retryAfterMs ?? null;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}
