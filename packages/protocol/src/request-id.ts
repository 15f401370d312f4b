import { ByteReader } from './byte-reader.js';
import { DecodeError } from './errors.js';
import { HEADER_BYTES, PROTOCOL_VERSION, REQUEST_MESSAGE_TYPES } from './version.js';

const reader = new ByteReader(new Uint8Array(0));

/**
 * The request id of a client frame, read before anything else of it: every request is answered
 * with its own id, even one refused for the message rate or malformed after its id. Null for
 * frames that carry none (pings, unknown types, versions this side does not speak) or whose id
 * cannot be read.
 */
export function peekRequestId(bytes: Uint8Array): number | null {
  const version = bytes[0];
  const type = bytes[1];
  if (version === undefined || version === 0 || version > PROTOCOL_VERSION) return null;
  if (type === undefined || !REQUEST_MESSAGE_TYPES.has(type)) return null;
  try {
    return reader.reset(bytes, HEADER_BYTES).varint();
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}
