import { ByteWriter, MAX_VARINT_BYTES, varintLength, writeVarint } from './byte-writer.js';
import { HEADER_BYTES, PROTOCOL_VERSION } from './version.js';
import type { MessageType } from './version.js';

/** Room kept before a shared body: the header and the longest request-id varint. */
const PREFIX_BYTES = HEADER_BYTES + MAX_VARINT_BYTES;

/**
 * A reply encoded once and sent in answer to many requests, such as the snapshot every
 * connection that subscribed to a symbol in one flush receives: only the request id, the field
 * right after the header, differs between them. The body is written after room for the header
 * and the longest id; `frameFor` writes one request's header and id right before the body, in
 * place, and returns the whole frame, so answering another request copies nothing.
 */
export class SharedFrame {
  private readonly writer: ByteWriter;
  private type = 0;

  constructor(initialBodyBytes = 1024) {
    this.writer = new ByteWriter(initialBodyBytes + PREFIX_BYTES);
  }

  /** Starts a new body of a `type` message; write its fields (after the request id) to the result. */
  begin(type: MessageType): ByteWriter {
    this.type = type;
    const writer = this.writer.reset();
    writer.ensure(PREFIX_BYTES);
    writer.position = PREFIX_BYTES;
    return writer;
  }

  /** Bytes of the body: what every frame carries besides its header and request id. */
  get bodyBytes(): number {
    return this.writer.position - PREFIX_BYTES;
  }

  /** The frame answering `requestId`; valid until the next `frameFor` or `begin`. */
  frameFor(requestId: number): Uint8Array {
    const { buffer, position } = this.writer;
    const start = PREFIX_BYTES - HEADER_BYTES - varintLength(requestId);
    buffer[start] = PROTOCOL_VERSION;
    buffer[start + 1] = this.type;
    writeVarint(buffer, start + HEADER_BYTES, requestId);
    return buffer.subarray(start, position);
  }
}
