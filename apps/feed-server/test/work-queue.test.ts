import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../src/history/work-queue.js';
import type { Job } from '../src/history/work-queue.js';

/** Jobs that each take `costMs`, done in place, recording what became of them. */
class Jobs {
  readonly done: string[] = [];
  readonly refused: string[] = [];
  /** Jobs done elsewhere (a thread): started, and finished when the test says. */
  readonly started: { name: string; finish: () => void }[] = [];

  job(name: string, costMs = 10, aborted = () => false): Job {
    return {
      run: (done) => {
        this.done.push(name);
        done(costMs);
      },
      refuse: () => this.refused.push(name),
      aborted,
    };
  }

  later(name: string, costMs = 1): Job {
    return {
      run: (done) => {
        this.started.push({
          name,
          finish: () => {
            this.done.push(name);
            done(costMs);
          },
        });
      },
      refuse: () => this.refused.push(name),
      aborted: () => false,
    };
  }
}

let jobs: Jobs;
beforeEach(() => {
  vi.useFakeTimers();
  jobs = new Jobs();
});
afterEach(() => {
  vi.useRealTimers();
});

/** 100 ms of work a second, 20 at a time: two 10 ms jobs at once, then one every 100 ms. */
function queue(
  overrides: { maxWaiting?: number; maxWaitMs?: number; maxRunning?: number } = {},
): WorkQueue {
  return new WorkQueue({
    msPerSecond: 100,
    burstMs: 20,
    maxWaiting: overrides.maxWaiting ?? 100,
    maxWaitMs: overrides.maxWaitMs ?? 10_000,
    maxRunning: overrides.maxRunning ?? 2,
    clock: () => Date.now(),
  });
}

describe('the history work queue', () => {
  it('runs jobs at once while the budget lasts, then as it refills', () => {
    const work = queue();
    for (const name of ['a', 'b', 'c', 'd']) work.submit('10.0.0.1', jobs.job(name));
    expect(jobs.done).toEqual(['a', 'b']);
    expect(work.size).toBe(2);
    vi.advanceTimersByTime(100);
    expect(jobs.done).toEqual(['a', 'b', 'c']);
    vi.advanceTimersByTime(100);
    expect(jobs.done).toEqual(['a', 'b', 'c', 'd']);
    expect(work.size).toBe(0);
  });

  it('serves waiting addresses in rotation, so one asking a lot waits for itself', () => {
    const work = queue();
    work.submit('greedy', jobs.job('g1', 30)); // spends the whole burst and more
    for (const name of ['g2', 'g3', 'g4']) work.submit('greedy', jobs.job(name));
    work.submit('modest', jobs.job('m1'));
    vi.advanceTimersByTime(1_000);
    expect(jobs.done).toEqual(['g1', 'g2', 'm1', 'g3', 'g4']);
  });

  it('refuses at once beyond the waiting room, and after waiting too long', () => {
    const work = queue({ maxWaiting: 2, maxWaitMs: 150 });
    work.submit('a', jobs.job('first', 200)); // the budget is spent for two seconds
    for (const name of ['w1', 'w2', 'over']) work.submit('a', jobs.job(name));
    expect(jobs.refused).toEqual(['over']);
    vi.advanceTimersByTime(150);
    expect(jobs.refused).toEqual(['over', 'w1', 'w2']);
    expect(jobs.done).toEqual(['first']);
    expect(work.size).toBe(0);
  });

  it('does nothing for a client that went away, and refuses what waits when stopped', () => {
    const work = queue();
    let gone = false;
    work.submit('a', jobs.job('first', 30));
    work.submit(
      'a',
      jobs.job('abandoned', 10, () => gone),
    );
    work.submit('b', jobs.job('left'));
    gone = true;
    vi.advanceTimersByTime(200);
    expect(jobs.done).toEqual(['first', 'left']);
    expect(jobs.refused).toEqual([]);
    // 'left' spent what had refilled: these wait, and are refused when the queue stops.
    work.submit('c', jobs.job('late'));
    work.submit('c', jobs.job('later'));
    work.stop();
    expect(jobs.refused).toEqual(['late', 'later']);
    expect(work.size).toBe(0);
  });

  it('runs at most maxRunning jobs done elsewhere; each end starts the next in turn', () => {
    const work = queue({ maxRunning: 2 });
    for (const name of ['a1', 'a2', 'a3']) work.submit('a', jobs.later(name));
    work.submit('b', jobs.later('b1'));
    expect(jobs.started.map((j) => j.name)).toEqual(['a1', 'a2']);
    expect(work.size).toBe(2);
    jobs.started[0]?.finish(); // the budget has plenty: the next line's turn starts at once
    expect(jobs.started.map((j) => j.name)).toEqual(['a1', 'a2', 'a3']);
    jobs.started[1]?.finish();
    expect(jobs.started.map((j) => j.name)).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(jobs.done).toEqual(['a1', 'a2']);
    expect(work.size).toBe(0);
  });

  it('refuses what waits too long behind jobs that do not finish', () => {
    const work = queue({ maxRunning: 1, maxWaitMs: 300 });
    work.submit('a', jobs.later('stuck'));
    work.submit('b', jobs.later('behind'));
    vi.advanceTimersByTime(299);
    expect(jobs.refused).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(jobs.refused).toEqual(['behind']);
    expect(jobs.started.map((j) => j.name)).toEqual(['stuck']);
  });
});
