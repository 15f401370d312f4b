// From raw runs to what a reader needs first: how this project compares with each peer, where
// it stands against the targets, then every median, then how it was measured; the
// reconnect storm, dashboard viewers and history API when they ran; and, when scale-out runs were
// made, what one source and N gateways cost beside the single process.
import type { ApiRun } from './api.js';
import { apiSection, apiTargets } from './api-report.js';
import { OURS, findContender, isScaleOut } from './contenders.js';
import type { Placement } from './deployment.js';
import { median, millions, percent, rate, ratio, shortOf, thousands } from './figures.js';
import type { TargetRow } from './figures.js';
import type { Machine } from './machine.js';
import { machineLine } from './machine.js';
import type { BenchPlan } from './plan.js';
import { LOAD_GENERATOR_LIMIT, OTHERS_LIMIT } from './run.js';
import type { IdleRecord, RunRecord, ScaleOutCpu } from './run.js';
import type { ConnectStorm } from './connect-storm.js';
import type { Skipped, StormRun, ViewsSupport } from './storm.js';
import { stormSection, stormTargets } from './storm-report.js';
import type { ViewerRecord } from './viewers.js';
import { viewerTargets, viewersSection } from './viewers-report.js';

export interface BenchResults {
  readonly machine: Machine;
  readonly plan: BenchPlan;
  readonly runs: readonly RunRecord[];
  readonly idle: readonly IdleRecord[];
  /** Reconnect storms; absent from results of runs that did not have the scenario. */
  readonly storms?: readonly StormRun[];
  /** The same storms' connects alone, to `ticker` and to a bare uWS.js server. */
  readonly connectStorms?: readonly ConnectStorm[];
  /** Dashboard viewers and the all-charts clients beside them. */
  readonly viewers?: readonly ViewerRecord[];
  /** The history API beside the feed, a record per run. */
  readonly api?: readonly ApiRun[];
  /** Whether `ticker`'s hello announced views, when the storm or the viewers were planned. */
  readonly serverViews?: ViewsSupport;
  /** Parts of the plan not measured, and why (a server without views has no quote scenarios). */
  readonly skipped?: readonly Skipped[];
}

export interface ScenarioSummary {
  readonly contender: string;
  readonly clients: number;
  readonly tickRate: number;
  readonly runs: number;
  /** Runs the medians come from: the valid ones, or all when none was valid. */
  readonly counted: number;
  readonly verdicts: readonly string[];
  readonly offeredTicksPerSecond: number;
  readonly deliveredTicksPerSecond: number;
  readonly serverCpuShare: number;
  /** Scale-out only: medians of each part's share of a core. */
  readonly cpuByRole?: ScaleOutCpu;
  /** Scale-out only: the gateways' CPU per delivered tick, the part that grows with clients. */
  readonly gatewayCpuNsPerTick?: number;
  readonly placement?: Placement;
  readonly serverKernelShare: number;
  readonly serverCpuNsPerTick: number;
  readonly latencyMs: { p50: number; p99: number; p999: number };
  readonly bytesPerTick: number;
  /** Summed over every run, not a median: one loss anywhere shows. */
  readonly lost: number;
  readonly resyncs: number;
  readonly disconnects: number;
  readonly serverRssBytes: number;
  readonly loadGeneratorCpuShare: number;
}

