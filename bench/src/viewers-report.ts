// The dashboard viewers' part of BENCHMARKS.md: medians per kind of client, all-charts ÷ viewers
// for server CPU and bytes per client, and where that stands against the 3×.
import { median, percent, rate, ratio, thousands } from './figures.js';
import type { TargetRow } from './figures.js';
import type { ViewersPlan } from './plan.js';
import { LOAD_GENERATOR_LIMIT } from './run.js';
import type { Skipped } from './storm.js';
import type { ClientKind, ViewerRecord } from './viewers.js';

export interface ViewerSummary {
  readonly kind: ClientKind;
  readonly clients: number;
  readonly tickRate: number;
  readonly charts: number;
  readonly quotes: number;
  readonly runs: number;
  readonly counted: number;
  readonly verdicts: readonly string[];
  readonly serverCpuShare: number;
  readonly serverKernelShare: number;
  readonly bytesPerClientPerSecond: number;
  readonly quotesPerClientPerSecond: number;
  readonly ticksPerClientPerSecond: number;
  readonly latencyP99Ms: number;
  /** Summed over every run. */
  readonly lost: number;
  readonly loadGeneratorCpuShare: number;
}

export function summariseViewers(
  records: readonly ViewerRecord[],
  plan: ViewersPlan,
): ViewerSummary[] {
  const groups = new Map<string, ViewerRecord[]>();
  for (const record of records) {
    const key = `${record.tickRate}|${record.clients}|${record.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()].map((group) => {
    const valid = group.filter((r) => r.verdict === 'valid');
    const counted = valid.length > 0 ? valid : group;
    const m = (pick: (r: ViewerRecord) => number): number => median(counted.map(pick));
    const first = group[0] as ViewerRecord;
    const shape = first.kind === 'viewers' ? plan.viewer : plan.allCharts;
    const perClient = (value = 0): number => value / first.clients;
    return {
      kind: first.kind,
      clients: first.clients,
      tickRate: first.tickRate,
      charts: first.chartsPerClient ?? shape.charts,
      quotes: first.quotesPerClient ?? shape.quotes,
      runs: group.length,
      counted: valid.length,
      verdicts: [...new Set(group.map((r) => r.verdict))],
      serverCpuShare: m((r) => r.serverCpuShare),
      serverKernelShare: m((r) => r.serverKernelShare),
      bytesPerClientPerSecond: m((r) => perClient(r.bytesPerSecond)),
      quotesPerClientPerSecond: m((r) => perClient(r.quotesPerSecond)),
      ticksPerClientPerSecond: m((r) => perClient(r.deliveredTicksPerSecond)),
      latencyP99Ms: m((r) => r.latencyMs.p99),
      lost: group.reduce((sum, r) => sum + r.lost, 0),
      loadGeneratorCpuShare: Math.max(...group.map((r) => r.loadGeneratorCpuShare)),
    };
  });
}

export interface ViewerRatio {
  readonly tickRate: number;
  readonly clients: number;
  /** All-charts ÷ viewers: how many times less the viewers cost. */
  readonly cpu: number;
  readonly bytes: number;
}

/** All-charts ÷ viewers per tick rate and client count measured with both kinds. */
export function viewerRatios(summaries: readonly ViewerSummary[]): ViewerRatio[] {
  return summaries
    .filter((s) => s.kind === 'charts')
    .flatMap((charts) => {
      const viewers = summaries.find(
        (s) =>
          s.kind === 'viewers' && s.tickRate === charts.tickRate && s.clients === charts.clients,
      );
      if (viewers === undefined) return [];
      return [
        {
          tickRate: charts.tickRate,
          clients: charts.clients,
          cpu: charts.serverCpuShare / viewers.serverCpuShare,
          bytes: charts.bytesPerClientPerSecond / viewers.bytesPerClientPerSecond,
        },
      ];
    });
}

const holds = (s: { charts: number; quotes: number }): string =>
  [
    s.charts > 0 ? `${s.charts} chart${s.charts > 1 ? 's' : ''}` : '',
    s.quotes > 0 ? `${s.quotes} quote${s.quotes > 1 ? 's' : ''}` : '',
  ]
    .filter((part) => part !== '')
    .join(' + ');

export function viewerTargets(
  plan: ViewersPlan,
  records: readonly ViewerRecord[],
  skipped: readonly Skipped[],
): TargetRow[] {
  const target =
    `Dashboard viewers (${holds(plan.viewer)}): ≥ ${plan.targetRatio}× less server CPU and bytes per client ` +
    `than clients with ${holds(plan.allCharts)}`;
  const ratios = viewerRatios(summariseViewers(records, plan));
  const skip = skipped.find((s) => s.scenario === 'viewers');
  if (ratios.length === 0)
    return [{ target, met: null, standing: skip ? `not measured: ${skip.why}` : 'not measured' }];
  return [
    {
      target,
      met: ratios.every((r) => r.cpu >= plan.targetRatio && r.bytes >= plan.targetRatio),
      standing: ratios
        .map((r) => `CPU ${ratio(r.cpu)}, bytes ${ratio(r.bytes)} at ${rate(r.tickRate)}`)
        .join('; '),
    },
  ];
}

/** The "Dashboard viewers" section: each kind's figures, then the ratios. */
export function viewersSection(
  plan: ViewersPlan,
  records: readonly ViewerRecord[],
  skipped: readonly Skipped[],
  measuredIn: string | null,
  repeats: number,
): string[] {
  const lines = ['## Dashboard viewers', ''];
  lines.push(
    `Each viewer holds ${holds(plan.viewer)} (a dashboard: one chart, a watchlist of quote rows); beside it, as many ` +
      `clients each holding ${holds(plan.allCharts)}. Quotes are conflated per symbol (at most one every ` +
      "QuoteIntervalMs); charts get every batch. Server CPU is a share of one core; bytes are everything a client's " +
      'link carries, framing included (KB = 1,024 bytes). ' +
      `Every figure is the median of ${repeats} run${repeats > 1 ? 's' : ''} of the window, each on a fresh server.`,
  );
  if (measuredIn !== null) lines.push('', `Measured in a separate run: ${measuredIn}.`);
  const summaries = summariseViewers(records, plan);
  if (summaries.length > 0) {
    lines.push(
      '',
      '| Scenario | Each client holds | Server CPU (kernel part) | KB/s per client | Quotes/s per client | Ticks/s per client | Latency p99 ms | Lost | Notes |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const s of summaries) {
      lines.push(
        `| ${rate(s.tickRate)}, ${thousands(s.clients)} clients | ${holds(s)} | ` +
          `${percent(s.serverCpuShare)} (${percent(s.serverKernelShare)}) | ${(s.bytesPerClientPerSecond / 1024).toFixed(2)} | ` +
          `${s.quotesPerClientPerSecond.toFixed(1)} | ${s.ticksPerClientPerSecond.toFixed(0)} | ${s.latencyP99Ms.toFixed(1)} | ` +
          `${thousands(s.lost)} | ${viewerNotes(s)} |`,
      );
    }
    lines.push(
      '',
      `| Scenario | Server CPU, all-charts ÷ viewers | Bytes per client, all-charts ÷ viewers | ≥ ${plan.targetRatio}× both |`,
      '| --- | ---: | ---: | --- |',
    );
    for (const r of viewerRatios(summaries)) {
      const met = r.cpu >= plan.targetRatio && r.bytes >= plan.targetRatio;
      lines.push(
        `| ${rate(r.tickRate)}, ${thousands(r.clients)} clients | ${ratio(r.cpu)} | ${ratio(r.bytes)} | ${met ? 'yes' : '**no**'} |`,
      );
    }
  }
  for (const skip of skipped.filter((s) => s.scenario === 'viewers'))
    lines.push('', `Not measured: ${skip.why}.`);
  return lines;
}

function viewerNotes(s: ViewerSummary): string {
  const notes: string[] = [];
  if (s.counted === 0) notes.push(`no valid run (${s.verdicts.join(', ')})`);
  else if (s.counted < s.runs) notes.push(`${s.counted} of ${s.runs} runs valid`);
  if (s.loadGeneratorCpuShare > LOAD_GENERATOR_LIMIT)
    notes.push(`load generator up to ${percent(s.loadGeneratorCpuShare)}`);
  return notes.join('; ');
}
