import { TokenError, tokenOf, verifyToken } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import { AddressBuckets } from '../domain/address-buckets.js';
import { clip } from '../log-throttle.js';

/** Who may open a feed connection; see the README's "Access control". */
export interface AccessConfig {
  /** AUTH_SECRET as bytes: when set, every connection needs a token signed with it. */
  readonly secret: Uint8Array | null;
  /**
   * Origins browsers may connect from besides the server's own; `*` allows any. Clients that
   * send no Origin (not browsers) are not affected.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * The hosts (host[:port], lower case) this server is reached by (PUBLIC_HOSTS); empty or
   * absent: any. Pinned, a request naming another host is refused, and only these hosts count
   * as the server's own origin, so a page on a rebound DNS name cannot pass as one.
   */
  readonly publicHosts?: readonly string[];
}

export const OPEN_ACCESS: AccessConfig = { secret: null, allowedOrigins: [] };

/** Why a connection request was turned away; the label of `ticker_connections_refused_total`. */
export type RefusalReason =
  'per_ip_connections' | 'upgrade_rate' | 'host' | 'origin' | 'token_missing' | 'token_invalid';

export interface Refusal {
  readonly status:
    '401 Unauthorized' | '403 Forbidden' | '421 Misdirected Request' | '429 Too Many Requests';
  readonly reason: RefusalReason;
  /** The response body: what the client did wrong, never a secret. */
  readonly message: string;
}

export interface AdmissionLimits {
  readonly maxConnectionsPerIp: number;
  readonly maxUpgradesPerSecond: number;
}

/** What a request to open a connection carries, read before the upgrade. */
export interface ConnectionRequest {
  readonly ip: string;
  readonly origin: string;
  readonly host: string;
  readonly query: string;
  readonly protocols: string;
}

/**
 * The checks a connection passes before it is upgraded, cheapest first: the address's open
 * connections and upgrade rate, the browser's origin, then the token. A refused request gets an
 * HTTP status and a one-line reason, and no socket.
 */
export class Admission {
  private readonly upgrades: AddressBuckets;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly access: AccessConfig,
    now: number,
  ) {
    // A burst of the connection cap plus a second's worth: a whole office reconnecting after a
    // restart gets straight back in; a script opening sockets in a loop does not.
    const { maxConnectionsPerIp, maxUpgradesPerSecond } = limits;
    this.upgrades = new AddressBuckets(
      maxUpgradesPerSecond,
      maxConnectionsPerIp + maxUpgradesPerSecond,
      now,
    );
  }

  get requiresToken(): boolean {
    return this.access.secret !== null;
  }

  /** The synchronous checks; null when the request may go on to the token check. */
  check(request: ConnectionRequest, openFromIp: number, now: number): Refusal | null {
    if (openFromIp >= this.limits.maxConnectionsPerIp) {
      return tooMany(
        'per_ip_connections',
        `at most ${this.limits.maxConnectionsPerIp} connections per address`,
      );
    }
    if (!this.upgrades.take(request.ip, now)) {
      return tooMany(
        'upgrade_rate',
        `at most ${this.limits.maxUpgradesPerSecond} new connections per second per address`,
      );
    }
    if (!this.servesHost(request.host)) return misdirected(request.host);
    if (!this.originAllowed(request.origin, request.host)) {
      return {
        status: '403 Forbidden',
        reason: 'origin',
        message: `origin ${clip(request.origin)} is not allowed to connect`,
      };
    }
    return null;
  }

  /** The token's grant, or the refusal; everything is granted when no secret is configured. */
  async authorize(request: ConnectionRequest, now: number): Promise<Grant | Refusal> {
    const { secret } = this.access;
    if (secret === null) return OPEN_GRANT;
    const token = tokenOf(request.query, request.protocols);
    if (token === null) {
      return {
        status: '401 Unauthorized',
        reason: 'token_missing',
        message: 'an access token is required: pass ?token=… or the subprotocol ticker.token.…',
      };
    }
    try {
      return await verifyToken(token, secret, now);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      return { status: '401 Unauthorized', reason: 'token_invalid', message: error.message };
    }
  }

  /** Whether requests naming `host` (their Host header) are served: any, unless pinned. */
  servesHost(host: string): boolean {
    const hosts = this.access.publicHosts ?? [];
    return hosts.length === 0 || hosts.includes(host.toLowerCase());
  }

  /**
   * Browsers always send Origin on a WebSocket request, so a page elsewhere cannot borrow a
   * visitor's connection: only the server's own origin and the configured ones pass.
   */
  originAllowed(origin: string, host: string): boolean {
    if (origin === '') return true;
    const { allowedOrigins } = this.access;
    if (allowedOrigins.includes('*')) return true;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    const hosts = this.access.publicHosts ?? [];
    const own =
      hosts.length === 0 ? parsed.host === host.toLowerCase() : hosts.includes(parsed.host);
    return own || allowedOrigins.includes(parsed.origin);
  }
}

/** The grant of a server without access control: every symbol, no expiry. */
export const OPEN_GRANT: Grant = {
  symbols: null,
  assetClasses: null,
  expiresAt: Infinity,
  subject: '',
};

/** The answer to a request naming a host the server does not serve (PUBLIC_HOSTS). */
export function misdirected(host: string): Refusal {
  return {
    status: '421 Misdirected Request',
    reason: 'host',
    message: `host ${clip(host)} is not served here`,
  };
}

function tooMany(reason: RefusalReason, message: string): Refusal {
  return { status: '429 Too Many Requests', reason, message };
}

export function isRefusal(verdict: Grant | Refusal): verdict is Refusal {
  return 'status' in verdict;
}
