import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { DecodeError, ErrorCode } from '../errors.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';
import { isView } from '../views.js';
import type { View } from '../views.js';

/**
 * Client -> server: hold these symbols in `view`. Unlike the plain subscribe (which is the chart
 * view, all or nothing), it applies every symbol it can and names the ones refused in a
 * symbol-refusals reply, so a client never has to probe symbols one by one.
 */
export interface ViewSubscribeRequest {
  readonly requestId: number;
  readonly view: View;
  readonly symbolIds: readonly number[];
}

export function encodeViewSubscribe(
  request: ViewSubscribeRequest,
  writer: ByteWriter = new ByteWriter(64),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.ViewSubscribe);
  writer.varint(request.requestId);
  writer.u8(request.view);
  writer.varint(request.symbolIds.length);
  for (const id of request.symbolIds) writer.varint(id);
  return writer.finish();
}

export function decodeViewSubscribe(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): ViewSubscribeRequest {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.ViewSubscribe);
  const requestId = reader.varint();
  const viewOffset = reader.offset;
  const view = reader.u8();
  if (!isView(view)) throw new DecodeError(`unknown view ${view}`, viewOffset);
  const countOffset = reader.offset;
  const count = reader.bounded('symbol count', limits.maxSymbolsPerRequest);
  if (count === 0)
    throw new DecodeError('request names no symbols', countOffset, ErrorCode.MalformedFrame);
  const symbolIds: number[] = [];
  for (let i = 0; i < count; i++) symbolIds.push(reader.varint());
  reader.end();
  return { requestId, view, symbolIds };
}
