// The reconnect storm's part of BENCHMARKS.md: medians of the repeats per storm, the section's
// table, and where the storms stand against the issue's targets.
import { median, megabytes, percent, seconds, thousands } from './figures.js';
import type { TargetRow } from './figures.js';
import { BARE_SERVER } from './connect-storm.js';
import type { ConnectStorm } from './connect-storm.js';
import type { Spread } from './load-generator.js';
import type { StormPlan, StormView } from './plan.js';
import { LOAD_GENERATOR_LIMIT } from './run.js';
import { stormFailed } from './storm.js';
import type { Skipped, StormCommon, StormRecord, StormRun } from './storm.js';

/** The storm the issue sets its targets for: 10,000 clients × 20 symbols, all at once. */
export const ISSUE_STORM_CLIENTS = 10_000;

export interface StormSummary {
  readonly view: StormView;
  readonly clients: number;
  readonly symbolsPerClient: number;
  readonly sourceAddresses: number;
  readonly concurrency: number;
  readonly allAtOnce: boolean;
  readonly runs: number;
  /** Storms that did not complete, and why the first of them failed. */
  readonly failed: number;
  readonly failure: string | null;
  /** Runs the medians come from: the valid ones, or all completed ones when none was valid. */
  readonly counted: number;
  readonly verdicts: readonly string[];
  /** Each percentile the median of the completed runs' own; NaN when none completed. */
  readonly readyMs: Spread;
  readonly handshakeP99Ms: number;
  readonly slowHandshakes: number;
  readonly snapshots: number;
  readonly snapshotBytes: number;
  readonly serverCpuMs: number;
  readonly serverCpuShare: number;
  readonly serverKernelShare: number;
  /** NaN when no completed run measured it (runs recorded before it was). */
  readonly liveAfterCpuShare: number;
  readonly listenOverflows: number;
  readonly synRetransmits: number;
  /** The highest of the runs: one saturated run is worth knowing about. */
  readonly loadGeneratorCpuShare: number;
}

