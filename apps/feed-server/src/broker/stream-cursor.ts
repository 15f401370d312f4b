/**
 * Where a gateway stands in the source's stream of flushes (`ticker:flushes`): the last entry id
 * read, and the number the next flush must carry. Flushes are numbered without holes, counting
 * the ones the source had to drop, so a jump means batches were lost somewhere.
 */
export class StreamCursor {
  /** The id to read after; '0' reads the whole retained stream. */
  lastId = '0';
  /** False after the reader (re)connects, until `lastId` is checked against the stream. */
  checked = false;
  private nextFlush: number | null = null;

  /** A new source numbers its flushes afresh: the next number is whatever comes. */
  restart(): void {
    this.nextFlush = null;
  }

  /** Takes the entry's flush number; false when flushes were lost before it. */
  follows(number: number): boolean {
    if (!Number.isSafeInteger(number)) return true; // unreadable: the batches' seqs still guard
    const lost = this.nextFlush !== null && number !== this.nextFlush;
    this.nextFlush = number + 1;
    return !lost;
  }

  get expected(): number | null {
    return this.nextFlush;
  }

  /**
   * A Redis that restarted empty, or on a clock behind the old one, numbers its new entries
   * below `lastId`: read its stream from the start then (the flush numbers show what was lost).
   */
  check(newestId: string | undefined): void {
    if (newestId === undefined || compareIds(newestId, this.lastId) < 0) this.lastId = '0';
    this.checked = true;
  }
}

function compareIds(a: string, b: string): number {
  const [aTime = 0, aSeq = 0] = a.split('-').map(Number);
  const [bTime = 0, bSeq = 0] = b.split('-').map(Number);
  return aTime - bTime || aSeq - bSeq;
}
