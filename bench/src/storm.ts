// The reconnect storm: thousands of clients connect at once to a feed server whose histories are
// full, each subscribing to its symbols; how long until every client holds all its snapshots,
// what that costs the server, and what the kernel's listen backlog did meanwhile.
import { setTimeout as delay } from 'node:timers/promises';
import { OURS } from './contenders.js';
import { LOAD_CORE } from './deployment.js';
import type { Deployment } from './deployment.js';
import { LoadGenerator } from './load-generator.js';
import type { ReadyEvent, Spread } from './load-generator.js';
import type { StormPlan, StormView } from './plan.js';
import { CpuWindow, processRssBytes, tcpCounters } from './proc.js';
import {
  LOAD_GENERATOR_LIMIT,
  OTHERS_LIMIT,
  READY_GRACE_MS,
  contenderNamed,
  startServer,
} from './run.js';
import type { RunContext, Verdict } from './run.js';
import { SYMBOL_COUNT } from './universe.js';

/** What every storm records, whether or not every client got ready. */
export interface StormCommon {
  readonly view: StormView;
  readonly clients: number;
  readonly symbolsPerClient: number;
  /** Distinct loopback source addresses the clients came from. */
  readonly sourceAddresses: number;
  /** Handshakes in flight at once: `clients` when every connect was in flight together. */
  readonly concurrency: number;
  readonly repeat: number;
  readonly attempt: number;
  /** The CPU window: from the load generator's start to its ready event (or its failure). */
  readonly elapsedMs: number;
  readonly serverCpuMs: number;
  /** Of one core, over the window. */
  readonly serverCpuShare: number;
  readonly serverKernelShare: number;
  readonly loadGeneratorCpuShare: number;
  readonly othersCpuShare: number;
  /** Machine-wide kernel counters over the window (nothing else connects meanwhile). */
  readonly listenOverflows: number;
  readonly synRetransmits: number;
  readonly serverRssBytes: number;
}

/** A storm in which every client got ready. */
export interface StormRecord extends StormCommon {
  readonly verdict: Verdict;
  /** Per client, from the storm's first connect to holding all its snapshots. */
  readonly readyMs: Spread;
  /** Per client, from its connect() to the WebSocket upgrade's answer. */
  readonly handshakeMs: Spread;
  /** Handshakes of 1 s or more: most waited for a SYN (or SYN-ACK) retransmission. */
  readonly slowHandshakes: number;
  /** Snapshots of either view received, and their bytes with framing. */
  readonly snapshots: number;
  readonly snapshotBytes: number;
  /** Everything read until every client was ready (directories, acks and live data too). */
  readonly bytes: number;
  /**
   * The server's CPU, as a share of one core, over LIVE_AFTER_MS once every client was ready:
   * the live feed alone to all of them, what the server spends anyway once the storm is over.
   * Absent from runs recorded before it was measured.
   */
  readonly liveAfterCpuShare?: number;
}

/**
 * A storm that did not complete: the load generator gave up (a connect timed out after the
 * kernel's SYN retries, a client was closed, the ready timeout passed). Recorded, not retried, so
 * that a server which cannot take the storm shows in the table instead of ending the run.
 */
export interface FailedStorm extends StormCommon {
  readonly verdict: 'failed';
  readonly failure: string;
}

export type StormRun = StormRecord | FailedStorm;

export const stormFailed = (run: StormRun): run is FailedStorm => run.verdict === 'failed';

/** A part of the plan that was not measured, and why (shown in BENCHMARKS.md). */
export interface Skipped {
  readonly scenario: string;
  readonly why: string;
}

/** Whether the server under test has views; see hello-probe.ts. */
export type ViewsSupport =
  { readonly views: true } | { readonly views: false; readonly why: string };

/** Source addresses enough that none carries more than `perAddress` clients. */
export function sourceAddressesFor(clients: number, perAddress: number): number {
  return Math.max(1, Math.ceil(clients / perAddress));
}

/** The handshakes in flight for a storm's `concurrency` setting. */
export function connectsInFlight(concurrency: number | 'all', clients: number): number {
  return concurrency === 'all' ? clients : Math.min(concurrency, clients);
}

