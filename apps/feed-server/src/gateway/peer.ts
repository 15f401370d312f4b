/**
 * What the gateway needs of one client's socket. uWebSockets.js's `WebSocket` has exactly these
 * methods, so the transport hands its sockets over as they are; tests can pass a fake. A peer
 * must not be used after its connection closed.
 */
export interface Peer {
  /** Queues a binary message; returns uWS's 0 (backpressure), 1 (sent) or 2 (dropped). */
  send(message: Uint8Array, isBinary: true): number;
  subscribe(topic: string): boolean;
  unsubscribe(topic: string): boolean;
  /** Bytes queued for the client that the kernel has not taken yet. */
  getBufferedAmount(): number;
  /** Runs `callback` with writes batched into as few syscalls as possible. */
  cork(callback: () => void): unknown;
  /** Sends a close frame (queued behind what the client has not read) and closes. */
  end(code: number, reason: string): void;
  /** Drops the connection at once, freeing what is queued for it; no close frame. */
  close(): void;
}

/** What the gateway needs of the server's pub/sub: uWS's `TemplatedApp` has both. */
export interface Publisher {
  /** Sends `message` natively to every subscriber of `topic`. */
  publish(topic: string, message: Uint8Array, isBinary: true, compress: false): boolean;
  numSubscribers(topic: string): number;
}
