// What the load generator is pointed at: one server process, or the feed server scaled out (one
// `source`, the harness's own redis-server, N `gateway`s), each process pinned, all started fresh
// for a run and stopped after it, whatever happened in between.
import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Contender } from './contenders.js';
import { RedisServer } from './redis-server.js';
import { ServerProcess } from './server-process.js';
import type { FeedSettings } from './server-process.js';

/** The core of the server under test (or of a whole scaled-out deployment on two cores). */
export const SERVER_CORE = 0;
/** The load generator's core, which nothing else of a run is placed on. */
export const LOAD_CORE = 1;

export type ProcessRole = 'server' | 'gateway' | 'source' | 'redis';

/** The cores a scaled-out deployment's processes are pinned to; null: unpinned. */
export interface Placement {
  readonly source: number | null;
  readonly redis: number | null;
  readonly gateways: readonly (number | null)[];
  readonly load: number | null;
}

/**
 * Where a scaled-out deployment runs on a machine of `cores` cores. The load generator keeps
 * LOAD_CORE to itself, as in every run, so its 70% validity limit means the same thing. The
 * source and redis-server share SERVER_CORE, where the single-process `ticker` runs: their work is
 * per flush, not per client, so it stays small. The gateways, which do the per-client work, go
 * round-robin over the other cores, SERVER_CORE last; on two cores that is SERVER_CORE for every
 * process, so the deployment gets the same one core as `ticker` and the run shows what splitting
 * costs, not how far it scales.
 */
export function placeScaleOut(cores: number, gateways: number): Placement {
  const others = Array.from({ length: Math.max(0, cores) }, (_, core) => core).filter(
    (core) => core !== SERVER_CORE && core !== LOAD_CORE,
  );
  const gatewayCores = [...others, SERVER_CORE];
  return {
    source: SERVER_CORE,
    redis: SERVER_CORE,
    gateways: Array.from(
      { length: gateways },
      (_, i) => gatewayCores[i % gatewayCores.length] as number,
    ),
    load: LOAD_CORE,
  };
}

const unpinned = (gateways: number): Placement => ({
  source: null,
  redis: null,
  gateways: Array.from({ length: gateways }, () => null),
  load: null,
});

export interface Deployment {
  /** Where clients connect; the load generator spreads them evenly over these. */
  readonly ports: readonly number[];
  /** Every process whose CPU the run accounts to the server side. */
  readonly processes: readonly { readonly role: ProcessRole; readonly pid: number }[];
  /** Scale-out deployments only: where each process was pinned. */
  readonly placement: Placement | null;
  startFeed(): void;
  /** Stops every process, clients' side first: gateways, then the source, then Redis. */
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  readonly settings: FeedSettings;
  /** More environment for a single server process (e.g. MAX_UPGRADES_PER_SECOND); scale-out takes none. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long a single server process may take to listen (a warm-up simulates first). */
  readonly startTimeoutMs?: number;
  /** Pin processes to cores (needs taskset and two cores). */
  readonly pin: boolean;
  readonly cores: number;
  /** Where redis-server may put its files (it writes none: persistence is off). */
  readonly scratchDir: string;
  /** How long gateways may take to become ready (/readyz 200) once they listen. */
  readonly readyTimeoutMs: number;
}

/** Starts the contender: one process, or a source, Redis and its gateways. */
export async function startDeployment(
  contender: Contender,
  options: DeploymentOptions,
): Promise<Deployment> {
  if (contender.gateways === undefined) {
    const server = await ServerProcess.start(
      contender,
      options.settings,
      options.pin ? SERVER_CORE : null,
      {
        ...(options.env ? { env: options.env } : {}),
        ...(options.startTimeoutMs === undefined ? {} : { timeoutMs: options.startTimeoutMs }),
      },
    );
    return {
      ports: [server.port],
      processes: [{ role: 'server', pid: server.pid }],
      placement: null,
      startFeed: () => {
        server.startFeed();
      },
      stop: () => server.stop(),
    };
  }
  return startScaleOut(contender, contender.gateways, options);
}

async function startScaleOut(
  contender: Contender,
  count: number,
  options: DeploymentOptions,
): Promise<Deployment> {
  const placement = options.pin ? placeScaleOut(options.cores, count) : unpinned(count);
  // In start order; stopped in reverse, also when a later one fails to start.
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const running of started.splice(0).reverse()) await running.stop();
  };
  try {
    const redis = await RedisServer.start(options.scratchDir, placement.redis);
    started.push(redis);
    const role = (ROLE: 'source' | 'gateway') => ({ ROLE, REDIS_URL: redis.url });
    const source = await ServerProcess.start(contender, options.settings, placement.source, {
      env: role('source'),
      label: `${contender.name} source`,
    });
    started.push(source);
    const gateways: ServerProcess[] = [];
    for (const [i, core] of placement.gateways.entries()) {
      const gateway = await ServerProcess.start(contender, options.settings, core, {
        env: role('gateway'),
        label: `${contender.name} gateway ${i + 1}`,
      });
      started.push(gateway);
      gateways.push(gateway);
    }
    await Promise.all(
      gateways.map((gateway, i) =>
        untilReady(gateway.port, options.readyTimeoutMs, `${contender.name} gateway ${i + 1}`),
      ),
    );
    return {
      ports: gateways.map((gateway) => gateway.port),
      processes: [
        ...gateways.map((gateway) => ({ role: 'gateway' as const, pid: gateway.pid })),
        { role: 'source', pid: source.pid },
        { role: 'redis', pid: redis.pid },
      ],
      placement,
      startFeed: () => undefined, // the source simulates from its start, as users run it
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** GET /readyz on 127.0.0.1:`port`: its status and body (or the request's error). */
function readyz(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    // A fresh connection each time (no agent), so none stays open into the measured window.
    const request = get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 1_000 });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: body.trim() });
      });
    });
    request.on('timeout', () => {
      request.destroy(new Error('no answer within 1 s'));
    });
    request.on('error', (error) => {
      resolve({ status: 0, body: error.message });
    });
  });
}

/** Polls a gateway's /readyz until it answers 200: it follows the source and every symbol is restored. */
async function untilReady(port: number, timeoutMs: number, label: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = { status: 0, body: 'not asked yet' };
  while (performance.now() < deadline) {
    last = await readyz(port);
    if (last.status === 200) return;
    await delay(100);
  }
  throw new Error(
    `${label} was not ready within ${timeoutMs} ms (last /readyz: ${last.status} ${last.body})`,
  );
}
