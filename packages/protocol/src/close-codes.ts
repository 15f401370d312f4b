/**
 * WebSocket close codes the server uses (docs/PROTOCOL.md "Close codes"). Both sides read them
 * from here: the server to close, the client to decide whether reconnecting can help.
 */
export const CloseCode = {
  /** The server is shutting down; a going-away notice came first. */
  GoingAway: 1001,
  /** The client kept sending past the control-message rate limit. */
  PolicyViolation: 1008,
  /** The client sent a frame over `MaxClientFrameBytes`. */
  MessageTooBig: 1009,
  /** The client stayed paused as a slow consumer too long. */
  SlowConsumer: 4001,
  /** The access token the connection was opened with expired: reconnect with a fresh one. */
  TokenExpired: 4002,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Whether a client closed with `code` should stay closed. Policy and size violations mean the
 * client itself misbehaves, so reconnecting would only repeat them; 4500–4999 is reserved for
 * further such verdicts. Everything else (shutdown, slow consumer, a dropped link) is worth a
 * retry with backoff.
 */
export function isTerminalCloseCode(code: number): boolean {
  return (
    code === CloseCode.PolicyViolation ||
    code === CloseCode.MessageTooBig ||
    (code >= 4500 && code <= 4999)
  );
}
