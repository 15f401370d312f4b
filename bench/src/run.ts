// One measurement at a time, each on a quiet machine: the server under test alone on core 0,
// the load generator on core 1, the kernel's CPU accounting around a fixed window. A scaled-out
// deployment's processes are placed by placeScaleOut (deployment.ts) and their CPU summed.
import { setTimeout as delay } from 'node:timers/promises';
import { findContender, isScaleOut } from './contenders.js';
import type { Contender } from './contenders.js';
import { LOAD_CORE, startDeployment } from './deployment.js';
import type { Deployment, Placement, ProcessRole } from './deployment.js';
import { LoadGenerator } from './load-generator.js';
import type { WindowResult } from './load-generator.js';
import type { BenchPlan } from './plan.js';
import { CpuWindow, processRssBytes } from './proc.js';
import { SYMBOL_COUNT } from './universe.js';

export { LOAD_CORE, SERVER_CORE } from './deployment.js';
/** Above this share of its core the load generator may be what limits the figures. */
export const LOAD_GENERATOR_LIMIT = 0.7;
/** Above this share of a core used by anything else, a run is repeated. */
export const OTHERS_LIMIT = 0.1;

export type Verdict = 'valid' | 'noisy' | 'load generator saturated';

export interface RunRecord {
  readonly contender: string;
  readonly clients: number;
  readonly tickRate: number;
  /** Symbols each client held as quotes (the viewers scenario); absent: none. */
  readonly quotesPerClient?: number;
  /** Symbols each client held as charts, when not the plan's symbolsPerClient (viewers). */
  readonly chartsPerClient?: number;
  readonly repeat: number;
  readonly attempt: number;
  readonly verdict: Verdict;
  readonly windowMs: number;
  /** Ticks the clients would receive if every subscribed tick arrived. */
  readonly offeredTicksPerSecond: number;
  readonly deliveredTicksPerSecond: number;
  readonly framesPerSecond: number;
  /** Of one core; for a scaled-out deployment, all its processes together. */
  readonly serverCpuShare: number;
  /** Scale-out runs only: serverCpuShare by role, the gateways summed. */
  readonly cpuByRole?: ScaleOutCpu;
  /** Scale-out runs only: the cores each process was pinned to. */
  readonly placement?: Placement;
  /** Of the server's CPU time, the part the kernel spent on its behalf (socket writes). */
  readonly serverKernelShare: number;
  readonly serverCpuNsPerTick: number;
  readonly ticksPerServerCpuSecond: number;
  readonly latencyMs: WindowResult['latencyMs'];
  readonly bytesPerTick: number;
  /** Everything the clients read, per second; quotes among it. */
  readonly bytesPerSecond?: number;
  readonly quotesPerSecond?: number;
  /** Missing sequence numbers: batches for binary servers, ticks for per-tick ones. */
  readonly lost: number;
  readonly outOfOrder: number;
  readonly resyncs: number;
  readonly disconnects: number;
  readonly serverErrors: number;
  /** For a scaled-out deployment, all its processes together. */
  readonly serverRssBytes: number;
  readonly loadGeneratorCpuShare: number;
  readonly othersCpuShare: number;
  readonly connectMs: number;
}

/** Shares of one core used by a scaled-out deployment's parts during the window. */
export interface ScaleOutCpu {
  readonly gateways: number;
  readonly source: number;
  readonly redis: number;
}

export interface IdleRecord {
  readonly contender: string;
  readonly clients: number;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  readonly bytesPerConnection: number;
  readonly connectMs: number;
}

export interface RunContext {
  readonly plan: BenchPlan;
  readonly universeFile: string;
  /** Where a scale-out run's redis-server may put files (it writes none). */
  readonly scratchDir: string;
  /** Pin server and load generator to separate cores (needs taskset and two cores). */
  readonly pin: boolean;
  /** Cores of the machine, for placing a scaled-out deployment's processes. */
  readonly cores: number;
  readonly log: (line: string) => void;
}

export function contenderNamed(name: string): Contender {
  const contender = findContender(name);
  if (!contender) throw new Error(`unknown server "${name}"`);
  return contender;
}

