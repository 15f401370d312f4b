/**
 * What the page records about itself, installed before any of the app's scripts run
 * (`page.addInitScript(installPageProbes)`). Playwright sends the function's source text to the
 * page, so it must stay self-contained: no imports, no helpers from outside its body.
 *
 * - Frames: one requestAnimationFrame loop that stores each frame's timestamp in a preallocated
 *   ring, so the probe itself allocates nothing per frame and the harness can count frames and
 *   frame gaps over any window afterwards.
 * - Long tasks: a PerformanceObserver for 'longtask' entries (tasks over 50 ms on the main
 *   thread, per the Long Tasks API), kept with their start time for the same reason.
 */
export function installPageProbes(): void {
  // 2^16 frames is 18 minutes at 60 Hz: far beyond any run, so the ring never wraps in practice.
  const capacity = 1 << 16;
  const probe: PageProbe = {
    frameTimes: new Float64Array(capacity),
    frames: 0,
    longTasks: [],
  };
  const onFrame = (time: number): void => {
    probe.frameTimes[probe.frames % capacity] = time;
    probe.frames++;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  (window as unknown as ProbeWindow).__tickerPerfProbe = probe;
}

export interface LongTask {
  /** performance.now() time the task started, ms. */
  readonly start: number;
  readonly duration: number;
}

interface PageProbe {
  readonly frameTimes: Float64Array;
  /** Frames seen since the page started; frame i's time is at frameTimes[i % capacity]. */
  frames: number;
  readonly longTasks: LongTask[];
}

interface ProbeWindow {
  __tickerPerfProbe?: PageProbe;
}

/** The page's clock now, and what its probes saw between `since` and now (page time, ms). */
export interface ProbeReading {
  readonly now: number;
  readonly frameTimes: number[];
  readonly longTasks: LongTask[];
}

/** Runs in the page (`page.evaluate(readPageProbes, since)`): self-contained like the above. */
export function readPageProbes(since: number): ProbeReading {
  const probe = (window as unknown as ProbeWindow).__tickerPerfProbe;
  if (!probe) throw new Error('perf probes are missing: installPageProbes did not run');
  const now = performance.now();
  const capacity = probe.frameTimes.length;
  const frameTimes: number[] = [];
  for (let i = Math.max(0, probe.frames - capacity); i < probe.frames; i++) {
    const time = probe.frameTimes[i % capacity] ?? 0;
    if (time >= since) frameTimes.push(time);
  }
  return {
    now,
    frameTimes,
    longTasks: probe.longTasks.filter((task) => task.start >= since),
  };
}
