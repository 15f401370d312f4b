/** An error reported by the server (`code` is a protocol `ErrorCode`) or by the connection. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  readonly code: number;
  readonly requestId: number;

  constructor(code: number, message: string, requestId = 0) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }
}

/** Codes the client uses for failures that never reached the server (outside ErrorCode's range). */
export const ClientErrorCode = {
  ConnectionLost: 1000,
  UnknownTicker: 1001,
  Closed: 1002,
  UnexpectedFrame: 1003,
} as const;