export function summarise(runs: readonly RunRecord[]): ScenarioSummary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = `${run.contender}|${run.tickRate}|${run.clients}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const valid = group.filter((r) => r.verdict === 'valid');
    const counted = valid.length > 0 ? valid : group;
    const m = (pick: (r: RunRecord) => number): number => median(counted.map(pick));
    const sum = (pick: (r: RunRecord) => number): number => group.reduce((s, r) => s + pick(r), 0);
    const first = group[0] as RunRecord;
    const split = counted.flatMap((r) => (r.cpuByRole ? [{ ...r.cpuByRole, run: r }] : []));
    return {
      contender: first.contender,
      clients: first.clients,
      tickRate: first.tickRate,
      runs: group.length,
      counted: valid.length,
      verdicts: [...new Set(group.map((r) => r.verdict))],
      offeredTicksPerSecond: first.offeredTicksPerSecond,
      deliveredTicksPerSecond: m((r) => r.deliveredTicksPerSecond),
      serverCpuShare: m((r) => r.serverCpuShare),
      ...(split.length === 0
        ? {}
        : {
            cpuByRole: {
              gateways: median(split.map((c) => c.gateways)),
              source: median(split.map((c) => c.source)),
              redis: median(split.map((c) => c.redis)),
            },
            gatewayCpuNsPerTick: median(
              split.map((c) => (c.run.serverCpuNsPerTick * c.gateways) / c.run.serverCpuShare),
            ),
          }),
      ...(first.placement ? { placement: first.placement } : {}),
      serverKernelShare: m((r) => r.serverKernelShare),
      serverCpuNsPerTick: m((r) => r.serverCpuNsPerTick),
      latencyMs: {
        p50: m((r) => r.latencyMs.p50),
        p99: m((r) => r.latencyMs.p99),
        p999: m((r) => r.latencyMs.p999),
      },
      bytesPerTick: m((r) => r.bytesPerTick),
      lost: sum((r) => r.lost),
      resyncs: sum((r) => r.resyncs),
      disconnects: sum((r) => r.disconnects),
      serverRssBytes: m((r) => r.serverRssBytes),
      loadGeneratorCpuShare: Math.max(...group.map((r) => r.loadGeneratorCpuShare)),
    };
  });
}

const labelOf = (name: string): string => findContender(name)?.label ?? name;

/** Peer CPU per delivered tick over ours, per scenario, for each peer measured. */
export function cpuRatios(summaries: readonly ScenarioSummary[]): Map<string, Map<string, number>> {
  const ours = summaries.filter((s) => s.contender === OURS);
  const ratios = new Map<string, Map<string, number>>();
  for (const base of ours) {
    const key = `${base.tickRate}|${base.clients}`;
    const row = new Map<string, number>();
    for (const peer of summaries) {
      if (
        peer.contender === OURS ||
        peer.tickRate !== base.tickRate ||
        peer.clients !== base.clients
      )
        continue;
      row.set(peer.contender, peer.serverCpuNsPerTick / base.serverCpuNsPerTick);
    }
    ratios.set(key, row);
  }
  return ratios;
}

export function targets(results: BenchResults, summaries: readonly ScenarioSummary[]): TargetRow[] {
  const ratios = cpuRatios(summaries);
  const rows: TargetRow[] = [];
  for (const [peer, needed] of [
    ['ws-json', 30],
    ['socketio-json', 100],
    ['ws-batch', 1.4],
  ] as const) {
    const values = [...ratios.values()].flatMap((row) =>
      row.has(peer) ? [row.get(peer) as number] : [],
    );
    const met = values.filter((v) => v >= needed).length;
    rows.push({
      target: `Server CPU per delivered tick ≥ ${needed}× less than ${shortOf(peer)}`,
      met: values.length === 0 ? null : met === values.length,
      standing:
        values.length === 0
          ? 'not measured'
          : `${ratio(Math.min(...values))} to ${ratio(Math.max(...values))}; met in ${met} of ${values.length} scenarios`,
    });
  }
  const ours = summaries.filter((s) => s.contender === OURS);
  const at2000 = ours.filter((s) => s.clients === 2_000);
  const best2000 = Math.max(...at2000.map((s) => s.deliveredTicksPerSecond));
  rows.push({
    target: '≥ 5 M ticks/s delivered on one server core (2,000 clients × 20 symbols)',
    met: at2000.length === 0 ? null : best2000 >= 5e6,
    standing:
      at2000.length === 0
        ? 'not measured (no 2,000-client scenario in this run)'
        : at2000
            .map(
              (s) =>
                `${millions(s.deliveredTicksPerSecond)} M at ${rate(s.tickRate)} (server ${percent(s.serverCpuShare)})`,
            )
            .join('; '),
  });
  const budget = results.plan.flushIntervalMs + 10;
  const at5000 = ours.filter((s) => s.clients === 5_000);
  rows.push({
    target: `p99 latency ≤ flush interval + 10 ms (${budget} ms) at 5,000 subscribers, zero gaps`,
    met:
      at5000.length === 0 ? null : at5000.every((s) => s.latencyMs.p99 <= budget && s.lost === 0),
    standing:
      at5000.length === 0
        ? 'not measured (no 5,000-client scenario in this run)'
        : at5000
            .map(
              (s) => `p99 ${s.latencyMs.p99.toFixed(1)} ms, ${s.lost} lost at ${rate(s.tickRate)}`,
            )
            .join('; '),
  });
  const idle = results.idle.find((r) => r.contender === OURS);
  rows.push({
    target: '≤ 4 KB of server RSS per idle connection',
    met: idle === undefined ? null : idle.bytesPerConnection <= 4096,
    standing:
      idle === undefined
        ? 'not measured'
        : `${(idle.bytesPerConnection / 1024).toFixed(2)} KB over ${thousands(idle.clients)} connections`,
  });
  const at10000 = ours.filter((s) => s.clients === 10_000);
  rows.push({
    target: '10,000 concurrent subscribers on one core, no loss',
    met: at10000.length === 0 ? null : at10000.every((s) => s.lost === 0 && s.disconnects === 0),
    standing:
      at10000.length === 0
        ? 'not measured (no 10,000-client scenario in this run)'
        : at10000
            .map(
              (s) =>
                `${s.lost} lost, ${s.disconnects} disconnects, server ${percent(s.serverCpuShare)} at ${rate(s.tickRate)}`,
            )
            .join('; '),
  });
  return rows;
}

/**
 * BENCHMARKS.md: the main tables from `results` (scale-out runs left out of them), then the
 * scale-out section from the last of `results` and `more` that has scale-out runs.
 */
export function renderMarkdown(results: BenchResults, more: readonly BenchResults[] = []): string {
  const summaries = summarise(results.runs.filter((r) => !isScaleOut(r.contender)));
  const { plan } = results;
  const peers = plan.contenders.filter((name) => name !== OURS && !isScaleOut(name));
  // The storm and the viewers, like scale-out, may come from a run of their own.
  const all = [results, ...more];
  const stormFrom = all.findLast((r) => r.storms !== undefined);
  const viewersFrom = all.findLast((r) => r.viewers !== undefined);
  const separately = (from: BenchResults): string | null =>
    from === results ? null : machineLine(from.machine);
  // Each history API run stands on its own (fresh servers, its own clock): all are shown.
  const apiFrom = all.filter((r) => (r.api ?? []).length > 0);
  const apiRuns = apiFrom.flatMap((r) => r.api ?? []);
  const targetRows: TargetRow[] = [
    ...(results.runs.length > 0 || results.idle.length > 0 ? targets(results, summaries) : []),
    // A results file with storms (or viewers) has their plan: both were added together.
    ...(stormFrom
      ? stormTargets(stormFrom.plan.storm, stormFrom.storms ?? [], stormFrom.skipped ?? [])
      : []),
    ...(viewersFrom
      ? viewerTargets(
          viewersFrom.plan.viewers,
          viewersFrom.viewers ?? [],
          viewersFrom.skipped ?? [],
        )
      : []),
    ...apiTargets(apiRuns),
  ];
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    `Generated by \`npm run bench${plan.quick ? ' -- --quick' : ''}\` (method: [bench/README.md](README.md)). ` +
      `Measured ${machineLine(results.machine)}.`,
    '',
    ...(results.runs.length > 0
      ? [
          `Every figure is the median of ${plan.repeats} run${plan.repeats > 1 ? 's' : ''} of ${plan.windowMs / 1000} s ` +
            `per server and scenario; each client subscribes to ${plan.symbolsPerClient} of 500 symbols; ` +
            `batches flush every ${plan.flushIntervalMs} ms.`,
          '',
        ]
      : []),
  );
  if (results.runs.length > 0) lines.push(...peerRatioSection(summaries, peers), '');
  lines.push('## Targets for Ticker', '');
  lines.push('| Target | Met | Where it stands |', '| --- | --- | --- |');
  for (const row of targetRows) {
    lines.push(
      `| ${row.target} | ${row.met === null ? '–' : row.met ? 'yes' : '**no**'} | ${row.standing} |`,
    );
  }
  for (const tickRate of results.runs.length > 0 ? plan.tickRates : []) {
    lines.push('', `## ${rate(tickRate)}`, '');
    lines.push(
      '| Server | Clients | Delivered M ticks/s (offered) | Server CPU (kernel part) | ns CPU per tick | Latency p50 / p99 / p99.9 ms | Bytes per tick | Lost | Server RSS MB | Notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const s of summaries.filter((x) => x.tickRate === tickRate)) {
      lines.push(
        `| ${shortOf(s.contender)} | ${thousands(s.clients)} | ${millions(s.deliveredTicksPerSecond)} (${millions(s.offeredTicksPerSecond)}) | ` +
          `${percent(s.serverCpuShare)} (${percent(s.serverKernelShare)}) | ${thousands(s.serverCpuNsPerTick)} | ` +
          `${s.latencyMs.p50.toFixed(1)} / ${s.latencyMs.p99.toFixed(1)} / ${s.latencyMs.p999.toFixed(1)} | ` +
          `${s.bytesPerTick.toFixed(1)} | ${thousands(s.lost)} | ${(s.serverRssBytes / 2 ** 20).toFixed(0)} | ${notes(s)} |`,
      );
    }
  }
  if (results.idle.length > 0) {
    lines.push('', '## Server memory per idle connection', '');
    lines.push(
      '| Server | Connections | RSS before → after MB | KB per connection |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const r of results.idle) {
      lines.push(
        `| ${shortOf(r.contender)} | ${thousands(r.clients)} | ${(r.rssBeforeBytes / 2 ** 20).toFixed(0)} → ${(r.rssAfterBytes / 2 ** 20).toFixed(0)} | ${(r.bytesPerConnection / 1024).toFixed(2)} |`,
      );
    }
  }
  if (stormFrom) {
    const { storm } = stormFrom.plan;
    lines.push(
      '',
      ...stormSection(
        storm,
        stormFrom.storms ?? [],
        stormFrom.skipped ?? [],
        separately(stormFrom),
        stormFrom.plan.repeats,
        stormFrom.connectStorms ?? [],
      ),
    );
  }
  if (viewersFrom) {
    const { viewers } = viewersFrom.plan;
    lines.push(
      '',
      ...viewersSection(
        viewers,
        viewersFrom.viewers ?? [],
        viewersFrom.skipped ?? [],
        separately(viewersFrom),
        viewersFrom.plan.repeats,
      ),
    );
  }
  if (apiRuns.length > 0)
    lines.push(
      '',
      ...apiSection(
        apiRuns,
        apiFrom.map((r) => machineLine(r.machine)),
      ),
    );
  const scaleOut = all.findLast((r) => r.runs.some((x) => isScaleOut(x.contender)));
  if (scaleOut !== undefined) lines.push('', ...scaleOutSection(scaleOut, scaleOut !== results));
  if (results.runs.length > 0) {
    lines.push('', '## The servers', '');
    for (const name of plan.contenders.filter((n) => !isScaleOut(n)))
      lines.push(`- ${shortOf(name)}: ${labelOf(name)}`);
  }
  lines.push(
    '',
    `A run is invalid when the load generator used more than ${percent(LOAD_GENERATOR_LIMIT)} of its core ` +
      `(noted, its figures may understate the server), and repeated (up to ${plan.maxAttempts} tries) when other ` +
      `processes used more than ${percent(OTHERS_LIMIT)} of a core. "Lost" counts missing sequence numbers summed ` +
      'over all runs: batches for the binary servers, ticks for the per-tick ones (which skip ticks more than 1 s late). ' +
      'For a saturated server it is a lower bound: ticks still queued in it when a window ends are not counted.',
    '',
  );
  return lines.join('\n');
}

