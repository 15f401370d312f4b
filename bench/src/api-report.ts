// The history API's part of BENCHMARKS.md: a row per run (runs are not pooled: each has its own
// fresh servers and clock), which requests take the time, and where the runs stand against the
// issue's targets.
import type { ApiPhase, ApiPhaseName, ApiRun } from './api.js';
import { RELOAD_SHARE } from './api-mix.js';
import type { KindSummary, LatencySpread } from './api-responses.js';
import { megabytes, percent, thousands } from './figures.js';
import type { TargetRow } from './figures.js';
import { LOAD_GENERATOR_LIMIT } from './run.js';

/** The runs the targets are judged on: the valid ones, or every one when none is valid. */
export function countedRuns(runs: readonly ApiRun[]): readonly ApiRun[] {
  const valid = runs.filter((r) => r.verdict === 'valid');
  return valid.length > 0 ? valid : runs;
}

export function phaseOf(run: ApiRun, name: ApiPhaseName): ApiPhase | undefined {
  return run.phases.find((p) => p.phase === name);
}

/** Responses other than 200 and 304 (429, 503, 4xx), and requests with no answer at all. */
export function refusedOf(phase: ApiPhase | undefined): number {
  const api = phase?.api;
  if (api === undefined) return 0;
  const refused = Object.entries(api.statuses)
    .filter(([status]) => status !== '200' && status !== '304')
    .reduce((sum, [, count]) => sum + count, 0);
  return refused + api.errors + api.timeouts;
}

/** Whether the paced phase met the latency target: its rate reached, every request answered. */
export function pacedMet(run: ApiRun): boolean {
  const paced = phaseOf(run, 'paced');
  const api = paced?.api;
  if (api === undefined) return false;
  return (
    api.answeredLatencyMs.p99 <= run.plan.targetP99Ms &&
    api.requestsPerSecond >= run.plan.rate * 0.95 &&
    refusedOf(paced) === 0
  );
}

/** The feed's tick age p99 under the paced load, less the same clients' p99 alone. */
export function tickAgeRise(run: ApiRun): number {
  const alone = phaseOf(run, 'baseline');
  const paced = phaseOf(run, 'paced');
  if (alone === undefined || paced === undefined) return NaN;
  return paced.tickAgeMs.p99 - alone.tickAgeMs.p99;
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '–');
const spread = (s: LatencySpread): string =>
  `${ms(s.p50)} / ${ms(s.p975)} / ${ms(s.p99)} / ${ms(s.max)}`;
const list = (items: readonly string[]): string => items.join('; ');

export function apiTargets(runs: readonly ApiRun[]): TargetRow[] {
  const counted = countedRuns(runs);
  const plan = counted.at(-1)?.plan;
  if (plan === undefined) return [];
  const paced = counted.map((r) => ({ run: r, phase: phaseOf(r, 'paced') }));
  const builtIn = counted.flatMap((r) => r.startup.filter((s) => s.market === 'built-in'));
  return [
    {
      target:
        `History API: p99 ≤ ${plan.targetP99Ms} ms at ${thousands(plan.rate)} req/s on one server core ` +
        `(dashboard mix, beside ${thousands(plan.clients)} feed clients), every request answered`,
      met: counted.every(pacedMet),
      standing: list(
        paced.map(({ phase }) =>
          phase?.api === undefined
            ? 'not measured'
            : `p99 ${ms(phase.api.answeredLatencyMs.p99)} ms at ${thousands(phase.api.requestsPerSecond)} req/s` +
              (refusedOf(phase) > 0 ? `, ${thousands(refusedOf(phase))} refused` : ''),
        ),
      ),
    },
    {
      target: `Feed tick age p99 unaffected by it (at most ${plan.tickAgeToleranceMs} ms above the feed alone)`,
      met: counted.every((r) => tickAgeRise(r) <= r.plan.tickAgeToleranceMs),
      standing: list(
        counted.map((r) => {
          const alone = phaseOf(r, 'baseline')?.tickAgeMs.p99 ?? NaN;
          const loaded = phaseOf(r, 'paced')?.tickAgeMs.p99 ?? NaN;
          return `${ms(alone)} → ${ms(loaded)} ms`;
        }),
      ),
    },
    {
      target:
        `A fresh server answers BTC-USD's 365 daily candles within ${plan.startupTargetMs / 1000} s ` +
        'of its spawn',
      met:
        builtIn.length > 0 &&
        builtIn.every((s) => s.candles === 365 && s.firstAnswerMs <= plan.startupTargetMs),
      standing: list(
        builtIn.map(
          (s) =>
            `${(s.firstAnswerMs / 1000).toFixed(2)} s (listening after ${(s.listenMs / 1000).toFixed(2)} s), ` +
            `${s.candles} candles`,
        ),
      ),
    },
  ];
}

const runLabel = (r: ApiRun): string =>
  `${r.startedAt.slice(0, 16).replace('T', ' ')}${r.attempt > 1 ? ` (try ${r.attempt})` : ''}`;

