import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { MessageType } from '../version.js';

/**
 * Client -> server: "I missed batches of this symbol; send me a fresh snapshot". Answered with a
 * snapshot carrying the same request id, or an error (e.g. not subscribed).
 */
export interface ResyncRequest {
  readonly requestId: number;
  readonly symbolId: number;
}

export function encodeResync(
  request: ResyncRequest,
  writer: ByteWriter = new ByteWriter(16),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Resync);
  writer.varint(request.requestId);
  writer.varint(request.symbolId);
  return writer.finish();
}

export function decodeResync(bytes: Uint8Array): ResyncRequest {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Resync);
  const requestId = reader.varint();
  const symbolId = reader.varint();
  reader.end();
  return { requestId, symbolId };
}
