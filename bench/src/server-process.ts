// A server under test, pinned to its core, from start to a clean stop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Contender } from './contenders.js';
import { stopChild } from './proc.js';

export interface FeedSettings {
  readonly universeFile: string;
  readonly tickRate: number;
  readonly flushIntervalMs: number;
  readonly seed: number;
}

export interface StartOptions {
  /** Added to the environment: ROLE and REDIS_URL for a scaled-out deployment's processes. */
  readonly env?: Readonly<Record<string, string>>;
  /** Names the process in errors, e.g. "ticker-gw2 gateway 1"; the contender's name by default. */
  readonly label?: string;
  readonly timeoutMs?: number;
  /** Flags for node itself, before the script (e.g. V8 heap sizes). */
  readonly nodeFlags?: readonly string[];
}

export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly port: number,
    private readonly contender: Contender,
  ) {}

  /**
   * Spawns the contender on `core` with PORT=0, so it binds a free port itself (no race with a
   * port probed beforehand), and resolves once it prints the port it listens on.
   */
  static async start(
    contender: Contender,
    settings: FeedSettings,
    core: number | null,
    options: StartOptions = {},
  ): Promise<ServerProcess> {
    const { timeoutMs = 30_000, label = contender.name } = options;
    const command = [process.execPath, ...(options.nodeFlags ?? []), contender.script];
    const pinned = core === null ? command : ['taskset', '-c', String(core), ...command];
    const child = spawn(pinned[0] as string, pinned.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: '0',
        UNIVERSE_FILE: settings.universeFile,
        TICK_RATE: String(settings.tickRate),
        FLUSH_INTERVAL_MS: String(settings.flushIntervalMs),
        SEED: String(settings.seed),
        LOG_LEVEL: 'warn',
        // The load generator's thousands of connections all come from 127.0.0.1.
        MAX_CONNECTIONS_PER_IP: '1000000',
        ...options.env,
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const lines = createInterface({ input: child.stdout });
    const listening = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${label} did not listen within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      lines.on('line', (line) => {
        // Peers print "<name> listening on PORT"; the feed server "Ticker is live at
        // http://HOST:PORT/" (also as a gateway), and as a source "... (health: http://HOST:PORT/readyz)".
        const port = /(?:listening on |live at http:\/\/[^/]+:|health: http:\/\/[^/]+:)(\d+)/.exec(
          line,
        )?.[1];
        if (port === undefined) return;
        clearTimeout(timer);
        resolve(Number(port));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited with ${String(code)} before listening: ${stderr}`));
      });
    });
    let port: number;
    try {
      port = await listening;
    } catch (error) {
      // Never leave a server behind that did not come up in time.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error;
    }
    if (child.pid === undefined) throw new Error(`${label} has no pid`);
    return new ServerProcess(child, child.pid, port, contender);
  }

  /** Starts a peer's feed; the feed server's runs from the start. */
  startFeed(): void {
    if (this.contender.startsOnSignal) this.child.stdin?.write('start\n');
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs = 5_000): Promise<void> {
    return stopChild(this.child, graceMs);
  }
}
