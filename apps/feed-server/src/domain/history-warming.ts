import type { SymbolHistory } from './symbol-history.js';

/** Runs `task` on a later turn of the event loop; the handle cancels it. */
export type ScheduleTurn = (task: () => void) => { cancel(): void };

const nextImmediate: ScheduleTurn = (task) => {
  const immediate = setImmediate(task);
  return {
    cancel: () => {
      clearImmediate(immediate);
    },
  };
};

/**
 * Fills every history that is still deferred, one per event-loop turn, starting on the next
 * turn; returns what stops it. A history is deferred so that start-up does not wait for hundreds
 * of them (history-at.ts draws each from the market path: 1–4 ms). Filled afterwards in the
 * background, the whole universe is full within about a second of start instead of on its first
 * reads: the first clients after a restart (a reconnect storm) then find every snapshot ready
 * rather than paying for the fills, and one turn holds at most one fill, so live flushes,
 * heartbeats and requests wait at most that long behind it.
 */
export function warmHistories(
  histories: readonly Pick<SymbolHistory, 'fillIfDeferred'>[],
  schedule: ScheduleTurn = nextImmediate,
): () => void {
  let next = 0;
  let pending: { cancel(): void } | null = null;
  const fillOne = (): void => {
    pending = null;
    // Histories a reader filled already cost nothing to pass: the turn goes to the next fill.
    while (next < histories.length) {
      const history = histories[next++] as Pick<SymbolHistory, 'fillIfDeferred'>;
      if (history.fillIfDeferred()) break;
    }
    if (next < histories.length) pending = schedule(fillOne);
  };
  pending = schedule(fillOne);
  return () => {
    pending?.cancel();
    pending = null;
  };
}
