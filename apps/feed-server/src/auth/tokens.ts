import { SignJWT, errors, jwtVerify } from 'jose';
import { FEED_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '@ticker/protocol';

/**
 * Access tokens: HS256 JWTs signed with AUTH_SECRET, for this service only (`aud`), always
 * expiring (`exp`), optionally naming the tickers they may subscribe to (`symbols`).
 */
export const TOKEN_AUDIENCE = 'ticker-feed';

/** Shorter secrets make HS256 guessable; RFC 7518 asks for a key as long as the hash. */
export const MIN_SECRET_BYTES = 32;

/** What a valid token lets its holder do. */
export interface Grant {
  /** Tickers it may subscribe to; null for all. */
  readonly symbols: ReadonlySet<string> | null;
  /** Epoch ms at which the connection must end. */
  readonly expiresAt: number;
  /** Who it was issued to (`sub`), for logs; may be empty. */
  readonly subject: string;
}

/**
 * The longest token the server takes. uWebSockets.js 20.30 drops, unanswered, a request head
 * over ~4 KiB that arrives in more than one TCP segment (on any real network, from ~1.4 KB), so
 * a token has to leave room in 4 KiB for the rest of an upgrade request: the CLI refuses to
 * mint a longer one, and the server refuses one it can still read.
 */
export const MAX_TOKEN_BYTES = 2_048;

/** A token that does not grant access, with a reason that is safe to show its holder. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export interface TokenOptions {
  readonly ttlSeconds: number;
  readonly symbols?: readonly string[] | undefined;
  readonly subject?: string | undefined;
  /** Epoch ms the token is issued at; defaults to now. */
  readonly now?: number;
}

export function signToken(key: Uint8Array, options: TokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const jwt = new SignJWT(options.symbols ? { symbols: [...options.symbols] } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds);
  if (options.subject) jwt.setSubject(options.subject);
  return jwt.sign(key);
}

/** The grant of a valid token; throws TokenError naming what is wrong with any other. */
export async function verifyToken(token: string, key: Uint8Array, now: number): Promise<Grant> {
  if (token.length > MAX_TOKEN_BYTES) {
    throw new TokenError(`token too long: ${token.length} bytes, at most ${MAX_TOKEN_BYTES}`);
  }
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['exp'],
      currentDate: new Date(now),
    }));
  } catch (error) {
    throw new TokenError(describe(error));
  }
  const { symbols } = payload;
  if (
    symbols !== undefined &&
    !(Array.isArray(symbols) && symbols.every((s): s is string => typeof s === 'string'))
  ) {
    throw new TokenError('token claim "symbols" must be a list of tickers');
  }
  return {
    symbols: symbols === undefined ? null : new Set(symbols),
    expiresAt: (payload.exp as number) * 1000,
    subject: payload.sub ?? '',
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token ${error.message}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token must be signed with HS256';
  return 'token malformed';
}

/**
 * The token a connection request carries: the `token` query parameter, or a subprotocol
 * `ticker.token.<jwt>` (what a browser can send without putting the token in the URL).
 */
export function tokenOf(query: string, protocols: string): string | null {
  for (const offered of protocols.split(',')) {
    const protocol = offered.trim();
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
      return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    }
  }
  return new URLSearchParams(query).get('token');
}

/**
 * The subprotocol to answer with: `ticker` when offered (a client offering a token must also
 * offer it, since browsers fail a handshake whose answer names none they offered), else none.
 * The token itself is never echoed back.
 */
export function selectedProtocol(protocols: string): string {
  return protocols.split(',').some((p) => p.trim() === FEED_SUBPROTOCOL) ? FEED_SUBPROTOCOL : '';
}
