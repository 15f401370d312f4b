import { TokenBucket } from '../domain/rate-limiter.js';

/** One request's work: done in its turn, or refused when it cannot be. */
export interface Job {
  /**
   * Starts the work; `done` is called once, when it has finished, with the milliseconds of work
   * it took (what the budget pays), at once or later (the history API's thread).
   */
  run(done: (workMs: number) => void): void;
  /** The queue is full, or the job waited too long: answer that the server is busy. */
  refuse(): void;
  /** Whether the client went away meanwhile: then nothing is done or answered. */
  aborted(): boolean;
}

export interface WorkQueueOptions {
  /** Milliseconds of work a second, all jobs together. */
  readonly msPerSecond: number;
  /** The most spent in one go, before timers and other requests get a turn. */
  readonly burstMs: number;
  /** Jobs that may wait at once; beyond, a job is refused at once. */
  readonly maxWaiting: number;
  /** How long a job may wait for its turn before it is refused instead. */
  readonly maxWaitMs: number;
  /** Jobs started and not yet done, at most: the rest wait, so turns stay fair. */
  readonly maxRunning: number;
  readonly clock: () => number;
}

interface Waiting {
  readonly job: Job;
  readonly since: number;
}

/**
 * Work done within a budget of time, in turns fair across clients: a job starts at once while
 * the budget lasts, fewer than `maxRunning` run and nobody waits; else it waits in its address's
 * line, and the lines are served in rotation as the budget refills and running jobs finish, so a
 * client asking a lot waits for its own requests, not others for them. Waiting is bounded in
 * count and in time; what cannot wait is refused (a 503 for the history API), never dropped
 * unanswered.
 */
export class WorkQueue {
  private readonly budget: TokenBucket;
  /** Per address, its jobs in order; addresses in the order they are next served. */
  private readonly lines = new Map<string, Waiting[]>();
  private waiting = 0;
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: WorkQueueOptions) {
    this.budget = new TokenBucket(options.msPerSecond, options.burstMs, options.clock());
  }

  /** Jobs waiting for their turn. */
  get size(): number {
    return this.waiting;
  }

  /** Starts `job` now if it may and nobody waits; else in `address`'s turn, or refuses it. */
  submit(address: string, job: Job): void {
    if (job.aborted()) return;
    const now = this.options.clock();
    if (this.waiting === 0 && this.mayStart(now)) {
      this.run(job);
      return;
    }
    if (this.waiting >= this.options.maxWaiting) {
      job.refuse();
      return;
    }
    const line = this.lines.get(address);
    if (line) line.push({ job, since: now });
    else this.lines.set(address, [{ job, since: now }]);
    this.waiting += 1;
    this.schedule();
  }

  /** Stops the timer; waiting jobs are refused. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const line of this.lines.values()) for (const { job } of line) job.refuse();
    this.lines.clear();
    this.waiting = 0;
  }

  private mayStart(now: number): boolean {
    return this.running < this.options.maxRunning && this.budget.canSpend(now);
  }

  private run(job: Job): void {
    this.running += 1;
    let inPlace = true;
    let finished = false;
    job.run((workMs) => {
      if (finished) return;
      finished = true;
      this.running -= 1;
      this.budget.spend(workMs);
      // Done in place, the caller (submit or drain) goes on serving; done later, this does.
      if (!inPlace) this.drain();
    });
    inPlace = false;
  }

  /**
   * Wakes when the budget has refilled, or when a job would have waited too long, if sooner;
   * while jobs run at the most, their ends wake it instead (and the overdue check).
   */
  private schedule(): void {
    if (this.timer !== null || this.waiting === 0) return;
    const refilled =
      this.running < this.options.maxRunning
        ? this.budget.msUntilSpendable(this.options.clock())
        : Infinity;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.drain();
      },
      Math.min(refilled, this.options.maxWaitMs),
    );
  }

  /** Refuses who waited too long, serves the lines in rotation while the budget lasts, waits on. */
  private drain(): void {
    // A job's end may come before the timer set while it ran: the timer is set again from now.
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.refuseOverdue();
    while (this.waiting > 0 && this.mayStart(this.options.clock())) {
      const next = this.takeNext();
      if (next === null) break;
      if (!next.job.aborted()) this.run(next.job);
    }
    this.schedule();
  }

  private refuseOverdue(): void {
    const oldest = this.options.clock() - this.options.maxWaitMs;
    for (const [address, line] of this.lines) {
      const kept = line.filter(({ job, since }) => {
        if (since > oldest) return true;
        if (!job.aborted()) job.refuse();
        return false;
      });
      this.waiting -= line.length - kept.length;
      if (kept.length === 0) this.lines.delete(address);
      else this.lines.set(address, kept);
    }
  }

  /** The first waiting job of the address whose turn it is; that address goes to the back. */
  private takeNext(): Waiting | null {
    for (const [address, line] of this.lines) {
      const next = line.shift();
      this.lines.delete(address);
      if (line.length > 0) this.lines.set(address, line);
      if (next) {
        this.waiting -= 1;
        return next;
      }
    }
    return null;
  }
}
