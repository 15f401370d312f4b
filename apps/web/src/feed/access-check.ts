import type { DashboardStore } from '../store/dashboard-store';
import type { FeedSource } from './feed-bridge';

/** The server's answer when it would refuse this page's feed connection. */
export interface Refusal {
  readonly status: 401 | 403 | 429;
  readonly reason: string;
}

export type AccessCheck = () => Promise<Refusal | null>;

/**
 * A browser never learns why a WebSocket upgrade failed, so the server answers a plain GET of
 * /ws with the same checks: 401, 403 or 429 and the reason, or 426 when it would admit us.
 * Anything else (the server is down) says nothing: the connection banner covers that.
 */
export function checkFeedAccess(
  location: Pick<Location, 'protocol' | 'host'>,
  currentToken: () => string | null,
  fetchImpl: typeof fetch = fetch,
): AccessCheck {
  return async () => {
    const token = currentToken();
    try {
      const response = await fetchImpl(`${location.protocol}//${location.host}/ws`, {
        cache: 'no-store',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const { status } = response;
      if (status !== 401 && status !== 403 && status !== 429) return null;
      return { status, reason: (await response.text()).trim() };
    } catch {
      return null;
    }
  };
}

/** What a visitor can do about each refusal, with the server's own words for whoever helps them. */
export function describeRefusal({ status, reason }: Refusal): string {
  const advice =
    status === 401
      ? 'This dashboard needs a valid access link; ask for a new one.'
      : status === 403
        ? 'The feed does not accept connections from this site.'
        : 'Too many connections from your network; retrying.';
  return `${advice} (The feed said: ${reason.replace(/\.$/, '')}.)`;
}

/**
 * Each time the feed is retrying, asks why; a refusal (no or expired token, a foreign origin,
 * too many connections) is shown once as the dashboard's error, in words a visitor can act on.
 */
export function explainRefusals(client: FeedSource, store: DashboardStore, check: AccessCheck) {
  let shown: string | null = null;
  return client.on('state', (change) => {
    if (change.newState !== 'reconnecting') return;
    void check().then((refusal) => {
      if (refusal === null) return;
      const message = describeRefusal(refusal);
      if (message === shown) return;
      shown = message;
      store.getState().setError(message);
    });
  });
}