function statuses(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([status, count]) => {
      const text = `${status}: ${thousands(count)}`;
      return status === '200' || status === '304' ? text : `**${text}**`;
    })
    .join(', ');
}

function phaseNotes(run: ApiRun, phase: ApiPhase): string {
  const notes: string[] = [];
  if (phase.phase !== 'throughput' && run.verdict !== 'valid') notes.push(run.verdict);
  notes.push(`others ${percent(phase.othersCpuShare)} of a core`);
  const core = phase.loadGeneratorCpuShare + phase.apiLoadCpuShare;
  if (core > LOAD_GENERATOR_LIMIT) notes.push(`load core at ${percent(core)}`);
  const api = phase.api;
  if (api !== undefined && api.errors + api.timeouts > 0)
    notes.push(`${thousands(api.errors)} errors, ${thousands(api.timeouts)} timeouts`);
  if (phase.lost > 0) notes.push(`${thousands(phase.lost)} batches lost`);
  if (phase.disconnects > 0) notes.push(`${thousands(phase.disconnects)} disconnects`);
  return notes.join('; ');
}

const KIND_LABELS: Readonly<Record<KindSummary['kind'], string>> = {
  'recent-1m': 'recent 1m × 500',
  'recent-1d': 'recent 1d × 365',
  'scroll-back': 'scroll-back page (cached)',
  deep: 'deep page (random end)',
};

