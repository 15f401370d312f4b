import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { DecodeError, ErrorCode } from '../errors.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

/**
 * Subscribe and unsubscribe share one body: a request id the server echoes in its ack or error
 * reply, then the symbol ids. The server answers each request exactly once.
 */
export interface SubscriptionRequest {
  readonly requestId: number;
  readonly symbolIds: readonly number[];
}

type SubscriptionType = typeof MessageType.Subscribe | typeof MessageType.Unsubscribe;

function encodeSubscription(
  type: SubscriptionType,
  request: SubscriptionRequest,
  writer: ByteWriter,
): Uint8Array {
  writer.reset();
  writeHeader(writer, type);
  writer.varint(request.requestId);
  writer.varint(request.symbolIds.length);
  for (const id of request.symbolIds) writer.varint(id);
  return writer.finish();
}

function decodeSubscription(
  type: SubscriptionType,
  bytes: Uint8Array,
  limits: Limits,
): SubscriptionRequest {
  const reader = new ByteReader(bytes);
  readHeader(reader, type);
  const requestId = reader.varint();
  const countOffset = reader.offset;
  const count = reader.bounded('symbol count', limits.maxSymbolsPerRequest);
  if (count === 0)
    throw new DecodeError('request names no symbols', countOffset, ErrorCode.MalformedFrame);
  const symbolIds: number[] = [];
  for (let i = 0; i < count; i++) symbolIds.push(reader.varint());
  reader.end();
  return { requestId, symbolIds };
}

export function encodeSubscribe(
  request: SubscriptionRequest,
  writer: ByteWriter = new ByteWriter(64),
): Uint8Array {
  return encodeSubscription(MessageType.Subscribe, request, writer);
}

export function decodeSubscribe(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): SubscriptionRequest {
  return decodeSubscription(MessageType.Subscribe, bytes, limits);
}

export function encodeUnsubscribe(
  request: SubscriptionRequest,
  writer: ByteWriter = new ByteWriter(64),
): Uint8Array {
  return encodeSubscription(MessageType.Unsubscribe, request, writer);
}

export function decodeUnsubscribe(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): SubscriptionRequest {
  return decodeSubscription(MessageType.Unsubscribe, bytes, limits);
}
