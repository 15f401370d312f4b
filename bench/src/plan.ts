// What a run measures: the scenarios for `npm run bench`, a seconds-long version of them
// for `npm test` (so the harness cannot rot), and overrides from the command line.
import { CONTENDERS, MAX_GATEWAYS, isScaleOut } from './contenders.js';

export interface BenchPlan {
  readonly quick: boolean;
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
}

export const FULL_PLAN: BenchPlan = {
  quick: false,
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
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run bench [-- options]

  --quick                 seconds, small N (what npm test runs); writes to bench/dist/quick
  --clients 1000,5000     subscribers per scenario (default 1000,2000,5000,10000)
  --rates 10000,100000    simulated ticks per second (default 10000,100000)
  --repeats 3             runs per server and scenario; medians are reported
  --servers ticker,ws-json  which servers (default: all: ${CONTENDERS.map((c) => c.name).join(',')});
                          also ticker-gw1 ... ticker-gw${MAX_GATEWAYS}: the feed server scaled out, one source,
                          its own redis-server and N gateways sharing the clients (needs redis-server)
  --out DIR               write the JSON and BENCHMARKS.md to DIR (default: bench/results, bench/BENCHMARKS.md)
  --report FILE[,FILE]    only render BENCHMARKS.md from earlier results: the main tables from the
                          first FILE, the scale-out section from the last FILE with ticker-gw runs
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
        plan = { ...plan, repeats: counts(flag, value, 1, 20)[0] ?? 1 };
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
