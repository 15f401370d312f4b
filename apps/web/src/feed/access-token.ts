const STORAGE_KEY = 'ticker.token';

/**
 * The access token of a feed that requires one: from the page's link (`?token=…`, as the
 * `ticker-token` CLI prints it), then kept in the tab's session storage so reloads still work
 * once the address bar has been rewritten to the view's link, which never carries it.
 */
export function readAccessToken(
  search: string,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
): string | null {
  const fromLink = new URLSearchParams(search).get('token')?.trim();
  if (fromLink) {
    keepAccessToken(fromLink, storage);
    return fromLink;
  }
  return storage?.getItem(STORAGE_KEY) ?? null;
}

/** Keeps the tab's token (the link's, or a renewed one) for its next reload. */
export function keepAccessToken(token: string, storage: Pick<Storage, 'setItem'> | null): void {
  storage?.setItem(STORAGE_KEY, token);
}
