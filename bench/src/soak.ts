// npm run soak -w @ticker/bench [-- options]: see SOAK_USAGE in soak-options.ts and bench/README.md.
// This entry only checks the command line and the build; the run itself (and @ticker/protocol,
// which a missing build would make fail to load) comes in by a dynamic import after that.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findContender } from './contenders.js';
import { UsageError } from './plan.js';
import { SOAK_USAGE, parseSoakCommand } from './soak-options.js';

const BUILD_HINT =
  'build it first, from the repository root: TURBO_TELEMETRY_DISABLED=1 npx turbo run build --filter=@ticker/feed-server...';

class NotBuiltError extends Error {
  override readonly name = 'NotBuiltError';
}

function protocolBuilt(): boolean {
  try {
    return existsSync(createRequire(import.meta.url).resolve('@ticker/protocol'));
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const options = parseSoakCommand(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(SOAK_USAGE);
    return 0;
  }
  const ticker = findContender('ticker');
  if (ticker === null || !existsSync(ticker.script)) {
    throw new NotBuiltError(
      `the feed server is not built (${String(ticker?.script)} is missing); ${BUILD_HINT}`,
    );
  }
  if (!protocolBuilt()) throw new NotBuiltError(`@ticker/protocol is not built; ${BUILD_HINT}`);

  const { runSoak } = await import('./soak-run.js');
  const abort = new AbortController();
  const interrupt = (): void => {
    process.stderr.write('soak: stopping early (the results so far are still written)\n');
    abort.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const { results, jsonPath } = await runSoak(options, ticker, abort.signal, (line) => {
    console.log(line);
  });
  console.log(`wrote ${jsonPath}`);
  if (results.interrupted) return 130;
  return results.verdict.pass ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError;
    process.stderr.write(`soak: ${message}\n${usage ? SOAK_USAGE : ''}`);
    process.exitCode = usage || error instanceof NotBuiltError ? 2 : 1;
  },
);
