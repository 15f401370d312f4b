import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/**
 * Ids of the limits a server can announce in its hello. A client skips ids it does not know,
 * so a server can announce new limits without a version bump. Append; never renumber.
 */
export const LimitId = {
  /** Largest client frame in bytes; larger ones are closed with 1009. */
  MaxClientFrameBytes: 1,
  /** Symbol ids allowed in one subscribe/unsubscribe request. */
  MaxSymbolsPerRequest: 2,
  /** Topics one connection may be subscribed to at once. */
  MaxSubscriptions: 3,
  /** Client messages allowed per second before requests are rejected. */
  MaxControlMessagesPerSecond: 4,
  /** Ticks in one tick batch. */
  MaxTicksPerBatch: 5,
  /** Client messages that may arrive at once before the rate applies (the token bucket's size). */
  ControlMessageBurst: 6,
  /** A symbol in the quote view gets at most one quote this often (ms). */
  QuoteIntervalMs: 7,
  /** Snapshot bytes one connection is sent per second, sustained; more wait their turn. */
  SnapshotBytesPerSecond: 8,
  /** Snapshot bytes one connection may be sent at once before the rate applies. */
  SnapshotBurstBytes: 9,
} as const;
export type LimitId = (typeof LimitId)[keyof typeof LimitId];

export interface ServerLimit {
  readonly id: number;
  readonly value: number;
}

/**
 * The server's first frame on every connection: its clock (for the client's clock offset), how
 * often it promises to send something (a batch or a heartbeat), and the limits it enforces.
 */
export interface Hello {
  /** Server wall clock when the hello was sent, ms since the Unix epoch. */
  readonly serverTime: number;
  /** The server sends at least one frame this often; silence for much longer means a dead link. */
  readonly heartbeatIntervalMs: number;
  readonly limits: readonly ServerLimit[];
}

export function encodeHello(hello: Hello, writer: ByteWriter = new ByteWriter(64)): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Hello);
  writer.varint(hello.serverTime);
  writer.varint(hello.heartbeatIntervalMs);
  writer.varint(hello.limits.length);
  for (const limit of hello.limits) {
    writer.varint(limit.id);
    writer.varint(limit.value);
  }
  return writer.finish();
}

export function decodeHello(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Hello {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Hello);
  const serverTime = reader.varint();
  const heartbeatIntervalMs = reader.atLeast('heartbeat interval', 1);
  const count = reader.bounded('limit count', limits.maxHelloLimits);
  const serverLimits: ServerLimit[] = [];
  for (let i = 0; i < count; i++)
    serverLimits.push({ id: reader.varint(), value: reader.varint() });
  reader.end();
  return { serverTime, heartbeatIntervalMs, limits: serverLimits };
}

/** The value of limit `id` in a hello, or undefined if the server did not announce it. */
export function helloLimit(hello: Hello, id: LimitId): number | undefined {
  return hello.limits.find((limit) => limit.id === id)?.value;
}
