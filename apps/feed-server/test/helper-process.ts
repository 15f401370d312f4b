import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { within } from './hostile-harness.js';

/*
 * The stress tests' measuring helpers, each in a process of its own so that what they time is
 * the server and not a busy test process: test/bystander.ts and test/health-probe.ts.
 */

export interface HealthProbe {
  /** Stops probing; resolves with the slowest answer, the 99th percentile and how many failed. */
  stop(): Promise<{ slowestMs: number; p99Ms: number; failures: number; probes: number }>;
}

/**
 * One of the test's helper scripts in a process of its own, so that its timings are the
 * server's, not those of this busy test process: it reports one JSON line when told to stop.
 */
export function helper<T>(
  name: string,
  args: readonly string[],
): { ready: Promise<void>; stop(): Promise<T> } {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => {
      resolve();
    });
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) resolve();
    });
  });
  return {
    ready: within(ready, 20_000, `${name} to be ready`),
    async stop() {
      child.stdin.end();
      await within(exited, 10_000, `${name} to report`);
      return JSON.parse(output.replace(/^ready\n/, '')) as T;
    },
  };
}

/** GET /healthz every 100 ms (test/health-probe.ts). */
export function probeHealth(port: number): HealthProbe {
  return helper('health-probe', [`http://127.0.0.1:${port}/healthz`, '100']);
}

/** A well-behaved client of the first `symbols` symbol ids (test/bystander.ts). */
export function watchBystander(
  url: string,
  symbols: number,
): { ready: Promise<void>; stop(): Promise<BystanderReport> } {
  const ids = Array.from({ length: symbols }, (_, i) => i + 1);
  return helper<BystanderReport>('bystander', [url, ids.join(',')]);
}

export interface BystanderReport {
  readonly problems: string[];
  readonly maxLagMs: number;
  readonly longestSilenceMs: number;
}
