import { createServer as createNetServer } from 'node:net';
import WebSocket from 'ws';
import { configFromEnv, createServer } from '@ticker/feed-server';
import type { FeedServer, ServerConfig } from '@ticker/feed-server';
import { FeedClient } from '../src/index.js';
import type { FeedClientEvents, FeedClientOptions, WebSocketConstructor } from '../src/index.js';

export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

/** A real feed server on loopback, quick enough that tests see batches within milliseconds. */
export function feedServer(port: number, overrides: Partial<ServerConfig> = {}): FeedServer {
  return createServer({
    ...configFromEnv({ LOG_LEVEL: 'silent' }),
    port,
    host: '127.0.0.1',
    tickRate: 2_000,
    flushIntervalMs: 20,
    staticDir: null,
    ...overrides,
  });
}

/**
 * A free port to restart on. uSockets sets SO_REUSEADDR only for an explicit port, so a server
 * restarted on a port first bound as 0 would meet its own TIME_WAIT sockets.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export function feedClient(
  url: FeedClientOptions['url'],
  options: Partial<FeedClientOptions> = {},
): FeedClient {
  return new FeedClient({
    url,
    WebSocket: NodeWebSocket,
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    ...options,
  });
}

/**
 * Resolves with the first value `pick` returns for an event (undefined means keep waiting). The
 * bound is generous: it only turns a hang into a readable failure.
 */
export function until<K extends keyof FeedClientEvents, T>(
  client: FeedClient,
  event: K,
  pick: (payload: FeedClientEvents[K]) => T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = client.on(event, (payload) => {
      const value = pick(payload);
      if (value === undefined) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Resolves once `count` more batches of `ticker` have arrived. */
export function batchesOf(
  client: FeedClient,
  ticker: string,
  count: number,
  what: string,
): Promise<true> {
  let seen = 0;
  return until(
    client,
    'batch',
    (batch) => (batch.symbolId === client.symbol(ticker)?.id && ++seen >= count ? true : undefined),
    what,
    20_000,
  );
}
