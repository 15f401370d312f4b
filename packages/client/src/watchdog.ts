/**
 * Calls `onSilence` when nothing has arrived for `timeoutMs`. Arrivals only record a time (no
 * timer churn per frame); the single timer, when it fires early, re-arms for the remainder.
 */
export class Watchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timeoutMs = 0;
  private lastArrival = 0;
  private readonly onSilence: (silentMs: number) => void;

  constructor(onSilence: (silentMs: number) => void) {
    this.onSilence = onSilence;
  }

  /** (Re)starts watching with a new timeout, counting from now. */
  start(timeoutMs: number, now: number): void {
    this.stop();
    this.timeoutMs = timeoutMs;
    this.lastArrival = now;
    this.arm(timeoutMs);
  }

  arrived(now: number): void {
    this.lastArrival = now;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(this.check, delayMs);
  }

  private readonly check = (): void => {
    const silentMs = performance.now() - this.lastArrival;
    if (silentMs < this.timeoutMs) {
      this.arm(this.timeoutMs - silentMs);
      return;
    }
    this.timer = null;
    this.onSilence(silentMs);
  };
}
