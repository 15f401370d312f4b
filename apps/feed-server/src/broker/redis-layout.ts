import { createClient } from 'redis';
import type { RedisClientType } from 'redis';
import type { Logger } from '../logger.js';

/**
 * What the source keeps in Redis for its gateways (docs/DEPLOY.md, "How the market travels"):
 *
 * - `ticker:source`, a hash: the source's `epoch` (a new one each time a source starts afresh,
 *   since its sequence numbers start again; kept by a source that takes over from its
 *   predecessor), its session `startTime`, its symbol `directory` (the
 *   encoded protocol frame, so a gateway can check it serves the same symbols) and its `market`
 *   (marketIdentity: a gateway draws history from the same market path only if it is its own).
 * - `ticker:flushes`, a stream capped to the replay window: one entry per flush, fields `e` (the
 *   epoch), `n` (the flush's number, counting flushes the source had to drop, so a gateway that
 *   sees a jump knows batches were lost), `t` (the market time the flush played up to, where a
 *   restarted source takes over: source-resume.ts) and `b` (every topic's encoded tick batch of
 *   that flush, each once, framed below).
 * - `ticker:source:lease`: the running source's lease (source-lease.ts).
 * - `ticker:snapshots:<epoch>`, a hash: per symbol id, the encoded snapshot of its history, all
 *   of them rewritten within every SNAPSHOT_REFRESH_MS. A gateway restores a symbol from it and
 *   continues with the stream's batches from the snapshot's `nextSeq`.
 */
export const SOURCE_KEY = 'ticker:source';
export const FLUSHES_KEY = 'ticker:flushes';
export const snapshotsKey = (epoch: string): string => `ticker:snapshots:${epoch}`;

/** Every symbol's snapshot in Redis is at most this old (plus one flush). */
export const SNAPSHOT_REFRESH_MS = 5_000;

const LENGTH_BYTES = 4;

/**
 * One stream entry's batches: each frame prefixed by its byte length (u32, big-endian). Reused
 * across flushes; `finish()` is a view valid until the next `reset()`.
 */
export class FlushEntryWriter {
  private buffer = new Uint8Array(64 * 1024);
  private view = new DataView(this.buffer.buffer);
  private position = 0;
  /** Batches added since the last reset. */
  count = 0;

  reset(): void {
    this.position = 0;
    this.count = 0;
  }

  add(frame: Uint8Array): void {
    const needed = this.position + LENGTH_BYTES + frame.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.position));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.view.setUint32(this.position, frame.length);
    this.buffer.set(frame, this.position + LENGTH_BYTES);
    this.position = needed;
    this.count += 1;
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.position);
  }
}

/** Calls `visit` with each frame of an entry written by FlushEntryWriter; throws if it is cut short. */
export function forEachFrame(entry: Uint8Array, visit: (frame: Uint8Array) => void): void {
  const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
  let position = 0;
  while (position < entry.length) {
    if (position + LENGTH_BYTES > entry.length) throw new RangeError('truncated frame length');
    const end = position + LENGTH_BYTES + view.getUint32(position);
    if (end > entry.length) throw new RangeError('truncated frame');
    visit(entry.subarray(position + LENGTH_BYTES, end));
    position = end;
  }
}

/** How long to wait before the next reconnection attempt: doubling from 100 ms to 5 s, with jitter. */
export function reconnectDelay(retries: number): number {
  const ceiling = Math.min(5_000, 100 * 2 ** Math.min(retries, 6));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** `redis://user:secret@host` without the secret, for logs and /readyz. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export interface BrokerLink {
  readonly client: RedisClientType;
  /** Resolves once the client is connected and ready (at once if it is), or closed. */
  ready(): Promise<void>;
  /** Drops the connection for good; pending commands fail. */
  close(): void;
}

/**
 * A Redis client that reconnects by itself with backoff, never queues commands while
 * disconnected (they fail at once, so nothing piles up during an outage), and reports the
 * link going up and down.
 */
export function connectBroker(
  url: string,
  logger: Logger,
  onChange: (connected: boolean) => void,
): BrokerLink {
  const client: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: reconnectDelay },
  });
  let connected = false;
  let waiters: Array<() => void> = [];
  let lastError = '';
  client.on('ready', () => {
    connected = true;
    lastError = '';
    logger.info('connected to Redis', { url: redactUrl(url) });
    onChange(true);
    for (const resolve of waiters) resolve();
    waiters = [];
  });
  client.on('error', (error: Error) => {
    // Logged once per outage, not once per retry.
    if (error.message !== lastError) {
      logger.warn('Redis link failed; retrying with backoff', {
        url: redactUrl(url),
        error: error.message,
      });
    }
    lastError = error.message;
    if (connected) {
      connected = false;
      onChange(false);
    }
  });
  client.on('end', () => {
    if (connected) {
      connected = false;
      onChange(false);
    }
  });
  // The first attempt also retries with backoff; a failure here is only reported by 'error'.
  client.connect().catch(() => undefined);
  let closed = false;
  return {
    client,
    ready: () =>
      client.isReady || closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    close() {
      closed = true;
      if (client.isOpen) client.destroy();
      for (const resolve of waiters) resolve();
      waiters = [];
    },
  };
}
