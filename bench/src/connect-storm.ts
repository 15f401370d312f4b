// The floor under every reconnect storm: the same connects, subscribing to nothing, to `ticker`
// and to a uWebSockets.js server that does nothing on connect. What the kernel's listen backlog
// and SYN retransmissions cost is then measured apart from anything the feed server does.
import { OURS } from './contenders.js';
import { LOAD_CORE } from './deployment.js';
import { LoadGenerator } from './load-generator.js';
import type { Spread } from './load-generator.js';
import type { StormPlan } from './plan.js';
import { CpuWindow, tcpCounters } from './proc.js';
import { READY_GRACE_MS, contenderNamed, startServer } from './run.js';
import type { RunContext } from './run.js';
import { connectsInFlight, sourceAddressesFor } from './storm.js';
import { SYMBOL_COUNT } from './universe.js';

/** The bare server: uWS.js's upgrade with no handler of its own (bench/peers/uws-json.ts). */
export const BARE_SERVER = 'uws-json';

/** One storm of connects alone: every client upgrades, subscribes to nothing, and is done. */
export interface ConnectStorm {
  readonly server: string;
  readonly clients: number;
  readonly concurrency: number;
  readonly sourceAddresses: number;
  readonly repeat: number;
  /** Per client, from its connect() to the upgrade's answer. */
  readonly handshakeMs: Spread;
  readonly slowHandshakes: number;
  readonly listenOverflows: number;
  readonly synRetransmits: number;
  readonly serverCpuMs: number;
  /** Set when the load generator gave up (a connect timed out after every SYN retry). */
  readonly failure: string | null;
}

/** The plan's storms, connects alone: each concurrency, on `ticker` and on the bare server. */
export async function runConnectStorms(context: RunContext): Promise<ConnectStorm[]> {
  const { plan, log } = context;
  const storms: ConnectStorm[] = [];
  for (let repeat = 1; repeat <= plan.repeats; repeat++) {
    for (const concurrency of plan.storm.concurrency) {
      for (const server of [OURS, BARE_SERVER]) {
        const storm = await connectStormOnce(context, server, concurrency, repeat);
        log(`[connects alone] ${describeConnectStorm(storm)}`);
        storms.push(storm);
      }
    }
  }
  return storms;
}

async function connectStormOnce(
  context: RunContext,
  name: string,
  concurrency: number | 'all',
  repeat: number,
): Promise<ConnectStorm> {
  const storm: StormPlan = context.plan.storm;
  const contender = contenderNamed(name);
  const deployment = await startServer(context, contender, storm.tickRate, {
    MAX_UPGRADES_PER_SECOND: '1000000',
  });
  let load: LoadGenerator | null = null;
  try {
    const sourceAddresses = sourceAddressesFor(storm.clients, storm.clientsPerAddress);
    const inFlight = connectsInFlight(concurrency, storm.clients);
    const tcpBefore = tcpCounters();
    load = LoadGenerator.start(
      {
        ports: deployment.ports,
        mode: contender.mode,
        clients: storm.clients,
        symbols: SYMBOL_COUNT,
        perClient: 1, // never sent: idle clients are ready once upgraded (and, for ticker, greeted)
        idle: true,
        sourceAddresses,
        connectConcurrency: inFlight,
        readyTimeoutS: Math.ceil(context.plan.readyTimeoutMs / 1000),
      },
      context.pin ? LOAD_CORE : null,
    );
    const pids = deployment.processes.map((p) => p.pid);
    const cpu = new CpuWindow(pids);
    const outcome = await load.ready(context.plan.readyTimeoutMs + READY_GRACE_MS).then(
      (ready) => ready,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    const window = cpu.end();
    const tcpAfter = tcpCounters();
    const serverCpuMs = pids.reduce((sum, pid) => {
      const used = window.processMs.get(pid);
      return sum + (used ? used.user + used.kernel : 0);
    }, 0);
    const failed = outcome instanceof Error;
    return {
      server: name,
      clients: storm.clients,
      concurrency: inFlight,
      sourceAddresses,
      repeat,
      handshakeMs: failed ? { p50: NaN, p99: NaN, max: NaN } : outcome.handshakeMs,
      slowHandshakes: failed ? NaN : outcome.slowHandshakes,
      listenOverflows: tcpAfter.listenOverflows - tcpBefore.listenOverflows,
      synRetransmits: tcpAfter.synRetransmits - tcpBefore.synRetransmits,
      serverCpuMs,
      failure: failed ? outcome.message : null,
    };
  } finally {
    await load?.exit();
    await deployment.stop();
  }
}

function describeConnectStorm(s: ConnectStorm): string {
  const connects = s.concurrency >= s.clients ? 'all at once' : `${s.concurrency} in flight`;
  const what = `${s.server}, ${s.clients} idle clients, ${connects}`;
  if (s.failure !== null) return `${what}: FAILED (${s.failure})`;
  const sec = (ms: number): string => (ms / 1000).toFixed(2);
  return (
    `${what}: handshakes p50 ${sec(s.handshakeMs.p50)} / p99 ${sec(s.handshakeMs.p99)} / ` +
    `max ${sec(s.handshakeMs.max)} s, ${s.slowHandshakes} ≥ 1 s, ${s.listenOverflows} listen ` +
    `overflows, ${s.synRetransmits} SYN retransmits, server ${(s.serverCpuMs / 1000).toFixed(1)} s CPU`
  );
}