/** Every scenario for every server, repeated; servers interleave so drift hits them alike. */
export async function runScenarios(context: RunContext): Promise<RunRecord[]> {
  const { plan, log } = context;
  const records: RunRecord[] = [];
  const total = plan.tickRates.length * plan.clients.length * plan.repeats * plan.contenders.length;
  for (const tickRate of plan.tickRates) {
    for (const clients of plan.clients) {
      for (let repeat = 1; repeat <= plan.repeats; repeat++) {
        for (const name of plan.contenders) {
          const contender = contenderNamed(name);
          for (let attempt = 1; ; attempt++) {
            const record = await runOnce(context, contender, clients, tickRate, repeat, attempt);
            log(`[${records.length + 1}/${total}] ${describe(record)}`);
            if (record.verdict !== 'noisy' || attempt >= plan.maxAttempts) {
              records.push(record);
              break;
            }
          }
        }
      }
    }
  }
  return records;
}

/** What each client subscribes to: charts (the plan's symbolsPerClient by default) and quotes. */
export interface LoadShape {
  readonly charts: number;
  readonly quotes: number;
}

/**
 * One measured window: the server started fresh, `clients` connected and subscribed (`shape`),
 * the feed started, a warm-up, then the kernel's CPU accounting around the window.
 */
export async function runOnce(
  context: RunContext,
  contender: Contender,
  clients: number,
  tickRate: number,
  repeat: number,
  attempt: number,
  shape: LoadShape = { charts: context.plan.symbolsPerClient, quotes: 0 },
): Promise<RunRecord> {
  const { plan } = context;
  const server = await startServer(context, contender, tickRate);
  let load: LoadGenerator | null = null;
  try {
    load = startLoad(context, contender, server.ports, clients, false, shape);
    const { connectMs } = await load.ready(plan.readyTimeoutMs + READY_GRACE_MS);
    server.startFeed();
    await delay(plan.warmUpMs);
    const pids = server.processes.map((p) => p.pid);
    const cpu = new CpuWindow([...pids, load.pid]);
    load.go();
    await delay(plan.windowMs);
    const window = cpu.end();
    const serverRssBytes = pids.reduce((sum, pid) => sum + processRssBytes(pid), 0);
    const result = await load.stop();
    const cpuOf = (role?: ProcessRole): { user: number; kernel: number } =>
      server.processes
        .filter((p) => role === undefined || p.role === role)
        .map((p) => window.processMs.get(p.pid) ?? { user: 0, kernel: 0 })
        .reduce((a, b) => ({ user: a.user + b.user, kernel: a.kernel + b.kernel }), {
          user: 0,
          kernel: 0,
        });
    const shareOf = (role: ProcessRole): number => {
      const { user, kernel } = cpuOf(role);
      return (user + kernel) / window.elapsedMs;
    };
    const serverCpu = cpuOf();
    const serverCpuMs = serverCpu.user + serverCpu.kernel;
    const seconds = result.windowMs / 1000;
    const verdict: Verdict =
      result.cpuShare > LOAD_GENERATOR_LIMIT
        ? 'load generator saturated'
        : window.othersShare > OTHERS_LIMIT
          ? 'noisy'
          : 'valid';
    const custom = shape.quotes > 0 || shape.charts !== plan.symbolsPerClient;
    return {
      contender: contender.name,
      clients,
      tickRate,
      ...(custom ? { quotesPerClient: shape.quotes, chartsPerClient: shape.charts } : {}),
      repeat,
      attempt,
      verdict,
      windowMs: result.windowMs,
      offeredTicksPerSecond: (tickRate * shape.charts * clients) / SYMBOL_COUNT,
      deliveredTicksPerSecond: result.ticks / seconds,
      framesPerSecond: result.frames / seconds,
      serverCpuShare: serverCpuMs / window.elapsedMs,
      ...(server.placement === null
        ? {}
        : {
            cpuByRole: {
              gateways: shareOf('gateway'),
              source: shareOf('source'),
              redis: shareOf('redis'),
            },
            placement: server.placement,
          }),
      serverKernelShare: serverCpuMs > 0 ? serverCpu.kernel / serverCpuMs : 0,
      serverCpuNsPerTick: result.ticks > 0 ? (serverCpuMs * 1e6) / result.ticks : Infinity,
      ticksPerServerCpuSecond: serverCpuMs > 0 ? result.ticks / (serverCpuMs / 1000) : 0,
      latencyMs: result.latencyMs,
      bytesPerTick: result.ticks > 0 ? result.bytes / result.ticks : 0,
      bytesPerSecond: result.bytes / seconds,
      quotesPerSecond: result.quotes / seconds,
      lost: result.gaps,
      outOfOrder: result.outOfOrder,
      resyncs: result.resyncs,
      disconnects: result.disconnects,
      serverErrors: result.serverErrors,
      serverRssBytes,
      loadGeneratorCpuShare: result.cpuShare,
      othersCpuShare: window.othersShare,
      connectMs,
    };
  } finally {
    await load?.exit();
    await server.stop();
  }
}