/** Every storm of the plan, `repeats` times, variants interleaved so drift hits them alike. */
export async function runStorms(
  context: RunContext,
  views: ViewsSupport,
): Promise<{ records: StormRun[]; skipped: Skipped[] }> {
  const { plan, log } = context;
  const storm = plan.storm;
  const skipped: Skipped[] = [];
  const measured = storm.views.filter((view) => {
    if (view === 'chart' || views.views) return true;
    skipped.push({ scenario: 'quote storm', why: views.why });
    log(`storm: quote storm skipped: ${views.why}`);
    return false;
  });
  const variants = measured.flatMap((view) =>
    storm.concurrency.map((concurrency) => ({ view, concurrency })),
  );
  const total = variants.length * plan.repeats;
  const records: StormRun[] = [];
  for (let repeat = 1; repeat <= plan.repeats; repeat++) {
    for (const { view, concurrency } of variants) {
      for (let attempt = 1; ; attempt++) {
        const record = await stormOnce(context, view, concurrency, repeat, attempt);
        log(`[storm ${records.length + 1}/${total}] ${describeStorm(record)}`);
        if (record.verdict !== 'noisy' || attempt >= plan.maxAttempts) {
          records.push(record);
          break;
        }
      }
    }
  }
  return { records, skipped };
}

async function stormOnce(
  context: RunContext,
  view: StormView,
  concurrency: number | 'all',
  repeat: number,
  attempt: number,
): Promise<StormRun> {
  const { plan, pin } = context;
  const storm: StormPlan = plan.storm;
  const server = await startStormServer(context, storm);
  let load: LoadGenerator | null = null;
  try {
    // Let the end of the warm-up (its garbage, the first flushes) settle before the storm.
    await delay(1_000);
    const sourceAddresses = sourceAddressesFor(storm.clients, storm.clientsPerAddress);
    const inFlight = connectsInFlight(concurrency, storm.clients);
    const tcpBefore = tcpCounters();
    load = LoadGenerator.start(
      {
        ports: server.ports,
        mode: 'ticker',
        clients: storm.clients,
        symbols: SYMBOL_COUNT,
        perClient: view === 'chart' ? storm.symbolsPerClient : 0,
        quotesPerClient: view === 'quote' ? storm.symbolsPerClient : 0,
        sourceAddresses,
        connectConcurrency: inFlight,
        readyTimeoutS: Math.ceil(plan.readyTimeoutMs / 1000),
      },
      pin ? LOAD_CORE : null,
    );
    // Right after the spawn: the load generator has not connected yet, so the window holds the
    // whole storm (and a few ms of the load generator's own start).
    const pids = server.processes.map((p) => p.pid);
    const cpu = new CpuWindow([...pids, load.pid]);
    let ready: ReadyEvent | Error;
    try {
      ready = await load.ready(plan.readyTimeoutMs + READY_GRACE_MS);
    } catch (error) {
      ready = error instanceof Error ? error : new Error(String(error));
    }
    const window = cpu.end();
    const tcpAfter = tcpCounters();
    const serverRssBytes = pids.reduce((sum, pid) => sum + processRssBytes(pid), 0);
    const sum = (pid: number): { user: number; kernel: number } =>
      window.processMs.get(pid) ?? { user: 0, kernel: 0 };
    const serverCpu = pids
      .map(sum)
      .reduce((a, b) => ({ user: a.user + b.user, kernel: a.kernel + b.kernel }), {
        user: 0,
        kernel: 0,
      });
    const serverCpuMs = serverCpu.user + serverCpu.kernel;
    const loadCpu = sum(load.pid);
    const loadShare = (loadCpu.user + loadCpu.kernel) / window.elapsedMs;
    const common: StormCommon = {
      view,
      clients: storm.clients,
      symbolsPerClient: storm.symbolsPerClient,
      sourceAddresses,
      concurrency: inFlight,
      repeat,
      attempt,
      elapsedMs: window.elapsedMs,
      serverCpuMs,
      serverCpuShare: serverCpuMs / window.elapsedMs,
      serverKernelShare: serverCpuMs > 0 ? serverCpu.kernel / serverCpuMs : 0,
      loadGeneratorCpuShare: loadShare,
      othersCpuShare: window.othersShare,
      listenOverflows: tcpAfter.listenOverflows - tcpBefore.listenOverflows,
      synRetransmits: tcpAfter.synRetransmits - tcpBefore.synRetransmits,
      serverRssBytes,
    };
    if (ready instanceof Error) return { ...common, verdict: 'failed', failure: ready.message };
    return {
      ...common,
      verdict: stormVerdict(loadShare, window.othersShare),
      ...readiness(ready),
      liveAfterCpuShare: await cpuShareOver(pids, LIVE_AFTER_MS),
    };
  } finally {
    await load?.exit();
    await server.stop();
  }
}

