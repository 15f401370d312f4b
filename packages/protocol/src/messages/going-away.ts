import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/**
 * Server -> client, just before it closes the connection with 1001: why, and how long to wait
 * before reconnecting (a hint the client spreads with jitter; 0 means "as soon as you like").
 */
export interface GoingAway {
  readonly reconnectAfterMs: number;
  readonly reason: string;
}

export function encodeGoingAway(
  notice: GoingAway,
  writer: ByteWriter = new ByteWriter(64),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.GoingAway);
  writer.varint(notice.reconnectAfterMs);
  writer.string(notice.reason);
  return writer.finish();
}

export function decodeGoingAway(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): GoingAway {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.GoingAway);
  const reconnectAfterMs = reader.varint();
  const reason = reader.string(limits.maxStringBytes);
  reader.end();
  return { reconnectAfterMs, reason };
}
