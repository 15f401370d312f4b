import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedServer } from '../src/transport/feed-server.js';
import { startServer } from './harness.js';
import { RedisServer } from './redis-server.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the SIGTERM (when `until` matched) to the exit. */
  stopMs: number;
}

/** Runs main.ts until it exits, or until `until` matches stdout (then stops it with SIGTERM). */
function runMain(env: Record<string, string>, until?: RegExp, args: string[] = []): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, AUTH_SECRET: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalledAt = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (until?.test(stdout) && signalledAt === 0) {
      signalledAt = Date.now();
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, stopMs: signalledAt === 0 ? 0 : Date.now() - signalledAt });
    });
  });
}

interface Launched {
  /** The line printed once it serves. */
  readonly line: Promise<string>;
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts main.ts for as long as the test needs it (stopped with SIGTERM afterwards). */
function launch(env: Record<string, string>): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      AUTH_SECRET: '',
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  const line = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.trim());
    });
    void exited.then((code) => {
      reject(new Error(`exited with ${code} before printing its line`));
    });
  });
  const launched = {
    line,
    exited,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
  running.push(launched);
  return launched;
}

let occupied: FeedServer | null = null;
const running: Launched[] = [];
let redis: RedisServer | null = null;
afterEach(async () => {
  await occupied?.close();
  occupied = null;
  await Promise.all(running.splice(0).map((process) => process.stop()));
  await redis?.kill();
  redis = null;
});

const portIn = (line: string): number => Number(/:(\d+)\//.exec(line)?.[1]);

async function readyz(port: number): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, text: await response.text() };
}

const WAIT = { timeout: 20_000, interval: 50 };

describe('main', () => {
  it('prints the URL once listening and exits 0 within 5 s of SIGTERM', async () => {
    const run = await runMain({ PORT: '0', HOST: '127.0.0.1' }, /live at/);
    expect(run.stdout).toMatch(
      /^Ticker is live at http:\/\/127\.0\.0\.1:\d+\/ \(feed: ws:\/\/127\.0\.0\.1:\d+\/ws\)\n$/,
    );
    expect(run.code).toBe(0);
    expect(run.stopMs).toBeLessThan(5_000);
  });

  it('exits 2 with one line naming a bad variable', async () => {
    const run = await runMain({ PORT: 'eighty' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'feed-server: invalid configuration: PORT (--port) must be an integer from 0 to 65535 (got "eighty")\n',
    );
  });

  it('prints --help on stdout and exits 0 without starting', async () => {
    const run = await runMain({}, undefined, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: ticker-feed-server \[options\]/);
    expect(run.stdout).toContain('--tick-rate');
  });

  it('exits 2 naming an unknown flag', async () => {
    const run = await runMain({}, undefined, ['--tickrate', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'feed-server: invalid configuration: unknown option "--tickrate"; see --help\n',
    );
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const started = await startServer();
    occupied = started.server;
    const run = await runMain({ PORT: String(started.port), HOST: '127.0.0.1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`could not listen on 127.0.0.1 port ${started.port}`);
  });

  it.each([
    ['ROLE', 'edge', 'ROLE (--role) must be one of all, source, gateway (got "edge")'],
    [
      'REDIS_URL',
      'http://user:hunter2@cache:6379',
      'REDIS_URL (--redis-url) must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (got "http://user:***@cache:6379")',
    ],
  ])('exits 2 naming a bad %s', async (name, value, message) => {
    const run = await runMain({ [name]: value });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`feed-server: invalid configuration: ${message}\n`);
  });

  it('runs a source and a gateway that ride out a Redis restart without exiting', async () => {
    redis = await RedisServer.start();
    const source = launch({ ROLE: 'source', REDIS_URL: redis.url });
    const gateway = launch({ ROLE: 'gateway', REDIS_URL: redis.url });
    expect(await source.line).toMatch(
      new RegExp(
        `^Ticker market source is publishing to ${redis.url} \\(health: http://127\\.0\\.0\\.1:\\d+/readyz\\)$`,
      ),
    );
    expect(await gateway.line).toMatch(
      new RegExp(
        `^Ticker is live at http://127\\.0\\.0\\.1:\\d+/ \\(feed: ws://127\\.0\\.0\\.1:\\d+/ws\\), fed from ${redis.url}$`,
      ),
    );
    const ports = [portIn(await source.line), portIn(await gateway.line)];
    for (const port of ports) {
      await vi.waitFor(async () => {
        expect(await readyz(port)).toEqual({ status: 200, text: 'ready\n' });
      }, WAIT);
    }

    await redis.kill();
    for (const port of ports) {
      await vi.waitFor(async () => {
        expect(await readyz(port)).toEqual({
          status: 503,
          text: `not ready: Redis unreachable at ${redis?.url}\n`,
        });
      }, WAIT);
    }
    await redis.restart();
    for (const port of ports) {
      await vi.waitFor(async () => {
        expect(await readyz(port)).toEqual({ status: 200, text: 'ready\n' });
      }, WAIT);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${ports[1]}/metrics`)).text();
    expect(metrics).toMatch(/^ticker_broker_connected 1$/m);
    expect(metrics).toMatch(/^ticker_broker_disconnects_total [1-9]/m);
    // Both went through it without exiting, and still stop cleanly.
    expect(await source.stop()).toBe(0);
    expect(await gateway.stop()).toBe(0);
  });

  it('exits 1 when another process already listens on the port (no silent port sharing)', async () => {
    // Both on an explicit port: that is when uSockets would otherwise share it (SO_REUSEPORT).
    const probe = launch({});
    const port = portIn(await probe.line);
    await probe.stop();
    const first = launch({ PORT: String(port) });
    expect(portIn(await first.line)).toBe(port);
    const run = await runMain({ PORT: String(port), HOST: '127.0.0.1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`could not listen on 127.0.0.1 port ${port}`);
  });

  it('refuses to run on the slow JavaScript fallback of uWebSockets.js', async () => {
    const run = await runMain({ PORT: '0', UWS_USE_FALLBACK: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('uWebSockets.js did not load its native binary');
  });
});
