import { encodeRefreshToken } from '@ticker/protocol';
import type { ByteWriter } from '@ticker/protocol';

/** Share of a token's remaining lifetime after which a fresh one is presented. */
const REFRESH_AT_SHARE = 0.75;
/**
 * When `issue` has nothing fresher than the current token yet (its source is late), it is asked
 * again after a quarter of what is left, but never sooner than this: asking at once would spin.
 */
const ASK_AGAIN_MIN_MS = 1_000;

/**
 * A JWT's claims, read without verifying them (the server does): for scheduling, never for
 * trust. Null when it is not a JWT with a JSON object for a payload.
 */
export function tokenClaims(token: string): Readonly<Record<string, unknown>> | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A JWT's expiry (`exp`) in epoch ms, read without verifying it; or null. */
export function expiryOf(token: string): number | null {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
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
 * fresh token and presents it (one expiring no later than the current is not presented: `issue`
 * is asked again later, while there is time); acked, the fresh token is the current one and the next refresh is
 * scheduled from it. Refused, nothing more is tried on this connection: the server closes it at
 * the old expiry (4002), and the reconnect asks `issue` again.
 */
export class TokenRefresh {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Expiry (epoch ms) of the token the connection holds now. */
  private expiresAt: number | null = null;
  /** The refresh awaiting its answer: its request id and token. */
  private pending: { requestId: number; token: string } | null = null;

  constructor(private readonly options: TokenRefreshOptions) {}

  /** A connection opened with `token`: schedules its refresh. */
  start(token: string | null): void {
    this.stop();
    this.expiresAt = token === null ? null : expiryOf(token);
    if (this.expiresAt === null) return;
    this.presentIn((this.expiresAt - Date.now()) * REFRESH_AT_SHARE);
  }

  /** The connection is gone: nothing more is sent for it. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.expiresAt = null;
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

  private presentIn(delayMs: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.present();
      },
      Math.max(0, delayMs),
    );
  }

  /** Presents what `issue` hands out if it lasts longer than the current token; else asks later. */
  private present(): void {
    const token = this.options.issue();
    const current = this.expiresAt ?? 0;
    if (token === null || (expiryOf(token) ?? 0) <= current) {
      const left = current - Date.now();
      if (left > 2 * ASK_AGAIN_MIN_MS) this.presentIn(Math.max(ASK_AGAIN_MIN_MS, left / 4));
      return;
    }
    const requestId = this.options.nextRequestId();
    this.pending = { requestId, token };
    this.options.send(encodeRefreshToken({ requestId, token }, this.options.writer));
  }
}
