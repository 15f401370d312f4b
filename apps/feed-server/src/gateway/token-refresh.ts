import { ErrorCode } from '@ticker/protocol';
import type { RefreshTokenRequest } from '@ticker/protocol';
import { TokenError, grantCovers, verifyToken } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import type { TopicRegistry } from '../domain/topic-registry.js';
import type { Replies } from './replies.js';
import type { Session } from './session.js';

/** Tickers named in a refusal at most. */
const LISTED_TICKERS = 8;

export interface TokenRefreshOptions {
  /** AUTH_SECRET; null when the server has no access control. */
  readonly secret: Uint8Array | null;
  readonly registry: TopicRegistry;
  readonly replies: Replies;
  /** Milliseconds: the wall clock, for the token's expiry. */
  readonly clock: () => number;
}

/**
 * A connection presenting a fresh token before its own expires (docs/PROTOCOL.md "Refresh
 * token"): verified like the token of an upgrade; accepted, it replaces the connection's grant
 * and so its expiry, with nothing resent; refused (invalid, or no longer covering a symbol the
 * connection holds), it changes nothing and the old expiry still applies.
 */
export class TokenRefresh {
  constructor(private readonly options: TokenRefreshOptions) {}

  refresh(session: Session, request: RefreshTokenRequest): void {
    const { secret, replies, clock } = this.options;
    const peer = session.peer;
    if (peer === null) return;
    if (secret === null) {
      replies.ack(peer, request.requestId); // nothing expires
      return;
    }
    void verifyToken(request.token, secret, clock()).then(
      (grant) => {
        this.apply(session, request.requestId, grant);
      },
      (error: unknown) => {
        if (!(error instanceof TokenError)) throw error;
        this.refuse(session, request.requestId, error.message);
      },
    );
  }

  private apply(session: Session, requestId: number, grant: Grant): void {
    const { registry } = this.options;
    const lost = [...session.holdings.keys()]
      .map((index) => registry.symbolAt(index))
      .filter((symbol) => !grantCovers(grant, symbol))
      .map((symbol) => symbol.ticker);
    if (lost.length > 0) {
      const listed = lost.slice(0, LISTED_TICKERS).join(', ');
      const more = lost.length > LISTED_TICKERS ? ', …' : '';
      this.refuse(session, requestId, `the new token does not cover: ${listed}${more}`);
      return;
    }
    const peer = session.peer;
    if (peer === null) return; // closed while the token was checked
    session.grant = grant;
    peer.cork(() => {
      this.options.replies.ack(peer, requestId);
    });
  }

  private refuse(session: Session, requestId: number, reason: string): void {
    const peer = session.peer;
    if (peer === null) return;
    peer.cork(() => {
      this.options.replies.refuse(peer, 'token_refresh', requestId, ErrorCode.Forbidden, reason);
    });
  }
}
