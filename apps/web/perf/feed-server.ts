import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built server, exactly as `npm start` runs it; `npm run perf` builds it first. */
const SERVER_MAIN = fileURLToPath(new URL('../../feed-server/dist/main.js', import.meta.url));

export interface RunningFeedServer {
  /** The dashboard's address, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts the built feed server on a free port with the given simulated tick rate and resolves
 * once it prints its "live at" line (the same handshake as e2e/global-setup.ts).
 */
export async function startFeedServer(tickRate: number): Promise<RunningFeedServer> {
  const server = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TICK_RATE: String(tickRate),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) =>
    server.once('exit', () => {
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`feed server did not start in 30 s (${SERVER_MAIN}): ${output}`));
    }, 30_000);
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /live at (http:\/\/\S+\/)/.exec(output);
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
    async stop() {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
      await exited;
    },
  };
}

/** The counters of the server's /metrics that the report uses. */
export interface ServerCounters {
  /** performance.now() in this process when scraped. */
  readonly at: number;
  readonly ticksGenerated: number;
  readonly bytesPublished: number;
  readonly slowConsumerPauses: number;
  readonly connections: number;
}

const COUNTERS = {
  ticksGenerated: 'ticker_ticks_generated_total',
  bytesPublished: 'ticker_bytes_published_total',
  slowConsumerPauses: 'ticker_slow_consumer_pauses_total',
  connections: 'ticker_connections',
} as const;

/** Scrapes /metrics (Prometheus text) and picks the unlabelled counters above. */
export async function readServerCounters(url: string): Promise<ServerCounters> {
  const response = await fetch(new URL('metrics', url));
  if (!response.ok) throw new Error(`GET ${url}metrics answered ${response.status}`);
  const text = await response.text();
  const at = performance.now();
  const value = (name: string): number => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`/metrics has no ${name}`);
    return Number(match[1]);
  };
  return {
    at,
    ticksGenerated: value(COUNTERS.ticksGenerated),
    bytesPublished: value(COUNTERS.bytesPublished),
    slowConsumerPauses: value(COUNTERS.slowConsumerPauses),
    connections: value(COUNTERS.connections),
  };
}
