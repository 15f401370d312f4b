import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenRenewal, renewPathOf } from '../src/feed/token-renewal';

const ORIGIN = 'https://ticker.example';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A JWT-shaped token (the page reads claims, never verifies: the feed server does). */
function token(lifetimeMs: number, claims: Record<string, unknown> = { renew: '/auth/renew' }) {
  const payload = { exp: Math.floor((Date.now() + lifetimeMs) / 1000), ...claims };
  return `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(payload)).replace(/=+$/, '')}.sig`;
}

interface Call {
  readonly path: string;
  readonly authorization: string;
}

/** An auth service the test answers: each call gets the next answer (a status and body). */
function authService(answers: Array<() => { status: number; body: string }>) {
  const calls: Call[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ path, authorization: headers.get('authorization') ?? '' });
    const answer = answers.shift();
    if (!answer) return Promise.reject(new TypeError('network error'));
    const { status, body } = answer();
    return Promise.resolve(new Response(body, { status }));
  };
  return { calls, fetchImpl };
}

describe('renewPathOf', () => {
  it('takes only a path of the page’s own origin', () => {
    expect(renewPathOf(token(1_000), ORIGIN)).toBe('/auth/renew');
    expect(renewPathOf(token(1_000, { renew: '/auth?who=me' }), ORIGIN)).toBe('/auth?who=me');
    for (const renew of ['//evil.example/x', '/\\evil.example/x', 'https://evil.example/', 7]) {
      expect(renewPathOf(token(1_000, { renew }), ORIGIN)).toBeNull();
    }
    expect(renewPathOf(token(1_000, {}), ORIGIN)).toBeNull();
    expect(renewPathOf('not a token', ORIGIN)).toBeNull();
  });
});

describe('TokenRenewal', () => {
  it('asks for a fresh token at half of each one’s remaining life, for lifetime after lifetime', async () => {
    const first = token(60_000);
    const issued: string[] = [];
    const { calls, fetchImpl } = authService(
      Array.from({ length: 4 }, () => () => {
        issued.push(token(60_000));
        return { status: 200, body: `${issued.at(-1) ?? ''}\n` };
      }),
    );
    const kept: string[] = [];
    const renewal = new TokenRenewal({
      token: first,
      origin: ORIGIN,
      fetch: fetchImpl,
      keep: (t) => kept.push(t),
    });
    renewal.start();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([{ path: '/auth/renew', authorization: `Bearer ${first}` }]);
    expect(renewal.current()).toBe(issued[0]);
    for (let round = 1; round < 4; round++) await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(4);
    expect(calls[3]?.authorization).toBe(`Bearer ${issued[2] ?? ''}`);
    expect(kept).toEqual(issued);
    renewal.stop();
  });

  it('tries again after a refusal or a network error, while the token lasts, and keeps the current one', async () => {
    const first = token(60_000);
    const fresh = token(120_000);
    const { calls, fetchImpl } = authService([
      () => ({ status: 401, body: 'session ended' }),
      () => ({ status: 200, body: first }), // no fresher: not taken
      () => ({ status: 200, body: fresh }),
    ]);
    const renewal = new TokenRenewal({
      token: first,
      origin: ORIGIN,
      fetch: fetchImpl,
      keep: () => undefined,
    });
    renewal.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(renewal.current()).toBe(first);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(3);
    expect(renewal.current()).toBe(fresh);
    renewal.stop();

    // Nothing answers at all: tried every 5 s until the token has expired, then no more.
    const failing = authService([]);
    const lonely = new TokenRenewal({
      token: token(20_000),
      origin: ORIGIN,
      fetch: failing.fetchImpl,
      keep: () => undefined,
    });
    lonely.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(failing.calls.length).toBeGreaterThanOrEqual(2);
    expect(failing.calls.length).toBeLessThanOrEqual(3);
  });

  it('never asks for a token that names no renewal path of this origin', async () => {
    const { calls, fetchImpl } = authService([]);
    for (const claims of [{}, { renew: 'https://evil.example/renew' }]) {
      const renewal = new TokenRenewal({
        token: token(10_000, claims),
        origin: ORIGIN,
        fetch: fetchImpl,
        keep: () => undefined,
      });
      renewal.start();
      await vi.advanceTimersByTimeAsync(20_000);
      expect(calls).toEqual([]);
    }
    expect(calls).toEqual([]);
  });
});
