/**
 * Every WebSocket close code of the protocol (docs/PROTOCOL.md "Close codes"), whichever side
 * closes: the server's verdicts, and the one a client uses when it gives up on a silent server.
 * Both sides read them from here.
 */
export const CloseCode = {
  /** The server is shutting down; a going-away notice came first. */
  GoingAway: 1001,
  /** The client kept sending past the control-message rate limit. */
  PolicyViolation: 1008,
  /** The client sent a frame over `MaxClientFrameBytes`. */
  MessageTooBig: 1009,
  /**
   * Never sent: what a client's WebSocket reports when the connection ended without a close
   * frame (refused, dropped, or the server not there yet; "Close codes", the row "(none)").
   */
  AbnormalClosure: 1006,
  /** Sent by a client: no frame arrived within twice the hello's heartbeat interval. */
  ServerSilent: 4000,
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
