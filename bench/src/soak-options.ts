// The command line of `npm run soak`: how long, how many clients of each kind, how often to
// sample. Every value is bounded, so a typo cannot start an hour-long or unbounded run.
import { UsageError } from './plan.js';

export interface SoakOptions {
  /** Length of the run after the clients start, in seconds. */
  readonly durationS: number;
  /** Seconds between two samples of the server. */
  readonly sampleS: number;
  /** Well-behaved clients held open the whole run (reconnected if the server closes one). */
  readonly clients: number;
  /** Short-lived clients started per second: connect, subscribe, read a little, disconnect. */
  readonly churnPerSecond: number;
  /** Clients at any time that subscribe to every symbol and stop reading their socket. */
  readonly slowReaders: number;
  /** The feed server's TICK_RATE. */
  readonly tickRate: number;
  /** Where the JSON goes; bench/results by default. */
  readonly outDir: string | null;
  /**
   * V8's young-generation semi-space for the server, fixed at this many MB from the start; null
   * leaves V8 to grow it (which shows as steps in RSS; see bench/README.md "Soak").
   */
  readonly semiSpaceMb: number | null;
}

export const DEFAULT_SOAK: SoakOptions = {
  durationS: 10 * 60,
  sampleS: 10,
  clients: 100,
  churnPerSecond: 10,
  slowReaders: 4,
  tickRate: 10_000,
  outDir: null,
  semiSpaceMb: null,
};

/** Fewer samples than this cannot split the run into thirds (see `judgePlateau`). */
export const MIN_SAMPLES = 3;

export const SOAK_USAGE = `Usage: npm run soak -w @ticker/bench [-- options]

Runs the built feed server (apps/feed-server/dist/main.js) on 127.0.0.1 under steady, churning
and slow clients, samples its RSS, event-loop delay and CPU, and judges whether memory plateaus.

  --minutes 10            length of the run, 1-120 (default 10)
  --seconds 60            length in seconds instead, 10-7200 (for a smoke run)
  --sample-seconds 10     seconds between samples, 1-60 (default 10)
  --clients 100           well-behaved clients, 0-2000 (default 100; 20 symbols each)
  --churn 10              short-lived clients started per second, 0-100 (default 10)
  --slow-readers 4        clients at a time that stop reading until closed, 0-50 (default 4)
  --tick-rate 10000       the server's TICK_RATE, 1-200000 (default 10000)
  --out DIR               write soak-<time>.json to DIR (default: bench/results)
  --semi-space-mb 16      start the server with V8's young generation at its full size, 1-64
                          (default: V8 grows it as it sees fit)

Exit codes: 0 memory plateaued (or the run was too short to judge), 1 it did not or the
well-behaved clients saw gaps or closes, 2 bad options or the feed server is not built.
`;

/** Parses the command line; a bad value throws a UsageError naming it. */
export function parseSoakCommand(argv: readonly string[]): SoakOptions | 'help' {
  let options: SoakOptions = DEFAULT_SOAK;
  let lengthFlag: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') return 'help';
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--minutes':
      case '--seconds': {
        if (lengthFlag !== null && lengthFlag !== flag)
          throw new UsageError(`give either --minutes or --seconds, not both`);
        lengthFlag = flag;
        const durationS =
          flag === '--minutes'
            ? integer(flag, value, 1, 120) * 60
            : integer(flag, value, 10, 7_200);
        options = { ...options, durationS };
        break;
      }
      case '--sample-seconds':
        options = { ...options, sampleS: integer(flag, value, 1, 60) };
        break;
      case '--clients':
        options = { ...options, clients: integer(flag, value, 0, 2_000) };
        break;
      case '--churn':
        options = { ...options, churnPerSecond: integer(flag, value, 0, 100) };
        break;
      case '--slow-readers':
        options = { ...options, slowReaders: integer(flag, value, 0, 50) };
        break;
      case '--tick-rate':
        options = { ...options, tickRate: integer(flag, value, 1, 200_000) };
        break;
      case '--semi-space-mb':
        options = { ...options, semiSpaceMb: integer(flag, value, 1, 64) };
        break;
      case '--out':
        if (value.trim() === '') throw new UsageError('--out needs a directory');
        options = { ...options, outDir: value };
        break;
      default:
        throw new UsageError(`unknown option "${flag}"`);
    }
  }
  const samples = Math.floor(options.durationS / options.sampleS);
  if (samples < MIN_SAMPLES) {
    throw new UsageError(
      `--sample-seconds ${options.sampleS} gives ${samples} sample(s) in a ${options.durationS} s run; ` +
        `at least ${MIN_SAMPLES} are needed`,
    );
  }
  return options;
}

function integer(flag: string, value: string, min: number, max: number): number {
  // Number('') is 0 and Number('1e1') is 10: only plain digits are a count here.
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes an integer from ${min} to ${max} (got "${value}")`);
  }
  return n;
}
