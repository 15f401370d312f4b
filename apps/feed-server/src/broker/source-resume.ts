import { createTickBatch, decodeSnapshot, decodeTickBatch } from '@ticker/protocol';
import type { RedisClientType } from 'redis';
import { RESP_TYPES } from 'redis';
import { FLUSHES_KEY, SOURCE_KEY, forEachFrame, snapshotsKey } from './redis-layout.js';

/**
 * Where a restarted source takes over from its predecessor: the same epoch, the flush after its
 * last, the market played on from that flush's time, and every symbol's next sequence number.
 * Gateways then read on as if the source had never stopped: the ticks of the outage arrive in
 * the first flushes, and no series breaks.
 */
export interface ResumePoint {
  readonly epoch: string;
  /** The predecessor's last flush number: the next entry carries one more. */
  readonly flushNumber: number;
  /** The market time the predecessor's last entry had played up to. */
  readonly playedUntil: number;
  /** Per symbol id, the seq its next batch carries. */
  readonly nextSeqs: ReadonlyMap<number, number>;
}

/** What the predecessor left in Redis, read for `resumePoint`. */
export interface Predecessor {
  readonly epoch: string;
  /** Its market identity (marketIdentity), or '' if it announced none. */
  readonly market: string;
  readonly lastEntry: {
    readonly epoch: string;
    readonly flushNumber: number;
    readonly time: number;
  } | null;
  /** Per symbol id, the `nextSeq` of its snapshot in Redis. */
  readonly snapshotSeqs: ReadonlyMap<number, number>;
  /** Per symbol id, one past the `seq` of its newest batch in the stream (the predecessor's epoch). */
  readonly streamSeqs: ReadonlyMap<number, number>;
}

/**
 * Whether and where to take over: only from a source of the same market whose last entry is at
 * most `maxAgeMs` old (the replay window: the outage's ticks are played at once, so this bounds
 * them) and whose every symbol's next seq is known for certain. It is not when a snapshot has
 * moved on past the stream (flushes dropped after the last entry: their ticks are in the
 * snapshot but not in the stream) or a symbol has neither: then the source starts a new epoch,
 * and gateways restore from its snapshots as before.
 */
export function resumePoint(
  predecessor: Predecessor,
  symbolIds: readonly number[],
  market: string,
  now: number,
  maxAgeMs: number,
): ResumePoint | null {
  const { lastEntry } = predecessor;
  if (predecessor.market !== market || lastEntry === null) return null;
  if (lastEntry.epoch !== predecessor.epoch || now - lastEntry.time > maxAgeMs) return null;
  const nextSeqs = new Map<number, number>();
  for (const id of symbolIds) {
    const fromSnapshot = predecessor.snapshotSeqs.get(id);
    const fromStream = predecessor.streamSeqs.get(id);
    if (fromSnapshot === undefined) return null;
    if (fromStream !== undefined && fromSnapshot > fromStream) return null;
    nextSeqs.set(id, fromStream ?? fromSnapshot);
  }
  return {
    epoch: predecessor.epoch,
    flushNumber: lastEntry.flushNumber,
    playedUntil: lastEntry.time,
    nextSeqs,
  };
}

/** Stream entries read per round trip while scanning the predecessor's stream. */
const ENTRIES_PER_READ = 256;

/**
 * Reads what a predecessor left: its announcement, its snapshots' seqs, and the newest seq of
 * each symbol in the stream (all of it: the replay window, read once at start, as a gateway
 * does). Null when no source announced itself. Throws a DecodeError or RangeError when what is
 * there cannot be read: then there is nothing to resume.
 */
export async function readPredecessor(client: RedisClientType): Promise<Predecessor | null> {
  const binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const source = await binary.hGetAll(SOURCE_KEY);
  const epoch = source.epoch?.toString();
  if (epoch === undefined) return null;
  const snapshots = await binary.hGetAll(snapshotsKey(epoch));
  const snapshotSeqs = new Map<number, number>();
  for (const [id, bytes] of Object.entries(snapshots)) {
    snapshotSeqs.set(Number(id), decodeSnapshot(bytes).nextSeq);
  }
  const streamSeqs = new Map<number, number>();
  const batch = createTickBatch(256);
  let lastEntry: Predecessor['lastEntry'] = null;
  let from = '-';
  for (;;) {
    const entries =
      (await binary.xRange(FLUSHES_KEY, from, '+', { COUNT: ENTRIES_PER_READ })) ?? [];
    for (const { id, message } of entries) {
      const fields = message as Partial<Record<'e' | 'n' | 't' | 'b', Buffer>>;
      from = `(${id.toString()}`;
      const entryEpoch = fields.e?.toString() ?? '';
      lastEntry = {
        epoch: entryEpoch,
        flushNumber: Number(fields.n?.toString()),
        time: Number(fields.t?.toString() ?? NaN),
      };
      if (entryEpoch !== epoch || !fields.b) continue;
      forEachFrame(fields.b, (frame) => {
        decodeTickBatch(frame, batch);
        streamSeqs.set(batch.symbolId, batch.seq + 1);
      });
    }
    if (entries.length < ENTRIES_PER_READ) break;
  }
  if (lastEntry !== null && !Number.isSafeInteger(lastEntry.time)) lastEntry = null;
  return { epoch, market: source.market?.toString() ?? '', lastEntry, snapshotSeqs, streamSeqs };
}
