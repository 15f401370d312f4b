import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/** Confirms that request `requestId` was applied in full. */
export interface Ack {
  readonly requestId: number;
}

/**
 * Rejects a request, or reports a bad frame. `requestId` is 0 when the frame was too broken to
 * read one; `code` is an `ErrorCode` (kept as a number so newer codes still decode).
 */
export interface ErrorReply {
  readonly requestId: number;
  readonly code: number;
  readonly message: string;
}

export function encodeAck(ack: Ack, writer: ByteWriter = new ByteWriter(16)): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Ack);
  writer.varint(ack.requestId);
  return writer.finish();
}

export function decodeAck(bytes: Uint8Array): Ack {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Ack);
  const requestId = reader.varint();
  reader.end();
  return { requestId };
}

export function encodeErrorReply(
  reply: ErrorReply,
  writer: ByteWriter = new ByteWriter(128),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Error);
  writer.varint(reply.requestId);
  writer.varint(reply.code);
  writer.string(reply.message);
  return writer.finish();
}

export function decodeErrorReply(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): ErrorReply {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Error);
  const requestId = reader.varint();
  const code = reader.varint();
  const message = reader.string(limits.maxStringBytes);
  reader.end();
  return { requestId, code, message };
}
