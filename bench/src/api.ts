// The history API beside the live feed: a fresh server's first year of daily candles, then one
// server with feed clients through three phases (the feed alone; a paced mix of requests; as
// many recent-window requests as it answers), the feed's tick age measured in each.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DASHBOARD_MIX, DAYS, RECENT_MIX, candlesPath } from './api-mix.js';
import type { ApiMixShares } from './api-mix.js';
import { ApiLoad } from './api-load.js';
import type { ApiLoadSpec, ApiPacing } from './api-load.js';
import type { ApiLoadSummary } from './api-responses.js';
import { OURS } from './contenders.js';
import { LOAD_CORE } from './deployment.js';
import type { Deployment } from './deployment.js';
import { LoadGenerator } from './load-generator.js';
import type { WindowResult } from './load-generator.js';
import type { ApiPlan } from './plan.js';
import { CpuWindow, processRssBytes } from './proc.js';
import { metricValue, scrapeMetrics } from './prometheus-text.js';
import {
  LOAD_GENERATOR_LIMIT,
  OTHERS_LIMIT,
  READY_GRACE_MS,
  contenderNamed,
  startServer,
} from './run.js';
import type { RunContext, Verdict } from './run.js';
import { SYMBOL_COUNT, tickerOf } from './universe.js';

/** Which market a startup was timed on: `npm start`'s own (229 symbols) or the bench's 500. */
export type StartupMarket = 'built-in' | 'bench';

/** A fresh server, from its spawn to its first 200 for a year of daily candles. */
export interface StartupRecord {
  readonly market: StartupMarket;
  readonly path: string;
  /** Spawn to the line saying it listens. */
  readonly listenMs: number;
  /** Spawn to the end of the first 200 (requests sent from the moment it listens). */
  readonly firstAnswerMs: number;
  /** That request alone: connect to its last byte. */
  readonly answerMs: number;
  readonly attempts: number;
  readonly candles: number;
  readonly bytes: number;
  /** The server's RSS right after that answer. */
  readonly rssBytes: number;
}

export type ApiPhaseName = 'baseline' | 'paced' | 'throughput';

/** One phase: the feed clients' window, the server's CPU and RSS, and the API load if any. */
export interface ApiPhase {
  readonly phase: ApiPhaseName;
  readonly elapsedMs: number;
  readonly serverCpuShare: number;
  readonly serverKernelShare: number;
  /** The C load generator's share of its core, and the API load's on the same core. */
  readonly loadGeneratorCpuShare: number;
  readonly apiLoadCpuShare: number;
  readonly othersCpuShare: number;
  /** Sampled every RSS_SAMPLE_MS through the phase. */
  readonly rssMaxBytes: number;
  readonly rssEndBytes: number;
  /**
   * The server's event-loop delay over the phase (its /metrics, scraped as the phase starts and
   * ends): Node samples it with a 10 ms timer, so an idle loop reads about 10 ms.
   */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** The feed clients' tick age: a tick's creation to the load generator's read of it. */
  readonly tickAgeMs: WindowResult['latencyMs'];
  readonly ticksPerSecond: number;
  readonly lost: number;
  readonly disconnects: number;
  readonly api?: ApiLoadSummary;
}

export interface ApiRun {
  /** The plan it ran with: runs from several results files may be shown together. */
  readonly plan: ApiPlan;
  readonly run: number;
  readonly attempt: number;
  readonly startedAt: string;
  /** Noisy or saturated in the feed-alone or the paced phase (the throughput phase may saturate). */
  readonly verdict: Verdict;
  readonly startup: readonly StartupRecord[];
  /** The phases' server: RSS at its first answer and after the last phase. */
  readonly rssAtStartBytes: number;
  readonly rssAfterBytes: number;
  readonly phases: readonly ApiPhase[];
  /** Which build of the feed server ran: others may rebuild it between two runs. */
  readonly serverBuild: ServerBuild;
}

export interface ServerBuild {
  /** sha256 of every .js file of its dist/ (paths and contents), first 12 hex digits. */
  readonly digest: string;
  /** When the newest of them was written. */
  readonly builtAt: string;
}

/** The build `script` (a dist/main.js) belongs to: every .js file beside and below it. */
export function serverBuildOf(script: string): ServerBuild {
  const root = dirname(script);
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 8) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (entry.name.endsWith('.js')) files.push(path);
    }
  };
  walk(root, 0);
  files.sort();
  const hash = createHash('sha256');
  let newest = 0;
  for (const file of files) {
    hash.update(file.slice(root.length)).update('\0').update(readFileSync(file)).update('\0');
    newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return { digest: hash.digest('hex').slice(0, 12), builtAt: new Date(newest).toISOString() };
}

