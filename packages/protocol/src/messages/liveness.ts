import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { readHeader, writeHeader } from '../header.js';
import { MessageType } from '../version.js';

/** Client -> server: asks for a pong echoing `nonce` (e.g. the client's send time) for RTT. */
export interface Ping {
  readonly nonce: number;
}

/** Server -> client: the ping's nonce and the server's clock when it answered. */
export interface Pong {
  readonly nonce: number;
  readonly serverTime: number;
}

/** Server -> client: sent every heartbeat interval so silence always means a dead connection. */
export interface Heartbeat {
  readonly serverTime: number;
}

export function encodePing(ping: Ping, writer: ByteWriter = new ByteWriter(16)): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Ping);
  writer.varint(ping.nonce);
  return writer.finish();
}

export function decodePing(bytes: Uint8Array): Ping {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Ping);
  const nonce = reader.varint();
  reader.end();
  return { nonce };
}

export function encodePong(pong: Pong, writer: ByteWriter = new ByteWriter(24)): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Pong);
  writer.varint(pong.nonce);
  writer.varint(pong.serverTime);
  return writer.finish();
}

export function decodePong(bytes: Uint8Array): Pong {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Pong);
  const nonce = reader.varint();
  const serverTime = reader.varint();
  reader.end();
  return { nonce, serverTime };
}

export function encodeHeartbeat(
  heartbeat: Heartbeat,
  writer: ByteWriter = new ByteWriter(16),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.Heartbeat);
  writer.varint(heartbeat.serverTime);
  return writer.finish();
}

export function decodeHeartbeat(bytes: Uint8Array): Heartbeat {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.Heartbeat);
  const serverTime = reader.varint();
  reader.end();
  return { serverTime };
}
