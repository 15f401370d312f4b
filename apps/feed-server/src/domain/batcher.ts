import {
  ByteWriter,
  DEFAULT_LIMITS,
  createTickBatch,
  encodeTickBatch,
  reserveTicks,
} from '@ticker/protocol';
import type { Side, TickBatch } from '@ticker/protocol';
import type { TickSink } from './tick-sink.js';

/** Hands one encoded batch to the transport; `bytes` is only valid during the call. */
export type PublishBatch = (symbolIndex: number, bytes: Uint8Array) => void;

/** Sees every batch as it is sealed with its sequence number; `batch` is reused after the call. */
export type SealedBatch = (symbolIndex: number, batch: TickBatch) => void;

/**
 * Collects each topic's ticks between flushes and encodes every non-empty topic once per flush.
 * Every flush of a topic with ticks takes the next sequence number, whether or not anyone
 * listens, so the numbering is a property of the stream and not of the audience.
 */
export class Batcher implements TickSink {
  private readonly pending: TickBatch[];
  private readonly nextSeq: Float64Array;
  private readonly writer = new ByteWriter(4096);
  private readonly maxTicksPerBatch: number;
  private chunk: TickBatch | null = null; // scratch for splitting; only bursts beyond the limit need it

  private readonly onSealed: SealedBatch;

  constructor(
    symbolIds: readonly number[],
    options: { maxTicksPerBatch?: number; onSealed?: SealedBatch } = {},
  ) {
    this.pending = symbolIds.map((id) => {
      const batch = createTickBatch(64);
      batch.symbolId = id;
      return batch;
    });
    this.nextSeq = new Float64Array(symbolIds.length);
    this.maxTicksPerBatch = options.maxTicksPerBatch ?? DEFAULT_LIMITS.maxTicksPerBatch;
    this.onSealed = options.onSealed ?? (() => undefined);
  }

  addTick(symbolIndex: number, price: number, size: number, time: number, side: Side): void {
    const batch = this.pending[symbolIndex];
    if (batch === undefined) throw new RangeError(`no topic for symbol index ${symbolIndex}`);
    const i = batch.count;
    if (i === 0) batch.baseTime = time;
    reserveTicks(batch, i + 1);
    batch.price[i] = price;
    batch.size[i] = size;
    batch.time[i] = time;
    batch.side[i] = side;
    batch.count = i + 1;
  }

  /** The sequence number the topic's next batch will carry. */
  nextSequence(symbolIndex: number): number {
    return this.nextSeq[symbolIndex] ?? 0;
  }

  /** Numbers the topic's next batch `seq` (and the ones after it on from there). */
  continueAt(symbolIndex: number, seq: number): void {
    this.nextSeq[symbolIndex] = seq;
  }

  /**
   * Encodes and publishes each topic with pending ticks; topics nobody wants (per `isWanted`)
   * skip the encoding but still consume their sequence numbers. Oversized flushes are split
   * into batches of at most `maxTicksPerBatch`.
   */
  flush(publish: PublishBatch, isWanted: (symbolIndex: number) => boolean): void {
    for (let index = 0; index < this.pending.length; index++) {
      const batch = this.pending[index] as TickBatch;
      if (batch.count === 0) continue;
      const total = batch.count;
      const wanted = isWanted(index);
      let seq = this.nextSeq[index] as number;
      if (total <= this.maxTicksPerBatch) {
        batch.seq = seq++;
        this.onSealed(index, batch);
        if (wanted) publish(index, encodeTickBatch(batch, this.writer));
      } else {
        seq = this.publishInChunks(index, batch, seq, wanted, publish);
      }
      this.nextSeq[index] = seq;
      batch.count = 0;
    }
  }

  private publishInChunks(
    index: number,
    batch: TickBatch,
    firstSeq: number,
    wanted: boolean,
    publish: PublishBatch,
  ): number {
    const chunk = (this.chunk ??= createTickBatch(this.maxTicksPerBatch));
    chunk.symbolId = batch.symbolId;
    let seq = firstSeq;
    for (let start = 0; start < batch.count; start += this.maxTicksPerBatch) {
      const end = Math.min(batch.count, start + this.maxTicksPerBatch);
      chunk.count = end - start;
      chunk.seq = seq++;
      chunk.baseTime = batch.time[start] as number;
      chunk.price.set(batch.price.subarray(start, end));
      chunk.size.set(batch.size.subarray(start, end));
      chunk.time.set(batch.time.subarray(start, end));
      chunk.side.set(batch.side.subarray(start, end));
      this.onSealed(index, chunk);
      if (wanted) publish(index, encodeTickBatch(chunk, this.writer));
    }
    return seq;
  }
}