/** The history API's budget is per address and every request comes from 127.0.0.1. */
const API_ENV = { MAX_API_REQUESTS_PER_SECOND: '1000000' };
/** Candles for the startup check: the BTC-USD, and a crypto pair of the bench market. */
export const STARTUP_PATHS: Readonly<Record<StartupMarket, string>> = {
  'built-in': candlesPath('BTC-USD', DAYS, null),
  bench: candlesPath(tickerOf(SYMBOL_COUNT), DAYS, null),
};
const RSS_SAMPLE_MS = 500;
/** The mix's seed: every run asks the same requests (of its own clock). */
const MIX_SEED = 17;
/** The warm-up's mix: the same recent windows, other deep pages than the measured phase's. */
const WARM_UP_SEED = 18;
/** Recent-window requests the unbounded phase cycles through (no deep page, so no need for more). */
const RECENT_LIST = 2_000;

/**
 * The dashboards' symbols: every 25th of the 500 (SYM001, SYM026, …), so stocks and crypto in
 * the universe's proportions.
 */
export function dashboardSymbols(count: number): string[] {
  const step = Math.max(1, Math.floor(SYMBOL_COUNT / count));
  return Array.from({ length: Math.min(count, SYMBOL_COUNT) }, (_, i) => tickerOf(1 + i * step));
}

export async function runApi(context: RunContext): Promise<ApiRun[]> {
  const { plan, log } = context;
  const runs: ApiRun[] = [];
  for (let run = 1; run <= plan.api.runs; run++) {
    for (let attempt = 1; ; attempt++) {
      const record = await apiRunOnce(context, run, attempt);
      log(`[api ${run}/${plan.api.runs}] ${describeApiRun(record)}`);
      if (record.verdict !== 'noisy' || attempt >= plan.maxAttempts) {
        runs.push(record);
        break;
      }
    }
  }
  return runs;
}

async function apiRunOnce(context: RunContext, run: number, attempt: number): Promise<ApiRun> {
  const { plan, pin } = context;
  const api = plan.api;
  const startedAt = new Date().toISOString();
  const serverBuild = serverBuildOf(contenderNamed(OURS).script);
  const builtIn = await timeStartup(context, 'built-in');
  const spawnedAt = performance.now();
  const server = await startServer(context, contenderNamed(OURS), api.tickRate, API_ENV);
  let load: LoadGenerator | null = null;
  try {
    const bench = await firstAnswer(server, 'bench', spawnedAt, performance.now());
    load = LoadGenerator.start(
      {
        ports: server.ports,
        mode: 'ticker',
        clients: api.clients,
        symbols: SYMBOL_COUNT,
        perClient: plan.symbolsPerClient,
        readyTimeoutS: Math.ceil(plan.readyTimeoutMs / 1000),
      },
      pin ? LOAD_CORE : null,
    );
    await load.ready(plan.readyTimeoutMs + READY_GRACE_MS);
    await delay(plan.warmUpMs);
    const url = `http://127.0.0.1:${server.ports[0] ?? 0}`;
    const spec = (
      pacing: ApiPacing,
      shares: ApiMixShares,
      count: number,
      { seed = MIX_SEED, durationMs = api.phaseMs } = {},
    ): ApiLoadSpec => ({
      url,
      pacing,
      durationS: durationMs / 1000,
      mix: {
        shares,
        count,
        seed,
        now: Date.now(),
        symbols: dashboardSymbols(api.dashboardSymbols),
        deepSymbols: Array.from({ length: SYMBOL_COUNT }, (_, i) => tickerOf(i + 1)),
      },
    });
    const phases: ApiPhase[] = [];
    phases.push(await phase(context, server, load, 'baseline', null));
    const pacing: ApiPacing = { kind: 'paced', rate: api.rate, lanes: api.lanes };
    // The same mix with other deep pages, unmeasured: a server in service has answered its
    // dashboards' recent windows before (see bench/README.md, "History API").
    await warmUp(
      context,
      spec(pacing, DASHBOARD_MIX, api.rate * (api.warmUpMs / 1000 + 1), {
        seed: WARM_UP_SEED,
        durationMs: api.warmUpMs,
      }),
    );
    // As many requests as the phase sends, and a second's more: no deep page is asked twice.
    const paced = spec(pacing, DASHBOARD_MIX, api.rate * (api.phaseMs / 1000 + 1));
    phases.push(await phase(context, server, load, 'paced', paced));
    const unbounded = spec(
      { kind: 'unbounded', connections: api.throughputConnections },
      RECENT_MIX,
      RECENT_LIST,
    );
    phases.push(await phase(context, server, load, 'throughput', unbounded));
    const pid = serverPid(server);
    return {
      plan: api,
      run,
      attempt,
      startedAt,
      verdict: apiVerdict(phases),
      startup: [builtIn, bench],
      rssAtStartBytes: bench.rssBytes,
      rssAfterBytes: processRssBytes(pid),
      phases,
      serverBuild,
    };
  } finally {
    await load?.exit();
    await server.stop();
  }
}