/** How many times more CPU per tick each peer spends than Ticker, scenario by scenario. */
function peerRatioSection(
  summaries: readonly ScenarioSummary[],
  peers: readonly string[],
): string[] {
  const lines: string[] = [];
  lines.push('## Server CPU per delivered tick, peer ÷ Ticker', '');
  lines.push(
    'How many times more server CPU each peer spends to deliver one tick (higher is better for Ticker).',
    '',
  );
  lines.push(`| Scenario | ${peers.map(shortOf).join(' | ')} |`);
  lines.push(`| --- | ${peers.map(() => '---:').join(' | ')} |`);
  for (const [key, row] of cpuRatios(summaries)) {
    const [tickRate = 0, clients = 0] = key.split('|').map(Number);
    const cell = (peer: string): string => {
      const measured = summaries.find(
        (s) => s.contender === peer && s.tickRate === tickRate && s.clients === clients,
      );
      const starved = (measured?.loadGeneratorCpuShare ?? 0) > LOAD_GENERATOR_LIMIT;
      return `${starved ? '≥ ' : ''}${ratio(row.get(peer) ?? NaN)}`;
    };
    lines.push(
      `| ${rate(tickRate)}, ${thousands(clients)} clients | ${peers.map(cell).join(' | ')} |`,
    );
  }
  lines.push(
    '',
    `"≥": reading that peer's messages took the load generator over ${percent(LOAD_GENERATOR_LIMIT)} of its ` +
      'core, so the peer wrote fewer, fuller segments than it would to a faster reader: its cost per tick is, ' +
      'if anything, understated.',
  );
  return lines;
}

