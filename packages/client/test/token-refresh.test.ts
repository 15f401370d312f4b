import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  MessageType,
  decodeRefreshToken,
  encodeAck,
  encodeErrorReply,
} from '@ticker/protocol';
import { FeedClient } from '../src/index.js';
import type { FeedError, StateChange } from '../src/index.js';
import { expiryOf, tokenClaims } from '../src/token-refresh.js';
import { FakeSocket } from './fake-socket.js';

/** Timers and both clocks are fake: three token lifetimes pass in no time. */
beforeEach(() => {
  FakeSocket.created.length = 0;
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
  // On a whole second: a token's `exp` is in whole seconds, so a clock started mid-second would
  // shorten the first lifetime by up to a second and move every refresh the tests count on.
  vi.setSystemTime(Date.UTC(2026, 11, 1, 12, 0, 0));
});
afterEach(() => {
  vi.useRealTimers();
});

const LIFETIME_MS = 60_000;

/** A JWT-shaped token expiring `LIFETIME_MS` from now (the client reads `exp`, never verifies). */
function tokenFromNow(n: number): string {
  const payload = { exp: Math.floor((Date.now() + LIFETIME_MS) / 1000), n };
  return `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(payload)).replace(/=+$/, '')}.sig`;
}

function startClient() {
  let issued = 0;
  const client = new FeedClient({
    url: 'ws://a/ws',
    WebSocket: FakeSocket,
    pingIntervalMs: 0,
    silenceTimeoutMs: 3_600_000, // no heartbeats in this test
    token: () => tokenFromNow(++issued),
  });
  const changes: StateChange[] = [];
  const errors: FeedError[] = [];
  client.on('state', (change) => changes.push(change));
  client.on('error', (error) => errors.push(error));
  client.connect();
  FakeSocket.last.greet();
  return { client, changes, errors, issued: () => issued };
}

const refreshes = (socket: FakeSocket) =>
  socket.framesOf(MessageType.RefreshToken).map((frame) => decodeRefreshToken(frame));

describe('token refresh (fake clock)', () => {
  it('reads a token’s expiry', () => {
    expect(expiryOf(tokenFromNow(1))).toBe(Math.floor((Date.now() + LIFETIME_MS) / 1000) * 1000);
    expect(expiryOf('not a token')).toBeNull();
    expect(expiryOf('a.bm90IGpzb24.c')).toBeNull();
  });

  it('reads a token’s claims, and only from an object', () => {
    const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '');
    expect(tokenClaims(`h.${encode({ exp: 1, renew: '/auth' })}.s`)).toEqual({
      exp: 1,
      renew: '/auth',
    });
    expect(tokenClaims(`h.${encode([1, 2])}.s`)).toBeNull();
    expect(tokenClaims(`h.${encode(null)}.s`)).toBeNull();
    expect(tokenClaims('no-dots')).toBeNull();
  });

  it('presents a fresh token before each expiry, for three lifetimes and more, never reconnecting', () => {
    const { changes, errors, issued } = startClient();
    const socket = FakeSocket.last;
    for (let round = 1; round <= 4; round++) {
      // Three quarters of what is left of the current token: ~45 s after it was issued.
      vi.advanceTimersByTime(0.75 * LIFETIME_MS);
      const sent = refreshes(socket);
      expect(sent).toHaveLength(round);
      const last = sent.at(-1);
      if (!last) throw new Error('no refresh');
      socket.deliver(encodeAck({ requestId: last.requestId }));
    }
    expect(issued()).toBe(5); // one to connect, four refreshes: 4 × 45 s > three lifetimes
    expect(FakeSocket.created).toHaveLength(1);
    expect(changes.some((change) => change.newState === 'reconnecting')).toBe(false);
    expect(errors).toEqual([]);
  });

  it('reports a refused refresh and tries no more on that connection', () => {
    const { errors } = startClient();
    const socket = FakeSocket.last;
    vi.advanceTimersByTime(0.75 * LIFETIME_MS);
    const [refresh] = refreshes(socket);
    if (!refresh) throw new Error('no refresh');
    socket.deliver(
      encodeErrorReply({
        requestId: refresh.requestId,
        code: ErrorCode.Forbidden,
        message: 'token expired',
      }),
    );
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      [ErrorCode.Forbidden, 'token expired'],
    ]);
    vi.advanceTimersByTime(LIFETIME_MS);
    expect(refreshes(socket)).toHaveLength(1);
  });

  it('presents nothing until its token source has a fresher token, asking again meanwhile', () => {
    let fresh: string | null = null;
    const first = tokenFromNow(1);
    const client = new FeedClient({
      url: 'ws://a/ws',
      WebSocket: FakeSocket,
      pingIntervalMs: 0,
      silenceTimeoutMs: 3_600_000,
      token: () => fresh ?? first,
    });
    client.connect();
    FakeSocket.last.greet();
    // At three quarters of its life the source still has only the first token: nothing is sent,
    // and it is asked again at a quarter of what is left (3.75 s), not in a loop.
    vi.advanceTimersByTime(0.75 * LIFETIME_MS + 3_000);
    expect(refreshes(FakeSocket.last)).toHaveLength(0);
    fresh = tokenFromNow(2);
    vi.advanceTimersByTime(1_000);
    expect(refreshes(FakeSocket.last).map((refresh) => refresh.token)).toEqual([fresh]);
    client.close();
  });

  it('does not refresh a fixed token', () => {
    const client = new FeedClient({
      url: 'ws://a/ws',
      WebSocket: FakeSocket,
      pingIntervalMs: 0,
      silenceTimeoutMs: 3_600_000,
      token: tokenFromNow(1),
    });
    client.connect();
    FakeSocket.last.greet();
    vi.advanceTimersByTime(LIFETIME_MS);
    expect(refreshes(FakeSocket.last)).toHaveLength(0);
    client.close();
  });
});