/** As for every run, judged on the phases the targets are about: the feed alone and paced. */
export function apiVerdict(phases: readonly ApiPhase[]): Verdict {
  const judged = phases.filter((p) => p.phase !== 'throughput');
  if (judged.some((p) => p.loadGeneratorCpuShare + p.apiLoadCpuShare > LOAD_GENERATOR_LIMIT))
    return 'load generator saturated';
  if (phases.some((p) => p.othersCpuShare > OTHERS_LIMIT)) return 'noisy';
  return 'valid';
}

function serverPid(server: Deployment): number {
  const pid = server.processes[0]?.pid;
  if (pid === undefined) throw new Error('bench: the feed server has no process');
  return pid;
}

/** A server of `market` started for this alone: how soon it answers, then stopped. */
async function timeStartup(context: RunContext, market: StartupMarket): Promise<StartupRecord> {
  const env = market === 'built-in' ? { ...API_ENV, UNIVERSE_FILE: '' } : API_ENV;
  const spawnedAt = performance.now();
  const server = await startServer(context, contenderNamed(OURS), context.plan.api.tickRate, env);
  try {
    return await firstAnswer(server, market, spawnedAt, performance.now());
  } finally {
    await server.stop();
  }
}

/** Asks STARTUP_PATHS[market] until a 200 (every 10 ms, for at most 30 s). */
async function firstAnswer(
  server: Deployment,
  market: StartupMarket,
  spawnedAt: number,
  listeningAt: number,
): Promise<StartupRecord> {
  const port = server.ports[0] ?? 0;
  const path = STARTUP_PATHS[market];
  const deadline = performance.now() + 30_000;
  let last = 'not asked yet';
  for (let attempts = 1; performance.now() < deadline; attempts++) {
    const asked = performance.now();
    const answer = await getText(port, path);
    const answeredAt = performance.now();
    if (answer.status === 200) {
      const rssBytes = processRssBytes(serverPid(server));
      const { candles } = JSON.parse(answer.body) as { candles: unknown[] };
      return {
        market,
        path,
        listenMs: listeningAt - spawnedAt,
        firstAnswerMs: answeredAt - spawnedAt,
        answerMs: answeredAt - asked,
        attempts,
        candles: candles.length,
        bytes: Buffer.byteLength(answer.body),
        rssBytes,
      };
    }
    last = `${answer.status} ${answer.body.slice(0, 200)}`;
    await delay(10);
  }
  throw new Error(`bench: ${path} was not answered 200 within 30 s (last: ${last})`);
}

/** GET on a fresh connection (no agent): its status and body, or status 0 and the error. */
function getText(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000 });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('timeout', () => {
      request.destroy(new Error('no answer within 5 s'));
    });
    request.on('error', (error) => {
      resolve({ status: 0, body: error.message });
    });
  });
}

/** `spec`'s API load, run to its end and not measured. */
async function warmUp(context: RunContext, spec: ApiLoadSpec): Promise<void> {
  const apiLoad = ApiLoad.start(spec, context.pin ? LOAD_CORE : null);
  try {
    await apiLoad.started(30_000);
    await apiLoad.result(spec.durationS * 1000 + 60_000);
  } finally {
    await apiLoad.stop();
  }
}

/**
 * One window of the feed clients, with `spec`'s API load through it (null: the feed alone, for
 * the plan's phase length). The API load starts first; the window opens when its first request
 * goes out and closes when its last is answered.
 */
