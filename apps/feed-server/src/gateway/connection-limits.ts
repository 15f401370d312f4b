import { DEFAULT_LIMITS, LimitId } from '@ticker/protocol';
import type { ServerLimit } from '@ticker/protocol';

/**
 * What one client may cost the server; each is announced (where a client can act on it),
 * enforced, counted, and documented in the README's limits table.
 */
export interface ConnectionLimits {
  /** Symbols one connection may hold, in all views together. */
  readonly maxSubscriptions: number;
  /** Client messages per second, sustained; bursts of twice as many are allowed. */
  readonly maxMessagesPerSecond: number;
  /** Open connections from one IP address; more are refused with HTTP 429. */
  readonly maxConnectionsPerIp: number;
  /** New connections per second from one address, after a burst of `maxConnectionsPerIp` plus this; HTTP 429. */
  readonly maxUpgradesPerSecond: number;
  /** Seconds without any frame from the client (uWS pings it automatically) before closing. */
  readonly idleTimeoutSeconds: number;
  /** Bytes buffered for a client beyond which it stops getting batches until it drains. */
  readonly slowConsumerBytes: number;
  /** How long a client may stay paused as slow before it is closed with 4001. */
  readonly slowConsumerTimeoutMs: number;
  /** How long a client's buffer may hold bytes without draining before it is paused, whatever its size. */
  readonly stalledReaderMs: number;
  /** Bytes buffered for all clients together that the server never goes beyond. */
  readonly maxBufferedBytes: number;
  /** Snapshot bytes one connection is sent per second, sustained (bursts of four times as many). */
  readonly snapshotBytesPerSecond: number;
  /** Snapshot bytes all connections from one address are sent per second (bursts of four times as many). */
  readonly snapshotBytesPerSecondPerIp: number;
  /** History API requests per second from one address (bursts of twice as many); HTTP 429 beyond. */
  readonly maxApiRequestsPerSecond: number;
}

/**
 * Client frames are a few bytes; anything larger is hostile or a bug and is closed with 1009 and
 * a reason. uWS's own cap sits above it as a backstop: past it uWS drops the TCP connection
 * without a close frame (the client sees 1006), so it must never be the limit clients meet.
 */
export const MAX_CLIENT_FRAME_BYTES = 4 * 1024;
export const UWS_PAYLOAD_BACKSTOP_BYTES = 64 * 1024;

/** A symbol in the quote view gets at most one quote this often: four a second reads as live. */
export const QUOTE_INTERVAL_MS = 250;

/** Token buckets hold this many seconds of their rate: bursts of messages, snapshot bytes. */
export const MESSAGE_BURST_SECONDS = 2;
export const SNAPSHOT_BURST_SECONDS = 4;

/** The limits this server enforces, as announced in every hello. */
export function announcedLimits(limits: ConnectionLimits): readonly ServerLimit[] {
  return [
    { id: LimitId.MaxClientFrameBytes, value: MAX_CLIENT_FRAME_BYTES },
    { id: LimitId.MaxSymbolsPerRequest, value: DEFAULT_LIMITS.maxSymbolsPerRequest },
    { id: LimitId.MaxSubscriptions, value: limits.maxSubscriptions },
    { id: LimitId.MaxControlMessagesPerSecond, value: limits.maxMessagesPerSecond },
    { id: LimitId.MaxTicksPerBatch, value: DEFAULT_LIMITS.maxTicksPerBatch },
    {
      id: LimitId.ControlMessageBurst,
      value: limits.maxMessagesPerSecond * MESSAGE_BURST_SECONDS,
    },
    { id: LimitId.QuoteIntervalMs, value: QUOTE_INTERVAL_MS },
    { id: LimitId.SnapshotBytesPerSecond, value: limits.snapshotBytesPerSecond },
    {
      id: LimitId.SnapshotBurstBytes,
      value: limits.snapshotBytesPerSecond * SNAPSHOT_BURST_SECONDS,
    },
  ];
}