/** Server memory per idle connection: RSS before and after `clients` connect, divided. */
export async function measureIdleMemory(context: RunContext): Promise<IdleRecord[]> {
  const { plan, log } = context;
  const records: IdleRecord[] = [];
  // Memory per connection is one server process's figure; a deployment's gateways share it.
  for (const name of plan.contenders.filter((n) => !isScaleOut(n))) {
    const contender = contenderNamed(name);
    const server = await startServer(context, contender, Math.min(...plan.tickRates));
    let load: LoadGenerator | null = null;
    try {
      const pid = server.processes[0]?.pid ?? NaN;
      // Let start-up allocation settle before the baseline, and the connections' after.
      await delay(plan.warmUpMs);
      const rssBeforeBytes = processRssBytes(pid);
      load = startLoad(context, contender, server.ports, plan.idleClients, true);
      const { connectMs } = await load.ready(plan.readyTimeoutMs + READY_GRACE_MS);
      await delay(plan.warmUpMs);
      const rssAfterBytes = processRssBytes(pid);
      const record: IdleRecord = {
        contender: name,
        clients: plan.idleClients,
        rssBeforeBytes,
        rssAfterBytes,
        bytesPerConnection: (rssAfterBytes - rssBeforeBytes) / plan.idleClients,
        connectMs,
      };
      log(
        `idle ${name}: ${plan.idleClients} connections, ${(record.bytesPerConnection / 1024).toFixed(1)} KB each`,
      );
      records.push(record);
    } finally {
      await load?.exit();
      await server.stop();
    }
  }
  return records;
}

/**
 * The contender pinned to its core (or cores), publishing the plan's feed at `tickRate`; `env`
 * adds settings (the storm's raised upgrade rate), and `startTimeoutMs` allows for a slow start.
 */
export function startServer(
  { plan, universeFile, scratchDir, pin, cores }: RunContext,
  contender: Contender,
  tickRate: number,
  env: Readonly<Record<string, string>> = {},
  startTimeoutMs = 30_000,
): Promise<Deployment> {
  const settings = { universeFile, tickRate, flushIntervalMs: plan.flushIntervalMs, seed: 1 };
  return startDeployment(contender, {
    settings,
    env,
    startTimeoutMs,
    pin,
    cores,
    scratchDir,
    readyTimeoutMs: 30_000,
  });
}

/**
 * The harness waits this much longer than the load generator's own ready timeout, so that the
 * load generator's error (which says how many clients were ready) is the one reported.
 */
export const READY_GRACE_MS = 10_000;

/** `clients` connections spread over `ports`, each subscribing to `shape` unless idle. */
function startLoad(
  { plan, pin }: RunContext,
  contender: Contender,
  ports: readonly number[],
  clients: number,
  idle: boolean,
  shape: LoadShape = { charts: plan.symbolsPerClient, quotes: 0 },
): LoadGenerator {
  return LoadGenerator.start(
    {
      ports,
      mode: contender.mode,
      clients,
      symbols: SYMBOL_COUNT,
      perClient: shape.charts,
      quotesPerClient: shape.quotes,
      readyTimeoutS: Math.ceil(plan.readyTimeoutMs / 1000),
      idle,
    },
    pin ? LOAD_CORE : null,
  );
}

export function describe(r: RunRecord): string {
  const flag = r.verdict === 'valid' ? '' : ` [${r.verdict}]`;
  const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;
  const parts = r.cpuByRole
    ? ` = gateways ${pct(r.cpuByRole.gateways)} + source ${pct(r.cpuByRole.source)} + redis ${pct(r.cpuByRole.redis)}`
    : '';
  return (
    `${r.contender} ${r.clients} clients ${r.tickRate / 1000}k/s: ` +
    `${(r.deliveredTicksPerSecond / 1e6).toFixed(2)} M ticks/s of ${(r.offeredTicksPerSecond / 1e6).toFixed(2)} M, ` +
    `${r.serverCpuNsPerTick.toFixed(0)} ns CPU/tick, server ${pct(r.serverCpuShare)}${parts} ` +
    `(kernel ${(r.serverKernelShare * 100).toFixed(0)}%), ` +
    `p99 ${r.latencyMs.p99.toFixed(1)} ms, lost ${r.lost}, loadgen ${(r.loadGeneratorCpuShare * 100).toFixed(0)}%, ` +
    `others ${(r.othersCpuShare * 100).toFixed(0)}%${flag}`
  );
}