/** How long the live feed alone is watched once every client of a storm holds its snapshots. */
const LIVE_AFTER_MS = 2_000;

/** The processes' CPU over the next `ms`, as a share of one core. */
async function cpuShareOver(pids: readonly number[], ms: number): Promise<number> {
  const cpu = new CpuWindow(pids);
  await delay(ms);
  const window = cpu.end();
  let used = 0;
  for (const { user, kernel } of window.processMs.values()) used += user + kernel;
  return used / window.elapsedMs;
}

/**
 * `ticker`, whose histories are full from its first second (the market path's recent ticks and
 * candles). Its per-address connection limits are raised as for every run (the storm's clients
 * share a few hundred addresses); its snapshot budgets are left as users get them.
 */
function startStormServer(context: RunContext, storm: StormPlan): Promise<Deployment> {
  return startServer(context, contenderNamed(OURS), storm.tickRate, {
    MAX_UPGRADES_PER_SECOND: '1000000',
  });
}

function readiness(
  ready: ReadyEvent,
): Pick<
  StormRecord,
  'readyMs' | 'handshakeMs' | 'slowHandshakes' | 'snapshots' | 'snapshotBytes' | 'bytes'
> {
  return {
    readyMs: ready.readyMs,
    handshakeMs: ready.handshakeMs,
    slowHandshakes: ready.slowHandshakes,
    snapshots: ready.snapshots,
    snapshotBytes: ready.snapshotBytes,
    bytes: ready.bytes,
  };
}

/** As for every run: a busy load generator may be what the storm waited for. */
export function stormVerdict(loadGeneratorShare: number, othersShare: number): Verdict {
  if (loadGeneratorShare > LOAD_GENERATOR_LIMIT) return 'load generator saturated';
  if (othersShare > OTHERS_LIMIT) return 'noisy';
  return 'valid';
}

function describeStorm(r: StormRun): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const connects = r.concurrency >= r.clients ? 'all at once' : `${r.concurrency} in flight`;
  const what = `${r.view} storm, ${r.clients} clients × ${r.symbolsPerClient} from ${r.sourceAddresses} addresses, ${connects}`;
  const kernel = `${r.listenOverflows} listen overflows, ${r.synRetransmits} SYN retransmits`;
  if (stormFailed(r))
    return `${what}: FAILED after ${s(r.elapsedMs)} s (${r.failure}); ${kernel}, server ${(r.serverCpuMs / 1000).toFixed(1)} s CPU`;
  const flag = r.verdict === 'valid' ? '' : ` [${r.verdict}]`;
  return (
    `${what}: ` +
    `ready p50 ${s(r.readyMs.p50)} / p99 ${s(r.readyMs.p99)} / max ${s(r.readyMs.max)} s, ` +
    `${(r.snapshotBytes / 2 ** 20).toFixed(0)} MB of ${r.snapshots} snapshots, ` +
    `server ${(r.serverCpuMs / 1000).toFixed(1)} s CPU (${(r.serverCpuShare * 100).toFixed(0)}%), ` +
    `handshake p99 ${s(r.handshakeMs.p99)} s (${r.slowHandshakes} ≥ 1 s), ${kernel}, ` +
    `loadgen ${(r.loadGeneratorCpuShare * 100).toFixed(0)}%, others ${(r.othersCpuShare * 100).toFixed(0)}%${flag}`
  );
}
