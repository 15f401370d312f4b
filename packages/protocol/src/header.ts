import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { DecodeError, ErrorCode } from './errors.js';
import { PROTOCOL_VERSION, SERVER_MESSAGE_TYPES, CLIENT_MESSAGE_TYPES } from './version.js';
import type { ClientMessageType, MessageType, ServerMessageType } from './version.js';

export function writeHeader(writer: ByteWriter, type: MessageType): void {
  writer.u8(PROTOCOL_VERSION);
  writer.u8(type);
}

/** Rejects version 0 and any newer than this side speaks: their layout is unknown. */
function checkVersion(version: number): void {
  if (version === 0 || version > PROTOCOL_VERSION) {
    throw new DecodeError(
      `unsupported protocol version ${version}; this side speaks ${PROTOCOL_VERSION}`,
      0,
      ErrorCode.UnsupportedVersion,
    );
  }
}

/** Reads the header and checks it names `expected`, before any body field is touched. */
export function readHeader(reader: ByteReader, expected: MessageType): void {
  checkVersion(reader.u8());
  const type = reader.u8();
  if (type !== expected) {
    throw new DecodeError(
      `expected message type 0x${expected.toString(16)}, got 0x${type.toString(16)}`,
      1,
      ErrorCode.UnknownMessageType,
    );
  }
}

/** Checks the two header bytes in place: it runs for every frame, so it allocates nothing. */
function peekType(bytes: Uint8Array, known: ReadonlySet<number>, side: string): number {
  const version = bytes[0];
  if (version === undefined) throw new DecodeError('truncated: expected 1 more byte', 0);
  checkVersion(version);
  const type = bytes[1];
  if (type === undefined) throw new DecodeError('truncated: expected 1 more byte', 1);
  if (!known.has(type)) {
    throw new DecodeError(
      `unknown ${side} message type 0x${type.toString(16)}`,
      1,
      ErrorCode.UnknownMessageType,
    );
  }
  return type;
}

/** The type of a server -> client frame, after checking its version. */
export function peekServerMessageType(bytes: Uint8Array): ServerMessageType {
  return peekType(bytes, SERVER_MESSAGE_TYPES, 'server') as ServerMessageType;
}

/** The type of a client -> server frame, after checking its version. */
export function peekClientMessageType(bytes: Uint8Array): ClientMessageType {
  return peekType(bytes, CLIENT_MESSAGE_TYPES, 'client') as ClientMessageType;
}
