import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';
import { createTickColumns, readTicks, writeTicks } from './ticks.js';
import type { TickColumns } from './ticks.js';

/** The ticks of one topic for one flush. Reused by the batcher and by decoders. */
export interface TickBatch extends TickColumns {
  symbolId: number;
  /** Per-topic batch sequence number; the topic's next batch carries `seq + 1`. */
  seq: number;
}

export function createTickBatch(capacity = 64): TickBatch {
  return { symbolId: 0, seq: 0, ...createTickColumns(capacity) };
}

/**
 * Layout (docs/PROTOCOL.md "Tick batch"): header, symbolId, seq, then the tick list to the end.
 * Encodes into `writer` (reset first) and returns a view of its buffer.
 */
export function encodeTickBatch(
  batch: TickBatch,
  writer: ByteWriter = new ByteWriter(),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.TickBatch);
  writer.varint(batch.symbolId);
  writer.varint(batch.seq);
  writeTicks(writer, batch, `symbol ${batch.symbolId}`);
  return writer.finish();
}

/** One reader for every batch: decoding is synchronous, and a batch arrives every few microseconds. */
const batchReader = new ByteReader(new Uint8Array(0));

/** Decodes into `out` (allocation-free once its columns are large enough) and returns it. */
export function decodeTickBatch(
  bytes: Uint8Array,
  out: TickBatch = createTickBatch(),
  limits: Limits = DEFAULT_LIMITS,
): TickBatch {
  const reader = batchReader.reset(bytes);
  readHeader(reader, MessageType.TickBatch);
  const symbolId = reader.varint();
  const seq = reader.varint();
  readTicks(reader, out, limits.maxTicksPerBatch, 'batch');
  reader.end();
  out.symbolId = symbolId;
  out.seq = seq;
  return out;
}
