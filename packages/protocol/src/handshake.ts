/**
 * The WebSocket handshake (docs/PROTOCOL.md "Connecting"). A server with access control needs a
 * token; browsers cannot set headers on a WebSocket, so the client offers it as a subprotocol
 * next to `ticker`, which the server selects (the token is never echoed back).
 */
export const FEED_SUBPROTOCOL = 'ticker';
export const TOKEN_SUBPROTOCOL_PREFIX = 'ticker.token.';

/** The subprotocols a client offers: none without a token. */
export function subprotocolsFor(token: string | null): string[] {
  return token ? [FEED_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token] : [];
}
