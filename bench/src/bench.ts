// A whole benchmark: build the load generator, describe the machine, run every scenario of the
// plan (the peers, idle memory, the reconnect storm, dashboard viewers, the history API), write
// the JSON and the markdown table.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runApi } from './api.js';
import { OURS } from './contenders.js';
import { probeHello, viewsOf } from './hello-probe.js';
import { buildLoadGenerator } from './load-generator.js';
import { describeMachine, machineLine } from './machine.js';
import { SCENARIOS } from './plan.js';
import type { BenchPlan, Scenario } from './plan.js';
import { benchDir } from './paths.js';
import { renderMarkdown } from './report.js';
import type { BenchResults } from './report.js';
import { contenderNamed, measureIdleMemory, runScenarios, startServer } from './run.js';
import type { RunContext } from './run.js';
import { runConnectStorms } from './connect-storm.js';
import { runStorms } from './storm.js';
import type { ViewsSupport } from './storm.js';
import { writeBenchUniverse } from './universe.js';
import { runViewers } from './viewers.js';

export interface Written {
  readonly results: BenchResults;
  readonly jsonPath: string;
  readonly markdownPath: string;
}

/**
 * Where results go: `outDir` for both, or bench/results/ and bench/BENCHMARKS.md. A run of only
 * some scenarios renders only their sections, so it does not replace BENCHMARKS.md (which holds
 * every scenario's): its markdown goes beside its JSON, and `--report` renders the whole from
 * the stored results.
 */
export function outputPaths(
  outDir: string | null,
  stamp: string,
  everyScenario: boolean,
): { json: string; markdown: string } {
  if (outDir !== null) {
    return { json: join(outDir, `${stamp}.json`), markdown: join(outDir, 'BENCHMARKS.md') };
  }
  const json = join(benchDir, 'results', `${stamp}.json`);
  return {
    json,
    markdown: everyScenario ? join(benchDir, 'BENCHMARKS.md') : json.replace(/\.json$/, '.md'),
  };
}

/** Separate cores for the server and the load generator, or why that is not possible here. */
function pinning(): { pin: true } | { pin: false; why: string } {
  if (availableParallelism() < 2) return { pin: false, why: 'fewer than two cores' };
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return { pin: true };
  } catch {
    return { pin: false, why: 'taskset (util-linux) is missing' };
  }
}

export async function runBench(
  plan: BenchPlan,
  outDir: string | null,
  log: (line: string) => void,
): Promise<Written> {
  const pin = pinning();
  if (!pin.pin) {
    if (!plan.quick)
      throw new Error(`bench: cannot pin server and load generator apart: ${pin.why}`);
    log(`bench: running unpinned (${pin.why}); figures are only a smoke test`);
  }
  buildLoadGenerator();
  const machine = describeMachine();
  log(machineLine(machine));
  const scratch = mkdtempSync(join(tmpdir(), 'ticker-bench-'));
  try {
    const context = {
      plan,
      universeFile: writeBenchUniverse(scratch),
      scratchDir: scratch,
      pin: pin.pin,
      cores: availableParallelism(),
      log,
    };
    const wants = (scenario: Scenario): boolean => plan.scenarios.includes(scenario);
    const runs = wants('peers') ? await runScenarios(context) : [];
    const idle = wants('idle') ? await measureIdleMemory(context) : [];
    const views = wants('storm') || wants('viewers') ? await serverViews(context) : null;
    const storm = views && wants('storm') ? await runStorms(context, views) : null;
    const connectStorms = wants('storm') ? await runConnectStorms(context) : null;
    const viewers = views && wants('viewers') ? await runViewers(context, views) : null;
    const api = wants('api') ? await runApi(context) : null;
    const results: BenchResults = {
      machine,
      plan,
      runs,
      idle,
      ...(storm ? { storms: storm.records } : {}),
      ...(connectStorms ? { connectStorms } : {}),
      ...(viewers ? { viewers: viewers.records } : {}),
      ...(api ? { api } : {}),
      ...(views ? { serverViews: views } : {}),
      skipped: [...(storm?.skipped ?? []), ...(viewers?.skipped ?? [])],
    };
    // A quick run's figures are a smoke test: they never replace the committed results.
    const out = outDir ?? (plan.quick ? join(benchDir, 'dist', 'quick') : null);
    const everyScenario = SCENARIOS.every((scenario) => plan.scenarios.includes(scenario));
    const paths = outputPaths(out, machine.date.replaceAll(':', '-').slice(0, 19), everyScenario);
    mkdirSync(dirname(paths.json), { recursive: true });
    writeFileSync(paths.json, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(paths.markdown, renderMarkdown(results));
    return { results, jsonPath: paths.json, markdownPath: paths.markdown };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Whether `ticker` has views, from the hello of a server started for that alone: the quote
 * scenarios run only on a server that announces QuoteIntervalMs (hello limit 7).
 */
async function serverViews(context: RunContext): Promise<ViewsSupport> {
  const server = await startServer(context, contenderNamed(OURS), context.plan.storm.tickRate);
  try {
    const [port] = server.ports;
    if (port === undefined) throw new Error('bench: the feed server has no port');
    const views = viewsOf(await probeHello(port));
    context.log(
      views.views
        ? 'ticker has views (its hello announces QuoteIntervalMs)'
        : `ticker: ${views.why}`,
    );
    return views;
  } finally {
    await server.stop();
  }
}

/**
 * Renders the markdown again from stored results files: the main tables from the first, the
 * scale-out, storm and viewers sections each from the last one that has them (they are often
 * separate runs), the history API's runs from all that have them.
 */
export function rerender(jsonPaths: readonly string[], outDir: string | null): string {
  const [main, ...more] = jsonPaths.map(
    (path) => JSON.parse(readFileSync(path, 'utf8')) as BenchResults,
  );
  if (main === undefined) throw new Error('bench: --report needs at least one results file');
  const { markdown } = outputPaths(outDir, '', true);
  writeFileSync(markdown, renderMarkdown(main, more));
  return markdown;
}