/** One summary per storm (view, clients, connects in flight), in the order first run. */
export function summariseStorms(records: readonly StormRun[]): StormSummary[] {
  const groups = new Map<string, StormRun[]>();
  for (const record of records) {
    const key = `${record.view}|${record.clients}|${record.concurrency}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()].map((group) => {
    const failures = group.filter(stormFailed);
    const completed = group.filter((r): r is StormRecord => !stormFailed(r));
    const valid = completed.filter((r) => r.verdict === 'valid');
    const counted = valid.length > 0 ? valid : completed;
    const m = (pick: (r: StormRecord) => number): number => median(counted.map(pick));
    // What a storm cost, and did to the backlog, is known of failed storms too.
    const costed: readonly StormCommon[] = counted.length > 0 ? counted : group;
    const cost = (pick: (r: StormCommon) => number): number => median(costed.map(pick));
    const first = group[0] as StormRun;
    return {
      view: first.view,
      clients: first.clients,
      symbolsPerClient: first.symbolsPerClient,
      sourceAddresses: first.sourceAddresses,
      concurrency: first.concurrency,
      allAtOnce: first.concurrency >= first.clients,
      runs: group.length,
      failed: failures.length,
      failure: failures[0]?.failure ?? null,
      counted: valid.length,
      verdicts: [...new Set(group.map((r) => r.verdict))],
      readyMs: {
        p50: m((r) => r.readyMs.p50),
        p99: m((r) => r.readyMs.p99),
        max: m((r) => r.readyMs.max),
      },
      handshakeP99Ms: m((r) => r.handshakeMs.p99),
      slowHandshakes: m((r) => r.slowHandshakes),
      snapshots: m((r) => r.snapshots),
      snapshotBytes: m((r) => r.snapshotBytes),
      serverCpuMs: cost((r) => r.serverCpuMs),
      serverCpuShare: cost((r) => r.serverCpuShare),
      serverKernelShare: cost((r) => r.serverKernelShare),
      liveAfterCpuShare: median(
        counted.flatMap((r) => (r.liveAfterCpuShare === undefined ? [] : [r.liveAfterCpuShare])),
      ),
      listenOverflows: cost((r) => r.listenOverflows),
      synRetransmits: cost((r) => r.synRetransmits),
      loadGeneratorCpuShare: Math.max(...group.map((r) => r.loadGeneratorCpuShare)),
    };
  });
}

const viewName = (view: StormView): string => (view === 'chart' ? 'charts' : 'quotes');

/** Where each storm of `plan` stands against its target (3 s for charts, 1 s for quotes). */
export function stormTargets(
  plan: StormPlan,
  records: readonly StormRun[],
  skipped: readonly Skipped[],
): TargetRow[] {
  const summaries = summariseStorms(records);
  return plan.views.map((view) => {
    const target =
      `Reconnect storm: ${thousands(ISSUE_STORM_CLIENTS)} clients × ${plan.symbolsPerClient} ` +
      `${viewName(view)}, connecting at once, each hold all their snapshots within ${plan.targetMs[view] / 1000} s`;
    const atOnce = summaries.filter((s) => s.view === view && s.allAtOnce);
    const full = atOnce.find((s) => s.clients >= ISSUE_STORM_CLIENTS);
    const skip = skipped.find((s) => s.scenario === `${view} storm`);
    if (full !== undefined) {
      const failed = full.failed > 0 ? `; ${failures(full)}` : '';
      if (full.failed === full.runs) return { target, met: false, standing: failures(full) };
      return {
        target,
        met: full.failed === 0 && full.readyMs.max <= plan.targetMs[view],
        standing: `slowest client ${seconds(full.readyMs.max)} (p50 ${seconds(full.readyMs.p50)}, p99 ${seconds(full.readyMs.p99)})${failed}`,
      };
    }
    const partial = atOnce[0];
    return {
      target,
      met: null,
      standing:
        skip !== undefined
          ? `not measured: ${skip.why}`
          : partial !== undefined
            ? `measured with ${thousands(partial.clients)} clients only: ${
                partial.failed === partial.runs
                  ? failures(partial)
                  : `slowest ${seconds(partial.readyMs.max)}`
              }`
            : 'not measured (no storm with every connect at once in this run)',
    };
  });
}

/** "2 of 3 storms did not complete (client 7189: connect ...: Connection timed out ...)". */
function failures(s: StormSummary): string {
  return `${s.failed} of ${s.runs} storm${s.runs > 1 ? 's' : ''} did not complete (${s.failure ?? 'no reason given'})`;
}

/** The "Reconnect storm" section: one row per storm, then what was not measured. */
export function stormSection(
  plan: StormPlan,
  records: readonly StormRun[],
  skipped: readonly Skipped[],
  measuredIn: string | null,
  repeats: number,
  connects: readonly ConnectStorm[] = [],
): string[] {
  const lines = ['## Reconnect storm', ''];
  lines.push(
    `\`ticker\` starts at ${thousands(plan.tickRate)} ticks/s with every symbol's 2,048-tick history and its 600 ` +
      'candles of 1 s and of 1 min full from its first second (the market path); then every client ' +
      `connects, from ${plan.clientsPerAddress} clients per loopback address, and subscribes to ${plan.symbolsPerClient} ` +
      `symbols in one view. Every figure is the median of ${repeats} storm${repeats > 1 ? 's' : ''}, each on a fresh server. ` +
      '"Ready" is per client, from the storm\'s first connect to the last of its snapshots; the target is for the slowest. ' +
      'Server CPU is over the whole storm, in seconds and as a share of one core; "after" is its share over the ' +
      '2 s after every client was ready, all still connected: the live feed alone, which the server spends anyway ' +
      'once the storm is over (a storm cannot be served faster than what is left of the core beside it allows). A handshake (connect to the ' +
      "upgrade's answer) takes 1 s or more when its SYN was dropped from a full listen backlog (the kernel sends it " +
      'again after 1 s) or when the server was too busy to accept and upgrade it; the kernel counters, machine-wide, ' +
      'tell the two apart. MB = 2^20 bytes.',
    '',
  );
  if (measuredIn !== null) lines.push(`Measured in a separate run: ${measuredIn}.`, '');
  lines.push(
    '| Storm | Connects in flight | Slowest client ready | Target | Met | Ready p50 / p99 | Snapshots MB (KB per client) | Server CPU (share; kernel part) | Server CPU after: live feed alone | Handshakes ≥ 1 s (p99) | Listen overflows / SYN retransmits | Notes |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const s of summariseStorms(records)) {
    const target = plan.targetMs[s.view];
    const connects = s.allAtOnce ? `all (${thousands(s.clients)})` : thousands(s.concurrency);
    if (s.failed === s.runs) {
      lines.push(
        `| ${thousands(s.clients)} × ${s.symbolsPerClient} ${viewName(s.view)} | ${connects} | ` +
          `did not complete | ${target / 1000} s | **no** | – | – | ` +
          `${(s.serverCpuMs / 1000).toFixed(1)} s (${percent(s.serverCpuShare)}; ${percent(s.serverKernelShare)}) | – | – | ` +
          `${thousands(s.listenOverflows)} / ${thousands(s.synRetransmits)} | ${stormNotes(s)} |`,
      );
      continue;
    }
    const met = s.failed === 0 && s.readyMs.max <= target;
    lines.push(
      `| ${thousands(s.clients)} × ${s.symbolsPerClient} ${viewName(s.view)} | ${connects} | ` +
        `${seconds(s.readyMs.max)} | ${target / 1000} s | ${met ? 'yes' : '**no**'} | ` +
        `${seconds(s.readyMs.p50)} / ${seconds(s.readyMs.p99)} | ` +
        `${megabytes(s.snapshotBytes)} (${(s.snapshotBytes / s.clients / 1024).toFixed(1)}) | ` +
        `${(s.serverCpuMs / 1000).toFixed(1)} s (${percent(s.serverCpuShare)}; ${percent(s.serverKernelShare)}) | ` +
        `${Number.isNaN(s.liveAfterCpuShare) ? '–' : percent(s.liveAfterCpuShare)} | ` +
        `${thousands(s.slowHandshakes)} (${seconds(s.handshakeP99Ms)}) | ` +
        `${thousands(s.listenOverflows)} / ${thousands(s.synRetransmits)} | ${stormNotes(s)} |`,
    );
  }
  for (const skip of skipped.filter((s) => s.scenario.endsWith('storm')))
    lines.push('', `Not measured: the ${skip.scenario}: ${skip.why}.`);
  if (connects.length > 0) lines.push('', ...connectsSection(connects));
  return lines;
}

