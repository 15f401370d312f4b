import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { DecodeError } from '../errors.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/** One symbol a request could not apply, and why (an `ErrorCode`, kept as a number). */
export interface SymbolRefusal {
  readonly symbolId: number;
  readonly code: number;
}

/**
 * Server -> client: the answer to a view subscribe that could not apply every symbol. Every
 * symbol of the request not listed here was applied, as an ack would have said of all of them.
 */
export interface SymbolRefusals {
  readonly requestId: number;
  readonly refusals: readonly SymbolRefusal[];
}

export function encodeSymbolRefusals(
  reply: SymbolRefusals,
  writer: ByteWriter = new ByteWriter(64),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.SymbolRefusals);
  writer.varint(reply.requestId);
  writer.varint(reply.refusals.length);
  for (const { symbolId, code } of reply.refusals) {
    writer.varint(symbolId);
    writer.varint(code);
  }
  return writer.finish();
}

export function decodeSymbolRefusals(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): SymbolRefusals {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.SymbolRefusals);
  const requestId = reader.varint();
  const countOffset = reader.offset;
  const count = reader.bounded('refusal count', limits.maxSymbolsPerRequest);
  if (count === 0) throw new DecodeError('refuses no symbols', countOffset);
  const refusals: SymbolRefusal[] = [];
  for (let i = 0; i < count; i++)
    refusals.push({ symbolId: reader.varint(), code: reader.varint() });
  reader.end();
  return { requestId, refusals };
}
