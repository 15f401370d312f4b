import type { DashboardStore } from '../store/dashboard-store';
import type { FeedSource } from './feed-bridge';

/** Answers with the server's reason when it would refuse this page's feed connection. */
export type AccessCheck = () => Promise<string | null>;

/**
 * A browser never learns why a WebSocket upgrade failed, so the server answers a plain GET of
 * /ws with the same checks: 401, 403 or 429 and the reason, or 426 when it would admit us.
 * Anything else (the server is down) says nothing: the connection banner covers that.
 */
export function checkFeedAccess(
  location: Pick<Location, 'protocol' | 'host'>,
  token: string | null,
  fetchImpl: typeof fetch = fetch,
): AccessCheck {
  return async () => {
    try {
      const response = await fetchImpl(`${location.protocol}//${location.host}/ws`, {
        cache: 'no-store',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (![401, 403, 429].includes(response.status)) return null;
      return (await response.text()).trim();
    } catch {
      return null;
    }
  };
}

/**
 * Each time the feed is retrying, asks why; a refusal (no or expired token, a foreign origin)
 * is shown once as the dashboard's error, in words a visitor can act on.
 */
export function explainRefusals(client: FeedSource, store: DashboardStore, check: AccessCheck) {
  let shown: string | null = null;
  return client.on('state', (change) => {
    if (change.newState !== 'reconnecting') return;
    void check().then((reason) => {
      if (reason === null || reason === shown) return;
      shown = reason;
      const hint = /token/.test(reason) ? ' Ask for a new access link to open the dashboard.' : '';
      store.getState().setError(`The feed refused this page: ${reason}.${hint}`);
    });
  });
}
