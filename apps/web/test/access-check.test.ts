import { describe, expect, it } from 'vitest';
import { checkFeedAccess, describeRefusal, explainRefusals } from '../src/feed/access-check';
import { createDashboardStore } from '../src/store/dashboard-store';
import { FakeFeed } from './fakes';

const location = { protocol: 'https:', host: 'ticker.example' };

function answering(status: number, body: string, seen: RequestInit[] = []): typeof fetch {
  return (_url, init) => {
    seen.push(init ?? {});
    return Promise.resolve(new Response(body, { status }));
  };
}

describe('checkFeedAccess', () => {
  it('returns the reason of a refusal, and sends the token as a bearer', async () => {
    const seen: RequestInit[] = [];
    const check = checkFeedAccess(location, () => 'abc', answering(401, 'token expired\n', seen));
    expect(await check()).toEqual({ status: 401, reason: 'token expired' });
    expect(seen[0]?.headers).toEqual({ authorization: 'Bearer abc' });
  });

  it('says nothing when it would be admitted, or the server cannot be reached', async () => {
    expect(await checkFeedAccess(location, () => null, answering(426, 'admitted'))()).toBeNull();
    expect(await checkFeedAccess(location, () => null, answering(502, 'bad gateway'))()).toBeNull();
    const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await checkFeedAccess(location, () => null, offline)()).toBeNull();
  });
});

describe('explainRefusals', () => {
  it('words each refusal for a visitor, keeping the server’s reason', () => {
    expect(
      describeRefusal({
        status: 403,
        reason: 'origin https://x.example is not allowed to connect',
      }),
    ).toBe(
      'The feed does not accept connections from this site. (The feed said: origin https://x.example is not allowed to connect.)',
    );
    expect(describeRefusal({ status: 429, reason: 'at most 64 connections per address' })).toMatch(
      /^Too many connections from your network; retrying\./,
    );
  });

  it('shows a refusal once, as the dashboard error, with a hint for tokens', async () => {
    const feed = new FakeFeed();
    const store = createDashboardStore();
    let checks = 0;
    explainRefusals(feed, store, () => {
      checks += 1;
      return Promise.resolve({ status: 401 as const, reason: 'token expired' });
    });
    feed.setState('reconnecting', 'closed by server');
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().error).toBe(
      'This dashboard needs a valid access link; ask for a new one. (The feed said: token expired.)',
    );
    store.getState().setError(null);
    feed.setState('reconnecting', 'closed by server');
    await Promise.resolve();
    await Promise.resolve();
    expect(checks).toBe(2);
    expect(store.getState().error).toBeNull(); // the same reason is not shown twice
  });
});
