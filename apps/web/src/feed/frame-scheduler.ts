/**
 * Schedules a callback before the next paint. The feed bridge takes one as a parameter so tests
 * can run frames by hand instead of waiting on `requestAnimationFrame`.
 */
export interface FrameScheduler {
  /** Runs `callback` once before the next frame; returns a handle for `cancel`. */
  request(callback: () => void): number;
  cancel(handle: number): void;
}

/**
 * The browser's frame clock. Browsers pause it in background tabs, which is what we want: ticks
 * keep landing in the bounded buffers and the UI catches up in one commit when shown again.
 */
export const animationFrameScheduler: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => {
    cancelAnimationFrame(handle);
  },
};