/** The "History API" section: startup and memory, the paced phase, its requests by kind, throughput. */
export function apiSection(runs: readonly ApiRun[], measuredOn: readonly string[]): string[] {
  const plan = runs.at(-1)?.plan;
  if (plan === undefined) return [];
  const lines = ['## History API', ''];
  lines.push(
    `\`ticker\` on one core at ${thousands(plan.tickRate)} ticks/s with ${thousands(plan.clients)} feed clients ` +
      'of 20 charts each (the C load generator, on the other core, times every tick), through three ' +
      `phases of ${plan.phaseMs / 1000} s: the feed alone; after ${plan.warmUpMs / 1000} s of the same mix unmeasured ` +
      "(other deep pages: a fresh server's first page of each window costs 10–25 ms, which a server in " +
      `service has paid), ${thousands(plan.rate)} req/s of GET /api/v1/candles ` +
      `from autocannon beside it (on the load generator's core, ${thousands(plan.lanes)} connections of ` +
      `${thousands(plan.rate / plan.lanes)} req/s, each starting ${thousands(1000 / plan.lanes)} ms after the last: ` +
      "autocannon's own rate limit would send each second's share in one burst), in a dashboard mix over " +
      `${thousands(plan.dashboardSymbols)} symbols: 45% the recent 500 minutes, 25% the recent 365 days, ` +
      '20% the pages just before them (cached), 10% deep pages at random ends since 2016, of any of ' +
      'the 500 symbols (1m, 1h or 1d, never cached); then the recent windows only, from ' +
      `${thousands(plan.throughputConnections)} connections as fast as they are answered. ${percent(RELOAD_SHARE)} ` +
      'of the recent windows are reloads, asked with the If-None-Match of the last 200 to the same request ' +
      "(the 304s); the rest are first asks. Latency is every request's, refusals included, from its write " +
      'to its last byte (ms), and apart for the answered ones (200 and 304, what a client can use), on ' +
      'which the target is judged. The budget per address ' +
      '(MAX_API_REQUESTS_PER_SECOND) is raised, as every request comes from 127.0.0.1; the server-wide work ' +
      'budget (400 ms of the history thread a second, at most 100 ms of it at once; past it requests wait their turn, 503 after 5 s) is as users get it. Startup: a fresh server, from ' +
      'its spawn to its first 200 for a year of daily candles; RSS: MB of 2^20 bytes. Loop delay: the ' +
      "server's event-loop delay over the phase from its /metrics (Node samples it with a 10 ms timer: an idle " +
      'loop reads about 10 ms). "Others": CPU that processes outside the run used meanwhile, in shares of a ' +
      'core. Every run is a row, on fresh servers.',
    '',
    'Command: `npm run bench -- --scenarios api` (`--api-runs 3` for three runs in one go).',
    '',
  );
  for (const line of [...new Set(measuredOn)]) lines.push(`Measured ${line}.`, '');
  // By digest: a rebuild of the same sources writes the same files at a later time.
  const builds = new Map<string, { builtAt: string; labels: string[] }>();
  for (const run of runs) {
    const { digest, builtAt } = run.serverBuild;
    const known = builds.get(digest) ?? { builtAt, labels: [] };
    builds.set(digest, {
      builtAt: known.builtAt < builtAt ? known.builtAt : builtAt,
      labels: [...known.labels, runLabel(run)],
    });
  }
  lines.push(
    `Feed server build (a digest of its dist/): ${list(
      [...builds].map(([digest, { builtAt, labels }]) => {
        const build = `\`${digest}\` (built ${builtAt.slice(0, 16).replace('T', ' ')})`;
        return builds.size > 1 ? `${build} for ${labels.join(', ')}` : build;
      }),
    )}.`,
    '',
  );
  lines.push(
    `### ${thousands(plan.rate)} req/s beside the feed`,
    '',
    '| Run | Requests/s | Latency p50 / p97.5 / p99 / max ms | The 200s and 304s alone | Statuses | MB/s | Server CPU (kernel part) | Server RSS max MB | Tick age p50 / p99 ms: feed alone → with the API | Loop delay p99 / max ms: alone → with the API | Notes |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const run of runs) {
    const alone = phaseOf(run, 'baseline');
    const paced = phaseOf(run, 'paced');
    if (paced?.api === undefined || alone === undefined) continue;
    const a = paced.api;
    lines.push(
      `| ${runLabel(run)} | ${thousands(a.requestsPerSecond)} | ${spread(a.latencyMs)} | ` +
        `${spread(a.answeredLatencyMs)} | ${statuses(a.statuses)} | ` +
        `${megabytes(a.bytesPerSecond)} | ${percent(paced.serverCpuShare)} (${percent(paced.serverKernelShare)}) | ` +
        `${megabytes(paced.rssMaxBytes)} | ` +
        `${ms(alone.tickAgeMs.p50)} / ${ms(alone.tickAgeMs.p99)} → ${ms(paced.tickAgeMs.p50)} / ${ms(paced.tickAgeMs.p99)} | ` +
        `${ms(alone.loopDelayP99Ms)} / ${ms(alone.loopDelayMaxMs)} → ${ms(paced.loopDelayP99Ms)} / ${ms(paced.loopDelayMaxMs)} | ` +
        `${phaseNotes(run, paced)} |`,
    );
  }
  lines.push(
    '',
    `Server CPU with the feed alone: ${list(runs.map((r) => percent(phaseOf(r, 'baseline')?.serverCpuShare ?? NaN)))}.`,
    '',
    '### Which requests take the time (the same phase)',
    '',
    '| Run | Request | Share | Latency p50 / p97.5 / p99 / max ms | Statuses |',
    '| --- | --- | ---: | ---: | --- |',
  );
  for (const run of runs) {
    const api = phaseOf(run, 'paced')?.api;
    if (api === undefined) continue;
    for (const kind of api.byKind) {
      lines.push(
        `| ${runLabel(run)} | ${KIND_LABELS[kind.kind]} | ${percent(kind.responses / api.responses)} | ` +
          `${spread(kind.latencyMs)} | ${statuses(kind.statuses)} |`,
      );
    }
  }
  lines.push(
    '',
    '### Throughput: the recent windows, as fast as they are answered',
    '',
    '| Run | Connections | Requests/s (200 and 304) | Latency p50 / p97.5 / p99 / max ms | Statuses | MB/s | Server CPU (kernel part) | Tick age p50 / p99 ms | Loop delay p99 / max ms | Load core | Notes |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const run of runs) {
    const phase = phaseOf(run, 'throughput');
    if (phase?.api === undefined) continue;
    const a = phase.api;
    lines.push(
      `| ${runLabel(run)} | ${thousands(run.plan.throughputConnections)} | ` +
        `${thousands(a.requestsPerSecond)} (${thousands(a.answeredPerSecond)}) | ${spread(a.latencyMs)} | ` +
        `${statuses(a.statuses)} | ${megabytes(a.bytesPerSecond)} | ` +
        `${percent(phase.serverCpuShare)} (${percent(phase.serverKernelShare)}) | ` +
        `${ms(phase.tickAgeMs.p50)} / ${ms(phase.tickAgeMs.p99)} | ` +
        `${ms(phase.loopDelayP99Ms)} / ${ms(phase.loopDelayMaxMs)} | ` +
        `${percent(phase.loadGeneratorCpuShare + phase.apiLoadCpuShare)} | ${phaseNotes(run, phase)} |`,
    );
  }
  lines.push(
    '',
    '### Startup and memory',
    '',
    '| Run | Market | Listening after | First 200 after (that request) | Candles (KB) | RSS at the first answer MB | RSS with the feed clients (max) → after the phases MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const run of runs) {
    for (const s of run.startup) {
      const market = s.market === 'built-in' ? 'built-in (229 symbols)' : 'bench (500 symbols)';
      const alone = phaseOf(run, 'baseline');
      const after =
        s.market === 'bench' && alone !== undefined
          ? `${megabytes(alone.rssMaxBytes)} → ${megabytes(run.rssAfterBytes)}`
          : '–';
      lines.push(
        `| ${runLabel(run)} | ${market}: \`${s.path.replace('/api/v1/candles', '')}\` | ` +
          `${(s.listenMs / 1000).toFixed(2)} s | ${(s.firstAnswerMs / 1000).toFixed(2)} s (${ms(s.answerMs)} ms) | ` +
          `${thousands(s.candles)} (${(s.bytes / 1024).toFixed(1)}) | ${megabytes(s.rssBytes)} | ${after} |`,
      );
    }
  }
  return lines;
}
