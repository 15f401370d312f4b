// The history API's load generator: autocannon in a Node process of its own
// (api-load-worker.ts), pinned beside the C load generator so that the server's core carries
// only the server; it answers JSON lines on its stdout, as loadgen does.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ApiMixOptions } from './api-mix.js';
import type { ApiLoadSummary } from './api-responses.js';
import { benchDir } from './paths.js';
import { stopChild } from './proc.js';

/**
 * How requests are sent. `paced`: `rate` a second over `lanes` connections, each lane's
 * second starting 1/lanes s after the previous one's. autocannon's own `overallRate` lets every
 * connection send its share of a second back to back as the second begins (lib/httpClient.js
 * resets each connection's count every 1,000 ms, the same instant for all of them), so a single
 * instance at 1,000 req/s over 20 connections is 20 requests in flight at once, then idle:
 * staggered lanes of one connection each make it a steady stream. `unbounded`: `connections`
 * connections, each sending its next request as soon as the last is answered.
 */
export type ApiPacing =
  | { readonly kind: 'paced'; readonly rate: number; readonly lanes: number }
  | { readonly kind: 'unbounded'; readonly connections: number };

export interface ApiLoadSpec {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly pacing: ApiPacing;
  readonly durationS: number;
  /** The requests, taken in order (and from the start again if the phase sends more). */
  readonly mix: ApiMixOptions;
}

type WorkerEvent =
  | { readonly event: 'started' }
  | { readonly event: 'result'; readonly summary: ApiLoadSummary }
  | { readonly event: 'error'; readonly message: string };

const workerScript = join(benchDir, 'dist', 'src', 'api-load-worker.js');

export class ApiLoad {
  private readonly events: WorkerEvent[] = [];
  private readonly waiting: (() => void)[] = [];
  private stderr = '';
  private exited: string | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as WorkerEvent);
      } catch {
        return; // not ours to read
      }
      for (const wake of this.waiting.splice(0)) wake();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2_000);
    });
    child.once('exit', (code, signal) => {
      this.exited = `the API load exited (${String(code ?? signal)})${this.stderr === '' ? '' : `: ${this.stderr.trim()}`}`;
      for (const wake of this.waiting.splice(0)) wake();
    });
  }

  /** Spawns the worker on `core` (null: unpinned); it starts sending at once. */
  static start(spec: ApiLoadSpec, core: number | null): ApiLoad {
    const command = [process.execPath, workerScript, JSON.stringify(spec)];
    const pinned = core === null ? command : ['taskset', '-c', String(core), ...command];
    const child = spawn(pinned[0] as string, pinned.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error('the API load did not start');
    return new ApiLoad(child, child.pid);
  }

  /** Resolves when the first request is about to go out. */
  async started(timeoutMs: number): Promise<void> {
    await this.next('started', timeoutMs);
  }

  /** Resolves with the summary once every request of the phase is answered (or gave up). */
  async result(timeoutMs: number): Promise<ApiLoadSummary> {
    const event = await this.next('result', timeoutMs);
    return event.summary;
  }

  /** Ends the worker if it is still running (after a failure); resolves once it has exited. */
  stop(): Promise<void> {
    return stopChild(this.child, 2_000);
  }

  private async next<K extends 'started' | 'result'>(
    kind: K,
    timeoutMs: number,
  ): Promise<Extract<WorkerEvent, { event: K }>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((e) => e.event === kind || e.event === 'error');
      const event = this.events[index];
      if (event !== undefined) {
        this.events.splice(index, 1);
        if (event.event === 'error') throw new Error(`the API load failed: ${event.message}`);
        return event as Extract<WorkerEvent, { event: K }>;
      }
      if (this.exited !== null) throw new Error(this.exited);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`the API load sent no "${kind}" within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
