import { Worker } from 'node:worker_threads';
import type { Grant } from '../auth/tokens.js';
import type { SymbolSpec } from '../domain/universe.js';
import type { HistoryAnswer } from './history-answers.js';

/** The market the thread draws history from: what makes its answers the feed's (plain data). */
export interface HistoryMarket {
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  readonly tickRate: number;
  /** STOCK_HOURS as text ("HH:MM-HH:MM"), or null when always open. */
  readonly stockHours: string | null;
  /** Answers behind access control are the token holder's (Cache-Control: private). */
  readonly privateAnswers: boolean;
}

export interface CandlesRequest {
  readonly id: number;
  readonly query: string;
  readonly grant: Grant;
  /** The market's clock when the request came. */
  readonly now: number;
}

export type CandlesReply =
  | { readonly id: number; readonly answer: HistoryAnswer; readonly workMs: number }
  | { readonly id: number; readonly error: string; readonly workMs: number };

/** An answer and the milliseconds of the thread's time it took. */
export interface TimedAnswer {
  readonly answer: HistoryAnswer;
  readonly workMs: number;
}

/** The thread failed (a bug, or out of memory): the request was not answered; a new one starts. */
export class HistoryThreadError extends Error {
  override readonly name = 'HistoryThreadError';
  constructor(
    message: string,
    readonly workMs: number,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(answer: TimedAnswer): void;
  reject(error: HistoryThreadError): void;
}

/**
 * Candles are computed on a thread of their own (history-worker.ts), with its own market path
 * and heap: a page years back costs a millisecond or two of splitting the path, and its garbage
 * is collected there, so neither delays the live feed's flushes on the event loop, whatever the
 * API is asked. The event loop only checks requests, queues them fairly (WorkQueue) and writes
 * the answers. Started when the server listens; a thread that fails is replaced by the next
 * request, and `onLost` says why.
 */
export class HistoryThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly market: HistoryMarket,
    private readonly onLost: (why: string) => void = () => undefined,
  ) {}

  /** Starts the thread now rather than on the first request (it takes about 0.3 s to answer). */
  start(): void {
    this.workerOrStart();
  }

  candles(query: string, grant: Grant, now: number): Promise<TimedAnswer> {
    const worker = this.workerOrStart();
    const id = this.nextId++;
    return new Promise<TimedAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, query, grant, now } satisfies CandlesRequest);
    });
  }

  /** Ends the thread; what it had not answered fails. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failPending('the server is closing');
    await worker?.terminate();
  }

  private workerOrStart(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = fromSources
      ? // Run from the sources (tests, `npm run dev`), the thread loads them through tsx, as the
        // process does (Node 20 does not pass a process's loader on to its threads).
        new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerScript().href)}); })`,
          { eval: true, workerData: this.market },
        )
      : new Worker(workerScript(), { workerData: this.market });
    worker.unref(); // a server closing does not wait for it: `stop` ends it
    worker.on('message', (reply: CandlesReply) => {
      this.settle(reply);
    });
    worker.on('error', (error) => {
      this.lost(worker, `the history thread failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      this.lost(worker, `the history thread exited (code ${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: CandlesReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if ('error' in reply) pending.reject(new HistoryThreadError(reply.error, reply.workMs));
    else pending.resolve({ answer: reply.answer, workMs: reply.workMs });
  }

  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return; // stopped, or replaced already
    this.worker = null;
    this.failPending(why);
    this.onLost(why);
  }

  private failPending(why: string): void {
    for (const pending of this.pending.values()) pending.reject(new HistoryThreadError(why, 0));
    this.pending.clear();
  }
}

const fromSources = import.meta.url.endsWith('.ts');

/** history-worker beside this file: .js when built, .ts when run from the sources. */
function workerScript(): URL {
  return new URL(`./history-worker${fromSources ? '.ts' : '.js'}`, import.meta.url);
}
