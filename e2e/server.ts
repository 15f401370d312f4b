import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** What each role prints once it serves: the dashboard's URL, or the source's health URL. */
const LIVE = /live at (http:\/\/\S+\/)/;
const PUBLISHING = /is publishing to \S+ \(health: (http:\/\/\S+)\)/;

/**
 * Starts the feed server exactly as `npm start` runs it (built main.js, built dashboard) and
 * resolves with its URL once it logs that it is live. `env` adds or overrides settings; with
 * `ROLE: 'gateway'` it is a gateway of a scaled-out deployment.
 */
export function startFeedServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return startRole(env, LIVE);
}

/** Starts a scaled-out deployment's market source (ROLE=source) publishing to `redisUrl`. */
export function startMarketSource(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  return startRole({ ROLE: 'source', REDIS_URL: redisUrl, ...env }, PUBLISHING);
}

/** Resolves with the URL of the process's announcement once it prints it. */
async function startRole(
  env: Record<string, string>,
  announcement: RegExp,
): Promise<RunningServer> {
  const require = createRequire(import.meta.url);
  const main = join(
    dirname(require.resolve('@ticker/feed-server/package.json')),
    'dist',
    'main.js',
  );
  const server = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      AUTH_SECRET: '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    server.once('exit', () => {
      resolve();
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`feed server did not start in 30 s: ${output}`));
    }, 30_000);
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = announcement.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`feed server exited with ${String(code)} before listening: ${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (server.exitCode === null) server.kill('SIGTERM');
      await exited;
    },
  };
}

/** How often, and how long at most, `untilReady` asks a server whether it is ready. */
const READY_POLL_MS = 100;
const READY_WITHIN_MS = 30_000;

/**
 * Resolves once the server at `url` answers /readyz with 200: a gateway logs that it listens
 * before it holds the whole market (it replays the stream, then waits for every symbol's
 * snapshot), and until then it tells its clients the data is delayed.
 */
export async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('readyz', url));
      if (response.ok) return;
      last = `${String(response.status)} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`${url} was not ready within ${String(READY_WITHIN_MS / 1_000)} s: ${last}`);
}