/** Cores as the run placed the processes, e.g. "source, redis-server and 2 gateways on core 0". */
export function describePlacement(placement: Placement | undefined): string {
  if (placement === undefined || placement.load === null) return 'unpinned';
  const byCore = new Map<number, string[]>();
  const put = (core: number | null, what: string): void => {
    if (core !== null) byCore.set(core, [...(byCore.get(core) ?? []), what]);
  };
  put(placement.source, 'source');
  put(placement.redis, 'redis-server');
  const gatewayCores = new Map<number, number>();
  for (const core of placement.gateways)
    if (core !== null) gatewayCores.set(core, (gatewayCores.get(core) ?? 0) + 1);
  for (const [core, count] of gatewayCores) put(core, count > 1 ? `${count} gateways` : 'gateway');
  put(placement.load, 'load generator');
  const and = (items: readonly string[]): string =>
    items.length > 1
      ? `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
      : (items[0] ?? '');
  return [...byCore.entries()]
    .sort(([a], [b]) => a - b)
    .map(([core, items]) => `${and(items)} on core ${core}`)
    .join('; ');
}

/** One source and N gateways beside the single process, with each part's CPU. */
function scaleOutSection(results: BenchResults, separateRun: boolean): string[] {
  const { plan } = results;
  const names = plan.contenders.filter((name) => name === OURS || isScaleOut(name));
  const summaries = summarise(results.runs.filter((r) => names.includes(r.contender)));
  const lines = ['## Scale-out: one source, N gateways', ''];
  lines.push(
    '`ticker-gwN` is the feed server scaled out as docs/DEPLOY.md describes: one `source` process ' +
      '(the simulator) writes every flush to a `redis-server` the harness starts for the run, and N ' +
      '`gateway` processes read that stream and serve the clients, which the load generator spreads ' +
      'evenly over them (client k to gateway k mod N). `ticker` is the same server as one process. ' +
      'CPU is in shares of one core; "Total" adds up every process of the deployment (each part is its ' +
      'own median, so the parts need not add up to it exactly), and the ns per tick are total ' +
      '(gateways only) server CPU per delivered tick.',
    '',
  );
  if (separateRun) {
    lines.push(
      `Measured in a separate run: ${machineLine(results.machine)}. Every figure is the median of ` +
        `${plan.repeats} run${plan.repeats > 1 ? 's' : ''} of ${plan.windowMs / 1000} s.`,
      '',
    );
  }
  for (const name of names.filter(isScaleOut)) {
    const placement = summaries.find((s) => s.contender === name)?.placement;
    lines.push(`- ${shortOf(name)}: ${describePlacement(placement)}.`);
  }
  lines.push(
    '',
    '| Scenario | Server | Delivered M ticks/s (offered) | Gateways CPU | Source CPU | Redis CPU | Total CPU (kernel part) | ns CPU per tick: total (gateways) | Latency p50 / p99 / p99.9 ms | Lost | Notes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const tickRate of plan.tickRates) {
    for (const clients of plan.clients) {
      for (const name of names) {
        const s = summaries.find(
          (x) => x.contender === name && x.tickRate === tickRate && x.clients === clients,
        );
        if (s === undefined) continue;
        const part = (pick: (c: ScaleOutCpu) => number): string =>
          s.cpuByRole ? percent(pick(s.cpuByRole)) : '–';
        const gatewayNs =
          s.gatewayCpuNsPerTick === undefined ? '' : ` (${thousands(s.gatewayCpuNsPerTick)})`;
        lines.push(
          `| ${rate(tickRate)}, ${thousands(clients)} clients | ${shortOf(name)} | ` +
            `${millions(s.deliveredTicksPerSecond)} (${millions(s.offeredTicksPerSecond)}) | ` +
            `${part((c) => c.gateways)} | ${part((c) => c.source)} | ${part((c) => c.redis)} | ` +
            `${percent(s.serverCpuShare)} (${percent(s.serverKernelShare)}) | ` +
            `${thousands(s.serverCpuNsPerTick)}${gatewayNs} | ` +
            `${s.latencyMs.p50.toFixed(1)} / ${s.latencyMs.p99.toFixed(1)} / ${s.latencyMs.p999.toFixed(1)} | ` +
            `${thousands(s.lost)} | ${notes(s)} |`,
        );
      }
    }
  }
  return lines;
}

function notes(s: ScenarioSummary): string {
  const notes: string[] = [];
  if (s.counted === 0) notes.push(`no valid run (${s.verdicts.join(', ')})`);
  else if (s.counted < s.runs) notes.push(`${s.counted} of ${s.runs} runs valid`);
  if (s.deliveredTicksPerSecond < s.offeredTicksPerSecond * 0.01) {
    notes.push('collapsed: delivered under 1% of the offered ticks');
  } else if (s.deliveredTicksPerSecond < s.offeredTicksPerSecond * 0.95) {
    notes.push('saturated');
  }
  if (s.resyncs > 0) notes.push(`${s.resyncs} resyncs`);
  if (s.disconnects > 0) notes.push(`${s.disconnects} disconnects`);
  if (s.loadGeneratorCpuShare > LOAD_GENERATOR_LIMIT)
    notes.push(`load generator up to ${percent(s.loadGeneratorCpuShare)}`);
  return notes.join('; ');
}
