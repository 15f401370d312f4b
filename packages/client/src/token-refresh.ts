import { encodeRefreshToken } from '@ticker/protocol';
import type { ByteWriter } from '@ticker/protocol';

/** Share of a token's remaining lifetime after which a fresh one is presented. */
const REFRESH_AT_SHARE = 0.75;

/** A JWT's expiry (`exp`) in epoch ms, read without verifying it (the server does); or null. */
export function expiryOf(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const { exp } = JSON.parse(json) as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export interface TokenRefreshOptions {
  /** Hands out the token to present (the client's `token` function). */
  readonly issue: () => string | null;
  /** Sends a refresh on the current connection. */
  readonly send: (frame: Uint8Array) => void;
  readonly nextRequestId: () => number;
  readonly writer: ByteWriter;
}

/**
 * Keeps a connection past its token's expiry (docs/PROTOCOL.md "Refresh token"): once three
 * quarters of the current token's remaining lifetime has passed, the client asks `issue` for a
 * fresh token and presents it; acked, the fresh token is the current one and the next refresh is
 * scheduled from it. Refused, nothing more is tried on this connection: the server closes it at
 * the old expiry (4002), and the reconnect asks `issue` again.
 */
export class TokenRefresh {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The refresh awaiting its answer: its request id and token. */
  private pending: { requestId: number; token: string } | null = null;

  constructor(private readonly options: TokenRefreshOptions) {}

  /** A connection opened with `token`: schedules its refresh. */
  start(token: string | null): void {
    this.stop();
    const expiresAt = token === null ? null : expiryOf(token);
    if (expiresAt === null) return;
    const delay = Math.max(0, (expiresAt - Date.now()) * REFRESH_AT_SHARE);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.present();
    }, delay);
  }

  /** The connection is gone: nothing more is sent for it. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  /** An ack arrived; says whether it answered the refresh (and schedules the next one). */
  acked(requestId: number): boolean {
    if (this.pending?.requestId !== requestId) return false;
    const { token } = this.pending;
    this.pending = null;
    this.start(token);
    return true;
  }

  /** An error arrived; says whether it answered the refresh (the caller reports it). */
  refused(requestId: number): boolean {
    if (this.pending?.requestId !== requestId) return false;
    this.pending = null;
    return true;
  }

  private present(): void {
    const token = this.options.issue();
    if (token === null) return;
    const requestId = this.options.nextRequestId();
    this.pending = { requestId, token };
    this.options.send(encodeRefreshToken({ requestId, token }, this.options.writer));
  }
}
