/**
 * The feed lives on the same origin as the page (`/ws`), both behind the production server and
 * behind Vite's dev proxy, so the URL is derived from the page's own location.
 */
export function feedUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
