// The Redis of a scale-out run: the harness's own redis-server on a free loopback port, fresh for
// every run and stopped after it, so a run never sees another's stream and never touches a
// shared instance (6379 is only ever skipped: the port is one the kernel just handed out).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { stopChild } from './proc.js';

/** Ports tried: another process may take the probed port before redis-server binds it. */
const MAX_TRIES = 3;

/** A port the kernel considers free on 127.0.0.1 right now. */
async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no loopback port');
  return address.port;
}

/**
 * The arguments of a throwaway broker: loopback only, no persistence (`--save ''`, no AOF, so
 * nothing is written to `dir`), and no background saves to disturb the CPU figures.
 */
export function redisArguments(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'notice',
  ];
}

export class RedisServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server on `core` (when pinning) and resolves once it accepts connections. */
  static async start(dir: string, core: number | null, timeoutMs = 10_000): Promise<RedisServer> {
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const port = await freeLoopbackPort();
      try {
        return await RedisServer.startOn(port, dir, core, timeoutMs);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  private static async startOn(
    port: number,
    dir: string,
    core: number | null,
    timeoutMs: number,
  ): Promise<RedisServer> {
    const command = ['redis-server', ...redisArguments(port, dir)];
    const pinned = core === null ? command : ['taskset', '-c', String(core), ...command];
    const child = spawn(pinned[0] as string, pinned.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`redis-server did not start within ${timeoutMs} ms: ${output}`));
      }, timeoutMs);
      const read = (line: string): void => {
        output = `${output}${line}\n`.slice(-2000);
        if (!line.includes('Ready to accept connections')) return;
        clearTimeout(timer);
        resolve();
      };
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', read);
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', read);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new Error(
            `could not run redis-server (on Debian: apt-get install redis-server): ${error.message}`,
          ),
        );
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${String(code)} on port ${port}: ${output}`));
      });
    });
    try {
      await ready;
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error;
    }
    if (child.pid === undefined) throw new Error('redis-server has no pid');
    return new RedisServer(child, child.pid, port);
  }

  /** SIGTERM (redis-server shuts down without saving: persistence is off), then SIGKILL. */
  stop(graceMs = 5_000): Promise<void> {
    return stopChild(this.child, graceMs);
  }
}