/** The storms' connects alone: what the listen backlog costs before any work of the server's. */
function connectsSection(connects: readonly ConnectStorm[]): string[] {
  const groups = new Map<string, ConnectStorm[]>();
  for (const storm of connects) {
    const key = `${storm.server}|${storm.concurrency}`;
    groups.set(key, [...(groups.get(key) ?? []), storm]);
  }
  const lines = [
    '### Connects alone',
    '',
    "The same storms' connects, subscribing to nothing: a client is done once its upgrade is " +
      `answered (and, from \`ticker\`, its hello and directory read). \`${BARE_SERVER}\` is a ` +
      'uWebSockets.js server with no work of its own on connect: its row is what the listen backlog ' +
      "(uSockets' 512) and the kernel's SYN retransmissions (after 1 s, then 3 s) cost any server " +
      'on this stack and machine, whatever it does afterwards. Medians of the runs.',
    '',
    '| Server | Connects in flight | Slowest handshake | Handshake p50 / p99 | Handshakes ≥ 1 s | Listen overflows / SYN retransmits | Server CPU | Notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const group of groups.values()) {
    const first = group[0] as ConnectStorm;
    const completed = group.filter((s) => s.failure === null);
    const m = (pick: (s: ConnectStorm) => number): number => median(completed.map(pick));
    const all = (pick: (s: ConnectStorm) => number): number => median(group.map(pick));
    const connectsInFlight =
      first.concurrency >= first.clients
        ? `all (${thousands(first.clients)})`
        : thousands(first.concurrency);
    const failed = group.length - completed.length;
    const note =
      failed > 0
        ? `${failed} of ${group.length} did not complete (${group.find((s) => s.failure)?.failure ?? ''})`
        : '';
    const figures =
      completed.length === 0
        ? '– | – | –'
        : `${seconds(m((s) => s.handshakeMs.max))} | ${seconds(m((s) => s.handshakeMs.p50))} / ` +
          `${seconds(m((s) => s.handshakeMs.p99))} | ${thousands(m((s) => s.slowHandshakes))}`;
    lines.push(
      `| \`${first.server}\` | ${connectsInFlight} | ${figures} | ` +
        `${thousands(all((s) => s.listenOverflows))} / ${thousands(all((s) => s.synRetransmits))} | ` +
        `${(all((s) => s.serverCpuMs) / 1000).toFixed(1)} s | ${note} |`,
    );
  }
  return lines;
}

function stormNotes(s: StormSummary): string {
  const notes: string[] = [];
  if (s.failed > 0) notes.push(failures(s));
  const completed = s.runs - s.failed;
  if (completed > 0 && s.counted === 0)
    notes.push(`no valid run (${s.verdicts.filter((v) => v !== 'failed').join(', ')})`);
  else if (s.counted < completed) notes.push(`${s.counted} of ${completed} runs valid`);
  if (s.loadGeneratorCpuShare > LOAD_GENERATOR_LIMIT)
    notes.push(`load generator up to ${percent(s.loadGeneratorCpuShare)}`);
  notes.push(`${thousands(s.sourceAddresses)} source addresses`);
  return notes.join('; ');
}
