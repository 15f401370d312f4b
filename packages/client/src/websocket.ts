/**
 * The part of the WHATWG WebSocket that the client uses, so browsers' WebSocket and Node's `ws`
 * both fit without adapters.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** `protocols` is empty unless the client has an access token to offer. */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export const WS_OPEN = 1;
