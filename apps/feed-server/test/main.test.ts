import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedServer } from '../src/transport/feed-server.js';
import { startServer } from './harness.js';

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
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
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

let occupied: FeedServer | null = null;
afterEach(async () => {
  await occupied?.close();
  occupied = null;
});

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

  it('refuses to run on the slow JavaScript fallback of uWebSockets.js', async () => {
    const run = await runMain({ PORT: '0', UWS_USE_FALLBACK: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('uWebSockets.js did not load its native binary');
  });
});
