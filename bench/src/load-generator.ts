// The C load generator (loadgen/loadgen.c): compiled on first use with the system compiler,
// pinned to the other core, driven by lines on its stdin, answering JSON lines on its stdout.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { WireMode } from './contenders.js';
import { benchDir } from './paths.js';

const source = join(benchDir, 'loadgen', 'loadgen.c');
const binary = join(benchDir, 'dist', 'loadgen');

/** Builds the load generator if it is missing or older than its source; returns its path. */
export function buildLoadGenerator(): string {
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(dirname(binary), { recursive: true });
  try {
    execFileSync('cc', ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-o', binary, source], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(
      `bench: could not compile the load generator with \`cc\` (on Debian: apt-get install gcc): ${detail}`,
      { cause: error },
    );
  }
  return binary;
}

export function compilerVersion(): string {
  return execFileSync('cc', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? 'unknown';
}

export interface LoadOptions {
  /** The server's port, or a scaled-out deployment's gateways': client k connects to the (k mod n)-th. */
  readonly ports: readonly number[];
  readonly mode: WireMode;
  readonly clients: number;
  readonly symbols: number;
  /** Symbols each client holds in the chart view (0 with quotes only). */
  readonly perClient: number;
  /** Further symbols each client holds in the quote view (ticker mode; needs a server with views). */
  readonly quotesPerClient?: number;
  /** Send the chart symbols as a view subscribe (view 0) instead of the plain subscribe. */
  readonly chartView?: boolean;
  /** Bind client k to 127.1.0.1 + (k mod n), so per-address limits see n addresses. */
  readonly sourceAddresses?: number;
  /** Handshakes in flight at once (the load generator's default is 256). */
  readonly connectConcurrency?: number;
  /** How long the load generator waits for every client to be ready before failing the run. */
  readonly readyTimeoutS?: number;
  readonly idle?: boolean;
}

/** p50, p99 and max of a per-client duration, in ms. */
export interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The "ready" event: every client connected and holding all its snapshots. */
export interface ReadyEvent {
  readonly clients: number;
  /** From the load generator's start until the last client was ready. */
  readonly connectMs: number;
  /** Per client, from the run's first connect() to the moment it held every snapshot. */
  readonly readyMs: Spread;
  /** Per client, from its connect() to the upgrade's 101: slow ones waited for a SYN retransmit. */
  readonly handshakeMs: Spread;
  /** Handshakes that took at least 1 s, the kernel's first SYN retransmission timeout. */
  readonly slowHandshakes: number;
  /** Everything read until then, and the snapshots (both views) among it, framing included. */
  readonly bytes: number;
  readonly snapshots: number;
  readonly snapshotBytes: number;
}

export interface WindowResult {
  readonly windowMs: number;
  readonly clients: number;
  readonly ticks: number;
  readonly frames: number;
  readonly bytes: number;
  readonly gaps: number;
  readonly outOfOrder: number;
  readonly resyncs: number;
  readonly unexpected: number;
  readonly disconnects: number;
  readonly serverErrors: number;
  readonly clockAnomalies: number;
  /** Snapshots (both views) in the window: resyncs, once every client is ready. */
  readonly snapshots: number;
  readonly snapshotBytes: number;
  /** Quotes (quote view), and their bytes with framing. */
  readonly quotes: number;
  readonly quoteBytes: number;
  readonly latencyMs: { p50: number; p99: number; p999: number; max: number };
  readonly cpuMs: number;
  readonly cpuShare: number;
}

type LoadEvent =
  | ({ event: 'ready' } & ReadyEvent)
  | ({ event: 'result' } & WindowResult)
  | { event: 'error'; message: string };

/** The command line for `options`: what `LoadGenerator.start` runs, minus the binary. */
export function loadGeneratorArgs(options: LoadOptions): string[] {
  const flag = (name: string, value: number | undefined): string[] =>
    value === undefined ? [] : [name, String(value)];
  return [
    '--port',
    options.ports.join(','),
    '--mode',
    options.mode,
    '--clients',
    String(options.clients),
    '--symbols',
    String(options.symbols),
    '--per-client',
    String(options.perClient),
    ...(options.quotesPerClient ? ['--quotes-per-client', String(options.quotesPerClient)] : []),
    ...(options.chartView === true ? ['--chart-view'] : []),
    ...flag('--source-addresses', options.sourceAddresses),
    ...flag('--connect-concurrency', options.connectConcurrency),
    ...flag('--ready-timeout-s', options.readyTimeoutS),
    ...(options.idle === true ? ['--idle'] : []),
  ];
}

export class LoadGenerator {
  private readonly waiting: ((event: LoadEvent) => void)[] = [];
  private failure: Error | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let event: LoadEvent;
      try {
        event = JSON.parse(line) as LoadEvent;
      } catch {
        return; // not ours to read
      }
      if (event.event === 'error') this.fail(new Error(`load generator: ${event.message}`));
      else this.waiting.shift()?.(event);
    });
    // A command written after the process died fails with EPIPE; its exit already says why.
    child.stdin?.on('error', () => undefined);
    child.once('exit', (code, signal) => {
      this.fail(new Error(`load generator exited (${String(code ?? signal)})`));
    });
  }

  static start(options: LoadOptions, core: number | null): LoadGenerator {
    const args = loadGeneratorArgs(options);
    const command =
      core === null ? [binary, ...args] : ['taskset', '-c', String(core), binary, ...args];
    const child = spawn(command[0] as string, command.slice(1), {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (child.pid === undefined) throw new Error('load generator did not start');
    return new LoadGenerator(child, child.pid);
  }

  /** Resolves once every client is connected (and holds its snapshots, unless idle). */
  async ready(timeoutMs: number): Promise<ReadyEvent> {
    const event = await this.next(timeoutMs);
    if (event.event !== 'ready')
      throw new Error(`load generator: expected ready, got ${event.event}`);
    return event;
  }

  go(): void {
    this.child.stdin?.write('go\n');
  }

  async stop(timeoutMs = 10_000): Promise<WindowResult> {
    const result = this.next(timeoutMs);
    this.child.stdin?.write('stop\n');
    const event = await result;
    if (event.event !== 'result')
      throw new Error(`load generator: expected result, got ${event.event}`);
    return event;
  }

  /** Closes every connection and waits for the process to end. */
  async exit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin?.end('exit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private next(timeoutMs: number): Promise<LoadEvent> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(settle), 1);
        reject(new Error(`load generator: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (event: LoadEvent): void => {
        clearTimeout(timer);
        if (this.failure) reject(this.failure);
        else resolve(event);
      };
      this.waiting.push(settle);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const settle of this.waiting.splice(0)) settle({ event: 'error', message: error.message });
  }
}
