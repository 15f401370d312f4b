// What one soak sample holds, and the two tables printed from the samples: one row per sample
// as the run goes, and one per minute (or per tenth of a short run) at the end, for the README.

export interface SoakSample {
  /** Seconds since the clients started; 0 is the idle server just before. */
  readonly tS: number;
  readonly server: {
    /** VmRSS from /proc/<pid>/status. */
    readonly rssBytes: number;
    /** RssAnon and RssFile of the same: malloc'd and JS memory, and mapped files (code). */
    readonly rssAnonBytes: number;
    readonly rssFileBytes: number;
    readonly heapUsedBytes: number;
    /**
     * V8's heap as reserved, and its young generation within it: the new space grows in steps
     * (to 16 MiB on Node 20) when many objects survive a scavenge, and RSS with it.
     */
    readonly heapTotalBytes: number;
    readonly newSpaceBytes: number;
    /** Memory outside V8's heap held by JS objects (ArrayBuffers, Buffers). */
    readonly externalBytes: number;
    /**
     * prom-client's event-loop delay since the previous sample (it resets its histogram on
     * every scrape). Node samples the loop with a 10 ms timer, so an idle loop reads ~10 ms and
     * the lag proper is the excess.
     */
    readonly loopDelayP99Ms: number;
    readonly loopDelayMaxMs: number;
    /** Server CPU over the interval, user plus kernel, as a share of one core. */
    readonly cpuShare: number;
    readonly connections: number;
    readonly pausedConnections: number;
    readonly bufferedBytes: number;
    readonly connectionsAccepted: number;
    readonly slowConsumerPauses: number;
    readonly slowConsumerCloses: number;
  };
  readonly clients: {
    readonly steadyOpen: number;
    readonly batches: number;
    readonly gaps: number;
    readonly steadyCloses: number;
    readonly serverErrors: number;
    readonly churnCompleted: number;
    readonly churnFailed: number;
    readonly churnSkipped: number;
    readonly slowStarted: number;
    readonly slowClosed4001: number;
    readonly slowClosedOther: number;
    readonly slowNotClosed: number;
    /** Age of each batch's newest tick when a steady client read it, over the interval. */
    readonly tickAgeP50Ms: number | null;
    readonly tickAgeP99Ms: number | null;
  };
  /** This process (all the clients): if it saturates, the clients' figures mean little. */
  readonly soak: {
    readonly rssBytes: number;
    readonly cpuShare: number;
    readonly loopDelayP99Ms: number;
  };
  /** CPU of every other process on the machine over the interval, in cores: other workloads. */
  readonly othersCores: number;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '–');
const pct = (share: number): string => `${Math.round(share * 100)}%`;
const orDash = (value: number | null): string => (value === null ? '–' : String(value));

function clock(tS: number): string {
  const s = Math.round(tS);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const SAMPLE_HEADER =
  '  time   RSS MB (anon)  heap used/total MB  loop p99/max ms  CPU  conns paused  accepted  4001s  gaps  age p50/p99 ms  soak CPU  others';

/** One line per sample, under SAMPLE_HEADER. */
export function sampleLine(sample: SoakSample): string {
  const { server, clients, soak } = sample;
  return [
    clock(sample.tS).padStart(6),
    `${mb(server.rssBytes)} (${mb(server.rssAnonBytes)})`.padStart(15),
    `${mb(server.heapUsedBytes)}/${mb(server.heapTotalBytes)}`.padStart(19),
    `${ms(server.loopDelayP99Ms)}/${ms(server.loopDelayMaxMs)}`.padStart(16),
    pct(server.cpuShare).padStart(4),
    String(server.connections).padStart(6),
    String(server.pausedConnections).padStart(6),
    String(server.connectionsAccepted).padStart(9),
    String(server.slowConsumerCloses).padStart(6),
    String(clients.gaps).padStart(5),
    `${orDash(clients.tickAgeP50Ms)}/${orDash(clients.tickAgeP99Ms)}`.padStart(15),
    pct(soak.cpuShare).padStart(9),
    pct(sample.othersCores).padStart(7),
  ].join(' ');
}

/**
 * A markdown table with one row per `stepS` seconds: RSS and connections as of the last sample
 * of the step, the worst loop delay and tick age within it, CPU averaged over it.
 */
export function summaryTable(samples: readonly SoakSample[], stepS: number): string {
  const rows = [
    '| Time | Server RSS MB | Heap used / total MB | Loop delay p99 / max ms | Server CPU | Connections | Accepted (total) | Closed 4001 (total) | Gaps | Tick age p99 ms | Other processes CPU |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const idle = samples.find((s) => s.tS === 0);
  if (idle !== undefined) rows.push(row('idle', [idle]));
  const end = samples.reduce((t, s) => Math.max(t, s.tS), 0);
  for (let from = 0; from < end; from += stepS) {
    const inStep = samples.filter((s) => s.tS > from && s.tS <= from + stepS);
    if (inStep.length > 0) rows.push(row(clock(from + stepS), inStep));
  }
  return rows.join('\n');
}

function row(label: string, inStep: readonly SoakSample[]): string {
  const last = inStep[inStep.length - 1] as SoakSample;
  const worst = (pickValue: (s: SoakSample) => number): number =>
    Math.max(...inStep.map(pickValue));
  const ages = inStep.map((s) => s.clients.tickAgeP99Ms).filter((a) => a !== null);
  const mean = (pickValue: (s: SoakSample) => number): number =>
    inStep.reduce((sum, s) => sum + pickValue(s), 0) / inStep.length;
  return `| ${[
    label,
    mb(last.server.rssBytes),
    `${mb(last.server.heapUsedBytes)} / ${mb(last.server.heapTotalBytes)}`,
    `${ms(worst((s) => s.server.loopDelayP99Ms))} / ${ms(worst((s) => s.server.loopDelayMaxMs))}`,
    pct(mean((s) => s.server.cpuShare)),
    last.server.connections,
    last.server.connectionsAccepted.toLocaleString('en-US'),
    last.server.slowConsumerCloses,
    last.clients.gaps,
    ages.length > 0 ? Math.max(...ages) : '–',
    pct(mean((s) => s.othersCores)),
  ].join(' | ')} |`;
}
