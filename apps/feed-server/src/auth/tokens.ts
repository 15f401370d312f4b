import { SignJWT, errors, jwtVerify } from 'jose';
import { AssetClass, FEED_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '@ticker/protocol';
import type { SymbolInfo } from '@ticker/protocol';

/**
 * Access tokens: HS256 JWTs signed with AUTH_SECRET, for this service only (`aud`), always
 * expiring (`exp`), optionally naming what they may subscribe to: tickers (`symbols`) and whole
 * asset classes (`classes`), so that a grant of hundreds of symbols still fits in a request head.
 */
export const TOKEN_AUDIENCE = 'ticker-feed';

/** Shorter secrets make HS256 guessable; RFC 7518 asks for a key as long as the hash. */
export const MIN_SECRET_BYTES = 32;

/** Asset classes by the names tokens and the token CLI give them. */
export const ASSET_CLASS_NAMES: ReadonlyMap<string, AssetClass> = new Map([
  ['stock', AssetClass.Stock],
  ['crypto', AssetClass.Crypto],
]);

/** What a valid token lets its holder do. */
export interface Grant {
  /** Tickers it may subscribe to, besides its asset classes; null (with no classes) for all. */
  readonly symbols: ReadonlySet<string> | null;
  /** Asset classes every symbol of which it may subscribe to; null for none named. */
  readonly assetClasses: ReadonlySet<AssetClass> | null;
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

/** Whether a grant lets its holder subscribe to `symbol`. */
export function grantCovers(grant: Grant, symbol: Pick<SymbolInfo, 'ticker' | 'assetClass'>) {
  const { symbols, assetClasses } = grant;
  if (symbols === null && assetClasses === null) return true;
  return symbols?.has(symbol.ticker) === true || assetClasses?.has(symbol.assetClass) === true;
}

export interface TokenOptions {
  readonly ttlSeconds: number;
  readonly symbols?: readonly string[] | undefined;
  /** Names from ASSET_CLASS_NAMES. */
  readonly assetClasses?: readonly string[] | undefined;
  /**
   * Where the dashboard gets a fresh token before this one expires (claim `renew`, a path on the
   * dashboard's own origin); the feed server does not read it.
   */
  readonly renewPath?: string | undefined;
  readonly subject?: string | undefined;
  /** Epoch ms the token is issued at; defaults to now. */
  readonly now?: number;
}

export function signToken(key: Uint8Array, options: TokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: { symbols?: string[]; classes?: string[]; renew?: string } = {};
  if (options.symbols) claims.symbols = [...options.symbols];
  if (options.assetClasses) claims.classes = [...options.assetClasses];
  if (options.renewPath) claims.renew = options.renewPath;
  const jwt = new SignJWT(claims)
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
  const { symbols, classes } = payload;
  if (symbols !== undefined && !isListOfStrings(symbols)) {
    throw new TokenError('token claim "symbols" must be a list of tickers');
  }
  return {
    symbols: symbols === undefined ? null : new Set(symbols),
    assetClasses: classes === undefined ? null : assetClassesOf(classes),
    expiresAt: (payload.exp as number) * 1000,
    subject: payload.sub ?? '',
  };
}

function isListOfStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The asset classes a `classes` claim names; throws TokenError for anything else. */
function assetClassesOf(claim: unknown): Set<AssetClass> {
  const invalid = () =>
    new TokenError(
      `token claim "classes" must be a list of asset classes (${[...ASSET_CLASS_NAMES.keys()].join(', ')})`,
    );
  if (!isListOfStrings(claim)) throw invalid();
  const classes = new Set<AssetClass>();
  for (const name of claim) {
    const assetClass = ASSET_CLASS_NAMES.get(name);
    if (assetClass === undefined) throw invalid();
    classes.add(assetClass);
  }
  return classes;
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
