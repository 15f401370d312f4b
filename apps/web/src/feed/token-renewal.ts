import { expiryOf, tokenClaims } from '@ticker/client';

/**
 * A fresh token is asked for at half of the current one's remaining life: the client presents
 * it to the feed at three quarters (packages/client, "token refresh"), so it is there by then.
 */
const RENEW_AT_SHARE = 0.5;
/** After a failed renewal, it is tried again this much later, while the token lasts. */
const RETRY_MS = 5_000;

export interface TokenRenewalOptions {
  /** The token of the page's link. */
  readonly token: string;
  /** The page's origin: a token may only name a renewal path on it. */
  readonly origin: string;
  readonly fetch?: typeof fetch;
  /** Keeps the freshest token for a reload of the tab (session storage). */
  readonly keep: (token: string) => void;
}

/**
 * Keeps the dashboard's access token fresh, so that a dashboard left open outlives any number of
 * token lifetimes without a reconnect. A token minted with `ticker-token --renew-path /PATH`
 * names (claim `renew`) a path of the dashboard's origin, served by the operator's auth service:
 * before the token expires it is POSTed there (as a bearer token, with the page's cookies), and
 * the answer, a fresher token, becomes the current one. A token without the claim is never
 * renewed: the feed closes the connection when it expires, as it always has.
 */
export class TokenRenewal {
  private token: string;
  private readonly path: string | null;
  private readonly fetchImpl: typeof fetch;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: TokenRenewalOptions) {
    this.token = options.token;
    this.path = renewPathOf(options.token, options.origin);
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The freshest token: what the feed client presents (its `token` option). */
  readonly current = (): string => this.token;

  start(): void {
    if (this.timer === null) this.scheduleFrom(RENEW_AT_SHARE);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Renews after `share` of the current token's remaining life (never when it names no path). */
  private scheduleFrom(share: number, atLeastMs = 0): void {
    const expiresAt = expiryOf(this.token);
    if (this.path === null || expiresAt === null) return;
    const left = expiresAt - Date.now();
    if (left <= atLeastMs) return; // expired meanwhile: the feed will say so
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.renew(this.path as string);
      },
      Math.max(atLeastMs, left * share),
    );
  }

  private async renew(path: string): Promise<void> {
    const fresh = await this.ask(path);
    if (fresh !== null && (expiryOf(fresh) ?? 0) > (expiryOf(this.token) ?? 0)) {
      this.token = fresh;
      this.options.keep(fresh);
      this.scheduleFrom(RENEW_AT_SHARE);
      return;
    }
    this.scheduleFrom(0, RETRY_MS);
  }

  /** The auth service's fresh token, or null when it has none for us (or cannot be reached). */
  private async ask(path: string): Promise<string | null> {
    try {
      const response = await this.fetchImpl(path, {
        method: 'POST',
        cache: 'no-store',
        credentials: 'same-origin',
        headers: { authorization: `Bearer ${this.token}` },
      });
      if (!response.ok) return null;
      const text = (await response.text()).trim();
      return text === '' ? null : text;
    } catch {
      return null;
    }
  }
}

/**
 * The renewal path a token names, if it is one of `origin`'s: the claim is read unverified, so
 * it must never send the token anywhere else.
 */
export function renewPathOf(token: string, origin: string): string | null {
  const renew = tokenClaims(token)?.renew;
  if (typeof renew !== 'string' || !renew.startsWith('/')) return null;
  try {
    const url = new URL(renew, origin);
    return url.origin === origin ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}
