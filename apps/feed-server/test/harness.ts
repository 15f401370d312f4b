import WebSocket from 'ws';
import { MessageType, decodePong, encodePing } from '@ticker/protocol';
import { configFromEnv } from '../src/config.js';
import { createServer } from '../src/transport/feed-server.js';
import type { FeedServer, ServerConfig } from '../src/transport/feed-server.js';
import type { MarketFeed } from '../src/feeds/market-feed.js';

/**
 * A real server on a free loopback port, fast enough that tests see batches within ~20 ms.
 * Everything else is the documented default, so a new setting needs no change here. Without a
 * `feed` it simulates the market itself (the `all` role).
 */
export async function startServer(
  overrides: Partial<ServerConfig> = {},
  feed?: MarketFeed,
): Promise<{ server: FeedServer; port: number; url: string }> {
  const server = createServer(
    {
      ...configFromEnv({ LOG_LEVEL: 'silent' }),
      port: 0,
      host: '127.0.0.1',
      tickRate: 2_000,
      flushIntervalMs: 20,
      staticDir: null,
      ...overrides,
    },
    feed,
  );
  const port = await server.listen();
  return { server, port, url: `ws://127.0.0.1:${port}/ws` };
}

/**
 * A raw protocol client: records every frame and lets a test await the first one that matches,
 * with a generous bound instead of a sleep.
 */
export class TestSocket {
  readonly frames: Uint8Array[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly socket: WebSocket;
  private waiters: Array<{
    match: (frame: Uint8Array) => boolean;
    resolve: (frame: Uint8Array) => void;
  }> = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => {
      const frame = new Uint8Array(data);
      this.frames.push(frame);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
      });
    });
  }

  /** Opens a connection; `localAddress` (any of 127.0.0.0/8) makes it come from another address. */
  static async open(
    url: string,
    options: { localAddress?: string; protocols?: string[] } = {},
  ): Promise<TestSocket> {
    const socket = new WebSocket(url, options.protocols ?? [], {
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    const client = new TestSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        resolve();
      });
      socket.once('error', reject);
    });
    return client;
  }

  /** Stops reading from the TCP socket, so the server's buffer for this client fills up. */
  pauseReading(): void {
    this.rawSocket()?.pause();
  }

  resumeReading(): void {
    this.rawSocket()?.resume();
  }

  private rawSocket(): { pause(): void; resume(): void } | undefined {
    // ws keeps the net.Socket in a private field; tests need it to simulate a slow reader.
    return (this.socket as unknown as { _socket?: { pause(): void; resume(): void } })._socket;
  }

  send(data: Uint8Array | string): void {
    this.socket.send(data);
  }

  /** Resolves with the first frame (already received or future) that `match` accepts. */
  next(
    match: (frame: Uint8Array) => boolean,
    what = 'a matching frame',
    timeoutMs = 10_000,
  ): Promise<Uint8Array> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.resumeReading();
    this.socket.close();
    return this.closed;
  }
}

export function typeOf(frame: Uint8Array): number {
  return frame[1] ?? -1;
}

/** Resolves once the server has answered every frame sent so far: a ping's pong comes back in order. */
export async function roundTrip(client: TestSocket, nonce: number): Promise<void> {
  client.send(encodePing({ nonce }));
  await client.next(
    (frame) => typeOf(frame) === MessageType.Pong && decodePong(frame).nonce === nonce,
    `the pong of ${nonce}`,
  );
}

export interface Attempt {
  readonly status: number;
  readonly body: string;
  readonly socket?: WebSocket;
}

/** Tries to open a connection: the HTTP refusal, or the open socket. */
export function attempt(
  url: string,
  options: { protocols?: string[]; origin?: string; host?: string } = {},
): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.host ? { headers: { host: options.host } } : {}),
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    socket.on('open', () => {
      resolve({ status: 101, body: '', socket });
    });
    socket.on('error', (error) => {
      if (!error.message.startsWith('Unexpected server response')) reject(error);
    });
  });
}
