import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { MessageType } from '../version.js';

/**
 * The longest token a refresh carries, in UTF-8 bytes: the same bound a server puts on the token
 * of an upgrade request (docs/PROTOCOL.md "Refresh token").
 */
export const MAX_REFRESH_TOKEN_BYTES = 2_048;

/**
 * Client -> server: "here is a fresh access token for this connection". Answered with an ack
 * (the connection now lives until the new token's expiry, keeping everything it holds) or an
 * error with the reason (the old expiry still applies).
 */
export interface RefreshTokenRequest {
  readonly requestId: number;
  readonly token: string;
}

export function encodeRefreshToken(
  request: RefreshTokenRequest,
  writer: ByteWriter = new ByteWriter(1_024),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.RefreshToken);
  writer.varint(request.requestId);
  writer.string(request.token);
  return writer.finish();
}

export function decodeRefreshToken(bytes: Uint8Array): RefreshTokenRequest {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.RefreshToken);
  const requestId = reader.varint();
  const token = reader.string(MAX_REFRESH_TOKEN_BYTES);
  reader.end();
  return { requestId, token };
}
