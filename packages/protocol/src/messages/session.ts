import type { ByteReader } from '../byte-reader.js';
import type { ByteWriter } from '../byte-writer.js';

/**
 * The symbol's trading session so far (docs/PROTOCOL.md "The session"). `startTime` is when the
 * session began; the other six are 0 until its first trade.
 */
export interface SessionStats {
  /** Session start, ms since the Unix epoch. */
  readonly startTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly last: number;
  /** Total size traded, in size units. */
  readonly volume: number;
  readonly tradeCount: number;
}

/**
 * A session is a UTC day: it starts at midnight UTC (`startTime` is a multiple of this), and the
 * next begins with the first trade at or after `startTime + SESSION_MS` (docs/PROTOCOL.md "The
 * session").
 */
export const SESSION_MS = 86_400_000;

/** Seven varints, in this order, wherever a message carries a session. */
export function writeSession(writer: ByteWriter, session: SessionStats): void {
  writer.varint(session.startTime);
  writer.varint(session.open);
  writer.varint(session.high);
  writer.varint(session.low);
  writer.varint(session.last);
  writer.varint(session.volume);
  writer.varint(session.tradeCount);
}

export function readSession(reader: ByteReader): SessionStats {
  return {
    startTime: reader.varint(),
    open: reader.varint(),
    high: reader.varint(),
    low: reader.varint(),
    last: reader.varint(),
    volume: reader.varint(),
    tradeCount: reader.varint(),
  };
}