async function phase(
  context: RunContext,
  server: Deployment,
  load: LoadGenerator,
  name: ApiPhaseName,
  spec: ApiLoadSpec | null,
): Promise<ApiPhase> {
  const pid = serverPid(server);
  const apiLoad = spec === null ? null : ApiLoad.start(spec, context.pin ? LOAD_CORE : null);
  try {
    const port = server.ports[0] ?? 0;
    await apiLoad?.started(30_000);
    await scrapeMetrics(port); // restarts the event-loop histogram: it covers this phase alone
    const cpu = new CpuWindow([pid, load.pid, ...(apiLoad ? [apiLoad.pid] : [])]);
    load.go();
    let rssMaxBytes = processRssBytes(pid);
    const sampler = setInterval(() => {
      rssMaxBytes = Math.max(rssMaxBytes, processRssBytes(pid));
    }, RSS_SAMPLE_MS);
    let summary: ApiLoadSummary | undefined;
    try {
      if (apiLoad === null) await delay(context.plan.api.phaseMs);
      else summary = await apiLoad.result(context.plan.api.phaseMs + 60_000);
    } finally {
      clearInterval(sampler);
    }
    const window = cpu.end();
    const rssEndBytes = processRssBytes(pid);
    const metrics = await scrapeMetrics(port);
    const feed = await load.stop();
    const share = (of: number): number => {
      const ms = window.processMs.get(of) ?? { user: 0, kernel: 0 };
      return (ms.user + ms.kernel) / window.elapsedMs;
    };
    const serverMs = window.processMs.get(pid) ?? { user: 0, kernel: 0 };
    const serverCpuMs = serverMs.user + serverMs.kernel;
    const record: ApiPhase = {
      phase: name,
      elapsedMs: window.elapsedMs,
      serverCpuShare: serverCpuMs / window.elapsedMs,
      serverKernelShare: serverCpuMs > 0 ? serverMs.kernel / serverCpuMs : 0,
      loadGeneratorCpuShare: share(load.pid),
      apiLoadCpuShare: apiLoad ? share(apiLoad.pid) : 0,
      othersCpuShare: window.othersShare,
      rssMaxBytes: Math.max(rssMaxBytes, rssEndBytes),
      rssEndBytes,
      loopDelayP99Ms: metricValue(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      loopDelayMaxMs: metricValue(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000,
      tickAgeMs: feed.latencyMs,
      ticksPerSecond: feed.ticks / (feed.windowMs / 1000),
      lost: feed.gaps,
      disconnects: feed.disconnects,
      ...(summary ? { api: summary } : {}),
    };
    context.log(`api ${describePhase(record)}`);
    return record;
  } finally {
    await apiLoad?.stop();
  }
}

const ms = (value: number): string => value.toFixed(1);
const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;

export function describePhase(p: ApiPhase): string {
  const feed =
    `tick age p50 ${ms(p.tickAgeMs.p50)} / p99 ${ms(p.tickAgeMs.p99)} ms, lost ${p.lost}, ` +
    `server ${pct(p.serverCpuShare)}, loop delay p99 ${ms(p.loopDelayP99Ms)} / max ${ms(p.loopDelayMaxMs)} ms, RSS max ${(p.rssMaxBytes / 2 ** 20).toFixed(0)} MB, ` +
    `loadgen ${pct(p.loadGeneratorCpuShare)}, API load ${pct(p.apiLoadCpuShare)}, others ${pct(p.othersCpuShare)}`;
  if (p.api === undefined) return `${p.phase}: ${feed}`;
  const a = p.api;
  const statuses = Object.entries(a.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  return (
    `${p.phase}: ${a.requestsPerSecond.toFixed(0)} req/s, latency p50 ${ms(a.latencyMs.p50)} / ` +
    `p97.5 ${ms(a.latencyMs.p975)} / p99 ${ms(a.latencyMs.p99)} / max ${ms(a.latencyMs.max)} ms, ` +
    `${statuses}, ${(a.bytesPerSecond / 2 ** 20).toFixed(1)} MB/s; ${feed}`
  );
}

function describeApiRun(r: ApiRun): string {
  const startups = r.startup
    .map((s) => `${s.market} market: ${s.candles} candles ${ms(s.firstAnswerMs)} ms after spawn`)
    .join(', ');
  const flag = r.verdict === 'valid' ? '' : ` [${r.verdict}]`;
  return (
    `${startups}; RSS ${(r.rssAtStartBytes / 2 ** 20).toFixed(0)} → ` +
    `${(r.rssAfterBytes / 2 ** 20).toFixed(0)} MB; feed server build ${r.serverBuild.digest} ` +
    `(${r.serverBuild.builtAt})${flag}`
  );
}
