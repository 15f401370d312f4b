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
  readonly perClient: number;
  readonly idle?: boolean;
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
  readonly latencyMs: { p50: number; p99: number; p999: number; max: number };
  readonly cpuMs: number;
  readonly cpuShare: number;
}

type LoadEvent =
  | { event: 'ready'; clients: number; connectMs: number }
  | ({ event: 'result' } & WindowResult)
  | { event: 'error'; message: string };

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
    child.once('exit', (code, signal) => {
      this.fail(new Error(`load generator exited (${String(code ?? signal)})`));
    });
  }

  static start(options: LoadOptions, core: number | null): LoadGenerator {
    const args = [
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
      ...(options.idle === true ? ['--idle'] : []),
    ];
    const command =
      core === null ? [binary, ...args] : ['taskset', '-c', String(core), binary, ...args];
    const child = spawn(command[0] as string, command.slice(1), {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (child.pid === undefined) throw new Error('load generator did not start');
    return new LoadGenerator(child, child.pid);
  }

  /** Resolves once every client is connected (and subscribed, unless idle). */
  async ready(timeoutMs: number): Promise<{ connectMs: number }> {
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
