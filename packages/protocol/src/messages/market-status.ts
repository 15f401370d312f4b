import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/** Whether the market data a server serves is current. */
export const MarketState = {
  /** Batches flow as the market trades (what a client assumes until told otherwise). */
  Live: 0,
  /** The server has no current data (its source or broker is down, or it is restoring). */
  Delayed: 1,
} as const;
export type MarketState = (typeof MarketState)[keyof typeof MarketState];

/**
 * Server -> client: the market data is delayed, or live again. Sent to every connection when
 * the state changes, and to a new connection after the directory while it is delayed.
 * `state` is kept as a number so that newer states still decode.
 */
export interface MarketStatus {
  readonly state: number;
  /** Epoch ms of the newest data the server had (0 if none yet). */
  readonly lastDataTime: number;
  /** Why it is delayed, in plain words; empty when live. */
  readonly reason: string;
}

export function encodeMarketStatus(
  status: MarketStatus,
  writer: ByteWriter = new ByteWriter(96),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.MarketStatus);
  writer.varint(status.state);
  writer.varint(status.lastDataTime);
  writer.string(status.reason);
  return writer.finish();
}

export function decodeMarketStatus(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): MarketStatus {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.MarketStatus);
  const state = reader.varint();
  const lastDataTime = reader.varint();
  const reason = reader.string(limits.maxStringBytes);
  reader.end();
  return { state, lastDataTime, reason };
}
