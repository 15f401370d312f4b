// What a run measures: the scenarios for `npm run bench`, a seconds-long version of them
// for `npm test` (so the harness cannot rot), and overrides from the command line.
import { CONTENDERS, MAX_GATEWAYS, isScaleOut } from './contenders.js';

/** The parts of a whole benchmark, in the order they run. */
export const SCENARIOS = ['peers', 'idle', 'storm', 'viewers', 'api'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What a storm's clients subscribe to: charts (full snapshots) or quotes (~150-byte ones). */
export const STORM_VIEWS = ['chart', 'quote'] as const;
export type StormView = (typeof STORM_VIEWS)[number];

/**
 * The reconnect storm: every client of a server whose histories are full connects at once and
 * subscribes; it measures how long until every client holds all its snapshots.
 */
export interface StormPlan {
  readonly clients: number;
  /** Symbols per client, all in the storm's view. */
  readonly symbolsPerClient: number;
  readonly views: readonly StormView[];
  /**
   * Handshakes in flight at once: 'all' puts every connect in flight together (the storm as the
   * issue states it); a number paces them, which keeps a server's listen backlog from
   * overflowing (see bench/README.md, "Reconnect storm").
   */
  readonly concurrency: readonly (number | 'all')[];
  /**
   * Clients sharing one source address. The server budgets snapshots per address (a burst of
   * 16 MiB): 40 clients × 20 chart snapshots of 10–20 KB is 8–16 MB, so each address's demand
   * fits its burst and the per-address budget is not what a storm of distinct users measures.
   */
  readonly clientsPerAddress: number;
  readonly tickRate: number;
  /** The targets for the slowest client, per view. */
  readonly targetMs: Readonly<Record<StormView, number>>;
}

/** Dashboard viewers (a few charts, many quote rows) beside clients that chart everything. */
export interface ViewersPlan {
  readonly clients: number;
  readonly tickRates: readonly number[];
  /** What one viewer holds: a chart and a watchlist of quotes. */
  readonly viewer: { readonly charts: number; readonly quotes: number };
  /** What each client of the comparison holds: charts only. */
  readonly allCharts: { readonly charts: number; readonly quotes: number };
  /** The target: all-charts ÷ viewers, for server CPU and for bytes per client. */
  readonly targetRatio: number;
}

/**
 * The history API (GET /api/v1/candles) beside the live feed: the feed's tick age alone, then
 * under a paced mix of requests, then the most requests a second the server answers; and how
 * soon a fresh server answers its first year of daily candles.
 */
export interface ApiPlan {
  /** Feed clients during every phase, each charting the plan's symbolsPerClient symbols. */
  readonly clients: number;
  readonly tickRate: number;
  /** Length of each phase: the feed alone, paced API load, unbounded API load. */
  readonly phaseMs: number;
  /**
   * Before the paced phase, its mix (with other deep pages) runs this long unmeasured: a fresh
   * server's first page of each window costs 10–25 ms, which a server in service has paid.
   */
  readonly warmUpMs: number;
  /** Requests a second of the paced phase, over `lanes` staggered connections (api-load.ts). */
  readonly rate: number;
  /** lanesFor(rate). */
  readonly lanes: number;
  /** Connections of the unbounded phase, each sending as soon as it is answered. */
  readonly throughputConnections: number;
  /** Runs, each on fresh servers; every one is a row of BENCHMARKS.md. */
  readonly runs: number;
  /** Symbols whose recent windows the dashboards ask for (deep pages: any of the 500). */
  readonly dashboardSymbols: number;
  /** The target for the paced phase's p99, in ms. */
  readonly targetP99Ms: number;
  /**
   * How far the feed's tick age p99 under the paced load may rise above the same clients' p99
   * alone and still count as unaffected: tick times are whole ms and two 10 s windows of the
   * same load differ by 1-3 ms here (soak: p99 52-54 ms from one 10 s sample to the next).
   */
  readonly tickAgeToleranceMs: number;
  /** A fresh server answers BTC-USD's 365 daily candles within this many ms of its spawn. */
  readonly startupTargetMs: number;
}

/**
 * Lanes of 10 requests a second for a paced rate: each lane sends its second's requests back to
 * back, and the next lane starts 1/lanes s later, so the server sees short bursts every few ms
 * that now and then overlap, as from many independent clients. Lanes of 50 (measured
 * 2026-12-01, 1,000 req/s without the feed) kept the server's work in bursts of ~20 ms, more
 * 503s from its work budget, and fewer requests waiting on each other (p99 6 against 14 ms).
 */
export function lanesFor(rate: number): number {
  return Math.max(1, Math.min(200, Math.round(rate / 10)));
}

export interface BenchPlan {
  readonly quick: boolean;
  /** Which parts run; see SCENARIOS. */
  readonly scenarios: readonly Scenario[];
  /** Subscribers per scenario. */
  readonly clients: readonly number[];
  /** Simulated ticks per second over all symbols. */
  readonly tickRates: readonly number[];
  readonly symbolsPerClient: number;
  /** Connections for the idle-memory measurement. */
  readonly idleClients: number;
  /** Valid runs per server and scenario; the report shows their medians. */
  readonly repeats: number;
  /** Tries per run while other processes keep the machine busy. */
  readonly maxAttempts: number;
  readonly warmUpMs: number;
  readonly windowMs: number;
  readonly flushIntervalMs: number;
  readonly readyTimeoutMs: number;
  readonly contenders: readonly string[];
  readonly storm: StormPlan;
  readonly viewers: ViewersPlan;
  readonly api: ApiPlan;
}

export const FULL_PLAN: BenchPlan = {
  quick: false,
  scenarios: SCENARIOS,
  clients: [1_000, 2_000, 5_000, 10_000],
  tickRates: [10_000, 100_000],
  symbolsPerClient: 20,
  idleClients: 10_000,
  repeats: 3,
  maxAttempts: 3,
  warmUpMs: 2_000,
  windowMs: 5_000,
  flushIntervalMs: 50,
  readyTimeoutMs: 180_000,
  contenders: CONTENDERS.map((c) => c.name),
  storm: {
    clients: 10_000,
    symbolsPerClient: 20,
    views: STORM_VIEWS,
    // 500 in flight stay within the server's listen backlog (512): no SYN waits for a retry.
    concurrency: ['all', 500],
    clientsPerAddress: 40,
    tickRate: 10_000,
    targetMs: { chart: 3_000, quote: 1_000 },
  },
  viewers: {
    clients: 2_000,
    tickRates: [10_000, 100_000],
    viewer: { charts: 1, quotes: 20 },
    allCharts: { charts: 20, quotes: 0 },
    targetRatio: 3,
  },
  api: {
    // 200 × 20 charts: a feed the server carries at a few % of its core, so what moves its tick
    // age is the API, not the fan-out (2,000 clients take 46% alone: BENCHMARKS.md).
    clients: 200,
    tickRate: 10_000,
    phaseMs: 10_000,
    warmUpMs: 3_000,
    rate: 1_000,
    lanes: lanesFor(1_000),
    throughputConnections: 50,
    runs: 1,
    dashboardSymbols: 20,
    targetP99Ms: 10,
    tickAgeToleranceMs: 5,
    startupTargetMs: 1_000,
  },
};

export const QUICK_PLAN: BenchPlan = {
  ...FULL_PLAN,
  quick: true,
  clients: [100],
  tickRates: [10_000],
  idleClients: 200,
  repeats: 1,
  maxAttempts: 1,
  warmUpMs: 500,
  windowMs: 1_000,
  // A few hundred clients: seconds, not the storm's figures.
  storm: { ...FULL_PLAN.storm, clients: 300, concurrency: ['all'] },
  viewers: { ...FULL_PLAN.viewers, clients: 100, tickRates: [10_000] },
  api: {
    ...FULL_PLAN.api,
    clients: 50,
    phaseMs: 1_000,
    warmUpMs: 500,
    rate: 200,
    lanes: lanesFor(200),
    throughputConnections: 10,
  },
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run bench [-- options]

  --quick                 seconds, small N (what npm test runs); writes to bench/dist/quick
  --scenarios peers,storm which parts to run (default: all: ${SCENARIOS.join(',')}):
                          peers: every server at --clients x --rates; idle: memory per idle
                          connection; storm: reconnect storm; viewers: dashboard viewers;
                          api: the history API beside the feed
  --clients 1000,5000     subscribers per scenario (default 1000,2000,5000,10000)
  --rates 10000,100000    simulated ticks per second (default 10000,100000)
  --repeats 3             runs per server and scenario; medians are reported
  --storm-clients 10000   clients in the reconnect storm (default ${FULL_PLAN.storm.clients}; quick ${QUICK_PLAN.storm.clients})
  --storm-views chart     which storms: chart, quote or both (default chart,quote)
  --storm-concurrency all,500
                          handshakes in flight: all (every connect at once) or a number, one
                          storm each (default all,500; quick all)
  --viewer-clients 2000   clients of each kind in the viewers scenario (default ${FULL_PLAN.viewers.clients}; quick ${QUICK_PLAN.viewers.clients})
  --viewer-rates 10000    ticks per second of the viewers scenario (default 10000,100000)
  --api-clients 200       feed clients beside the history API load (default ${FULL_PLAN.api.clients}; quick ${QUICK_PLAN.api.clients})
  --api-rate 1000         requests a second of the paced API phase (default ${FULL_PLAN.api.rate}; quick ${QUICK_PLAN.api.rate})
  --api-seconds 10        length of each API phase (default ${FULL_PLAN.api.phaseMs / 1000}; quick ${QUICK_PLAN.api.phaseMs / 1000})
  --api-runs 1            API runs, each on fresh servers (default ${FULL_PLAN.api.runs})
  --servers ticker,ws-json  which servers (default: all: ${CONTENDERS.map((c) => c.name).join(',')});
                          also ticker-gw1 ... ticker-gw${MAX_GATEWAYS}: the feed server scaled out, one source,
                          its own redis-server and N gateways sharing the clients (needs redis-server)
  --out DIR               write the JSON and BENCHMARKS.md to DIR (default: bench/results, bench/BENCHMARKS.md)
  --report FILE[,FILE]    only render BENCHMARKS.md from earlier results: the main tables from the
                          first FILE; the scale-out, storm and viewers sections each from the last
                          FILE that has them; the history API's runs from every FILE that has them

  BENCH_FEED_SERVER=PATH  run ticker from another build of the feed server (its dist/main.js)
`;

export interface Command {
  readonly plan: BenchPlan;
  readonly outDir: string | null;
  /** Results files to render instead of running: the first is the main one. */
  readonly reportFrom: readonly string[] | null;
}

/** Parses the command line; a bad value throws a UsageError naming it. */
export function parseCommand(argv: readonly string[]): Command | 'help' {
  let plan: BenchPlan = argv.includes('--quick') ? QUICK_PLAN : FULL_PLAN;
  let outDir: string | null = null;
  let reportFrom: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--quick') continue;
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--clients':
        plan = { ...plan, clients: counts(flag, value, 1, 15_000) };
        break;
      case '--rates':
        plan = { ...plan, tickRates: counts(flag, value, 1, 1_000_000) };
        break;
      case '--repeats':
        plan = { ...plan, repeats: single(flag, value, 1, 20) };
        break;
      case '--scenarios':
        plan = { ...plan, scenarios: names(flag, value, SCENARIOS) };
        break;
      case '--storm-clients':
        plan = { ...plan, storm: { ...plan.storm, clients: single(flag, value, 1, 15_000) } };
        break;
      case '--storm-views':
        plan = { ...plan, storm: { ...plan.storm, views: names(flag, value, STORM_VIEWS) } };
        break;
      case '--storm-concurrency':
        plan = { ...plan, storm: { ...plan.storm, concurrency: concurrencies(flag, value) } };
        break;
      case '--viewer-clients':
        plan = { ...plan, viewers: { ...plan.viewers, clients: single(flag, value, 1, 15_000) } };
        break;
      case '--viewer-rates':
        plan = {
          ...plan,
          viewers: { ...plan.viewers, tickRates: counts(flag, value, 1, 1_000_000) },
        };
        break;
      case '--api-clients':
        plan = { ...plan, api: { ...plan.api, clients: single(flag, value, 1, 15_000) } };
        break;
      case '--api-rate': {
        const rate = single(flag, value, 1, 100_000);
        plan = { ...plan, api: { ...plan.api, rate, lanes: lanesFor(rate) } };
        break;
      }
      case '--api-seconds':
        plan = { ...plan, api: { ...plan.api, phaseMs: single(flag, value, 1, 600) * 1000 } };
        break;
      case '--api-runs':
        plan = { ...plan, api: { ...plan.api, runs: single(flag, value, 1, 20) } };
        break;
      case '--servers':
        plan = { ...plan, contenders: serverNames(value) };
        break;
      case '--out':
        outDir = value;
        break;
      case '--report':
        reportFrom = value.split(',').map((path) => path.trim());
        if (reportFrom.some((path) => path === ''))
          throw new UsageError(`--report takes comma-separated files (got "${value}")`);
        break;
      default:
        throw new UsageError(`unknown option "${flag}"`);
    }
  }
  return { plan, outDir, reportFrom };
}

function counts(flag: string, value: string, min: number, max: number): number[] {
  const numbers = value.split(',').map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isInteger(n) || n < min || n > max)) {
    throw new UsageError(
      `${flag} takes integers from ${min} to ${max}, comma-separated (got "${value}")`,
    );
  }
  return numbers;
}

function single(flag: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < min || n > max || value.trim() === '')
    throw new UsageError(`${flag} takes an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

/** A comma-separated subset of `known`, in the order given, each at most once. */
function names<T extends string>(flag: string, value: string, known: readonly T[]): T[] {
  const given = value.split(',').map((name) => name.trim());
  const unknown = given.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0 || given.length !== new Set(given).size) {
    throw new UsageError(
      `${flag} takes some of ${known.join(',')}, comma-separated, each once (got "${value}")`,
    );
  }
  return given as T[];
}

function concurrencies(flag: string, value: string): (number | 'all')[] {
  return value.split(',').map((part) => {
    const text = part.trim();
    if (text === 'all') return 'all';
    const n = Number(text);
    if (text === '' || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new UsageError(
        `${flag} takes "all" or integers from 1 to 1000000, comma-separated (got "${value}")`,
      );
    }
    return n;
  });
}

function serverNames(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  const known = CONTENDERS.map((c) => c.name);
  const unknown = names.filter((name) => !known.includes(name) && !isScaleOut(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--servers: unknown "${unknown.join(',')}"; choose from ${known.join(',')} or ticker-gw1 to ticker-gw${MAX_GATEWAYS}`,
    );
  }
  return names;
}
