// One soak run: the built feed server as users run it, the clients of soak-clients.ts against
// it for the whole run, a sample every few seconds, then the verdict and the JSON.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Contender } from './contenders.js';
import { benchDir } from './paths.js';
import { metricTotal, metricValue, scrapeMetrics } from './prometheus-text.js';
import { machineBusyMs, processCpuMs, processRssBytes } from './proc.js';
import { ServerProcess } from './server-process.js';
import { SoakPopulation } from './soak-clients.js';
import type { PopulationSettings } from './soak-clients.js';
import type { SoakOptions } from './soak-options.js';
import { SAMPLE_HEADER, sampleLine, summaryTable } from './soak-report.js';
import type { SoakSample } from './soak-report.js';
import { PLATEAU_RULE, judgePlateau, judgeSoak } from './soak-verdict.js';
import type { PlateauVerdict, SoakVerdict } from './soak-verdict.js';
import { describeMachine } from './machine.js';
import type { Machine } from './machine.js';

/**
 * The fixed parts of the setup. The server's slow-consumer limits are lowered from 4 MiB and
 * 30 s so that it pauses and closes slow readers many times in a run. The stall is measured: at
 * 10,000 ticks/s a reader of all 229 symbols that stops reading is paused about 25 s later
 * (the loopback socket's kernel buffers take some 4 MB first), then closed 5 s after that.
 */
export const SOAK_SETTINGS = {
  symbolsPerClient: 20,
  churnSymbols: 5,
  churnHoldMs: 1_000,
  churnTimeoutMs: 10_000,
  slowStallMs: 45_000,
  slowCloseWaitMs: 15_000,
  slowConsumerBytes: 256 * 1024,
  slowConsumerTimeoutMs: 5_000,
  flushIntervalMs: 50,
  seed: 1,
} as const;

export interface SoakResults {
  readonly machine: Machine;
  readonly options: SoakOptions;
  readonly settings: typeof SOAK_SETTINGS;
  readonly plateauRule: typeof PLATEAU_RULE;
  /** Newest modification time in apps/feed-server/dist when the run started and ended. */
  readonly feedServerBuild: { readonly startedWith: string; readonly endedWith: string };
  readonly interrupted: boolean;
  readonly samples: readonly SoakSample[];
  readonly plateau: PlateauVerdict;
  readonly verdict: SoakVerdict;
  readonly steadyCloseCodes: Readonly<Record<string, number>>;
  readonly slowCloseCodes: Readonly<Record<string, number>>;
}

export interface SoakOutcome {
  readonly results: SoakResults;
  readonly jsonPath: string;
}

/** The newest .js file's mtime under `dir`: tells whether a build landed during the run. */
function newestBuild(dir: string): string {
  let newest = 0;
  const walk = (path: string, depth: number): void => {
    if (depth > 6) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(dir, 0);
  return new Date(newest).toISOString();
}

/** A `kB` field of /proc/<pid>/status, in bytes (NaN if the kernel has no such field). */
function statusBytes(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match ? Number(match[1]) * 1024 : NaN;
}

const lengthText = (s: number): string => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

export async function runSoak(
  options: SoakOptions,
  ticker: Contender,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<SoakOutcome> {
  const machine = describeMachine();
  const distDir = dirname(ticker.script);
  const startedWith = newestBuild(distDir);
  const populationSettings: PopulationSettings = {
    clients: options.clients,
    symbolsPerClient: SOAK_SETTINGS.symbolsPerClient,
    churnPerSecond: options.churnPerSecond,
    churnSymbols: SOAK_SETTINGS.churnSymbols,
    churnHoldMs: SOAK_SETTINGS.churnHoldMs,
    churnTimeoutMs: SOAK_SETTINGS.churnTimeoutMs,
    slowReaders: options.slowReaders,
    slowStallMs: SOAK_SETTINGS.slowStallMs,
    slowCloseWaitMs: SOAK_SETTINGS.slowCloseWaitMs,
  };
  log(
    `soak: ${lengthText(options.durationS)} on ${machine.cpu}, ${machine.cores} cores, ` +
      `Node ${process.version}; feed server build of ${startedWith}`,
  );
  log(
    `soak: TICK_RATE ${options.tickRate}; ${options.clients} steady clients × ` +
      `${SOAK_SETTINGS.symbolsPerClient} symbols, ${options.churnPerSecond} churning clients/s × ` +
      `${SOAK_SETTINGS.churnSymbols} symbols, ${options.slowReaders} slow readers of every symbol; ` +
      `SLOW_CONSUMER_BYTES ${SOAK_SETTINGS.slowConsumerBytes}, SLOW_CONSUMER_TIMEOUT_MS ` +
      `${SOAK_SETTINGS.slowConsumerTimeoutMs}; a sample every ${options.sampleS} s` +
      (options.semiSpaceMb === null
        ? ''
        : `; server young generation fixed at ${options.semiSpaceMb} MB semi-spaces`),
  );

  const server = await ServerProcess.start(
    ticker,
    {
      // The built-in universe, named explicitly because ServerProcess always sets the variable.
      universeFile: join(distDir, '..', 'data', 'symbols.json'),
      tickRate: options.tickRate,
      flushIntervalMs: SOAK_SETTINGS.flushIntervalMs,
      seed: SOAK_SETTINGS.seed,
    },
    null,
    {
      label: 'feed server',
      ...(options.semiSpaceMb === null
        ? {}
        : {
            nodeFlags: [
              `--min-semi-space-size=${options.semiSpaceMb}`,
              `--max-semi-space-size=${options.semiSpaceMb}`,
            ],
          }),
      env: {
        SLOW_CONSUMER_BYTES: String(SOAK_SETTINGS.slowConsumerBytes),
        SLOW_CONSUMER_TIMEOUT_MS: String(SOAK_SETTINGS.slowConsumerTimeoutMs),
      },
    },
  );
  const population = new SoakPopulation(`ws://127.0.0.1:${server.port}/ws`, populationSettings);
  const samples: SoakSample[] = [];
  let interrupted = false;
  try {
    const ownLoop = monitorEventLoopDelay({ resolution: 10 });
    ownLoop.enable();
    let previous = {
      at: performance.now(),
      serverCpu: processCpuMs(server.pid),
      ownCpu: process.cpuUsage(),
      machineMs: machineBusyMs(),
    };
    const takeSample = async (tS: number): Promise<SoakSample> => {
      const metrics = await scrapeMetrics(server.port);
      const at = performance.now();
      const rssBytes = processRssBytes(server.pid);
      const serverCpu = processCpuMs(server.pid);
      const ownCpu = process.cpuUsage();
      const machineMs = machineBusyMs();
      const elapsedMs = at - previous.at;
      const serverMs =
        serverCpu.user + serverCpu.kernel - previous.serverCpu.user - previous.serverCpu.kernel;
      const ownMs =
        (ownCpu.user + ownCpu.system - previous.ownCpu.user - previous.ownCpu.system) / 1000;
      const othersMs = machineMs - previous.machineMs - serverMs - ownMs;
      previous = { at, serverCpu, ownCpu, machineMs };
      const metric = (key: string): number => metricValue(metrics, key);
      const { totals, tickAgeMs } = population;
      const sample: SoakSample = {
        tS,
        server: {
          rssBytes,
          rssAnonBytes: statusBytes(server.pid, 'RssAnon'),
          rssFileBytes: statusBytes(server.pid, 'RssFile'),
          heapUsedBytes: metric('nodejs_heap_size_used_bytes'),
          heapTotalBytes: metric('nodejs_heap_size_total_bytes'),
          newSpaceBytes: metric('nodejs_heap_space_size_total_bytes{space="new"}'),
          externalBytes: metric('nodejs_external_memory_bytes'),
          loopDelayP99Ms: metric('nodejs_eventloop_lag_p99_seconds') * 1000,
          loopDelayMaxMs: metric('nodejs_eventloop_lag_max_seconds') * 1000,
          cpuShare: serverMs / elapsedMs,
          connections: metric('ticker_connections'),
          pausedConnections: metric('ticker_paused_connections'),
          bufferedBytes: metric('ticker_buffered_bytes'),
          connectionsAccepted: metric('ticker_connections_accepted_total'),
          slowConsumerPauses: metricTotal(metrics, 'ticker_slow_consumer_pauses_total'),
          slowConsumerCloses: metric('ticker_slow_consumer_closes_total'),
        },
        clients: {
          steadyOpen: totals.steadyOpen,
          batches: totals.batches,
          gaps: totals.gaps,
          steadyCloses: totals.steadyCloses,
          serverErrors: totals.serverErrors,
          churnCompleted: totals.churnCompleted,
          churnFailed: totals.churnFailed,
          churnSkipped: totals.churnSkipped,
          slowStarted: totals.slowStarted,
          slowClosed4001: totals.slowClosed4001,
          slowClosedOther: totals.slowClosedOther,
          slowNotClosed: totals.slowNotClosed,
          tickAgeP50Ms: tickAgeMs.percentile(50),
          tickAgeP99Ms: tickAgeMs.percentile(99),
        },
        soak: {
          rssBytes: process.memoryUsage.rss(),
          cpuShare: ownMs / elapsedMs,
          loopDelayP99Ms: ownLoop.percentile(99) / 1e6,
        },
        othersCores: Math.max(0, othersMs) / elapsedMs,
      };
      tickAgeMs.reset();
      ownLoop.reset();
      return sample;
    };

    const sampleAt = async (tS: number): Promise<SoakSample> => {
      try {
        return await takeSample(tS);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`the sample at ${tS} s failed (did the feed server exit?): ${message}`, {
          cause: error,
        });
      }
    };

    log(SAMPLE_HEADER);
    const idle = await sampleAt(0);
    samples.push(idle);
    log(sampleLine(idle));
    const startedAt = performance.now();
    population.start();
    const count = Math.floor(options.durationS / options.sampleS);
    for (let k = 1; k <= count; k++) {
      // Drift-free: sample k is due k intervals after the start, however long a scrape took.
      const due = startedAt + k * options.sampleS * 1000;
      try {
        await sleep(Math.max(0, due - performance.now()), undefined, { signal });
      } catch {
        interrupted = true;
        break;
      }
      const sample = await sampleAt(k * options.sampleS);
      samples.push(sample);
      log(sampleLine(sample));
    }
    ownLoop.disable();
  } finally {
    await population.stop();
    await server.stop();
  }

  const last = samples[samples.length - 1];
  const plateau: PlateauVerdict = interrupted
    ? { judged: false, why: 'interrupted before the end' }
    : judgePlateau(
        samples.map((s) => ({ tS: s.tS, rssBytes: s.server.rssBytes })),
        options.durationS,
      );
  const verdict = judgeSoak(plateau, {
    gaps: last?.clients.gaps ?? 0,
    unexpectedCloses: last?.clients.steadyCloses ?? 0,
  });
  const stepS =
    options.durationS >= 300
      ? 60
      : Math.max(
          options.sampleS,
          Math.round(options.durationS / 10 / options.sampleS) * options.sampleS,
        );
  log('');
  log(summaryTable(samples, stepS));
  log('');
  if (last !== undefined) {
    const c = last.clients;
    const closed = last.server.connectionsAccepted - last.server.connections;
    log(
      `clients: ${c.batches.toLocaleString('en-US')} batches read by the steady clients, ` +
        `${c.gaps} gaps, ${c.steadyCloses} unexpected closes, ${c.serverErrors} error replies; ` +
        `${c.churnCompleted} churned (${c.churnFailed} failed, ${c.churnSkipped} skipped); ` +
        `${c.slowStarted} slow readers: ${c.slowClosed4001} closed 4001, ` +
        `${c.slowClosedOther} closed otherwise, ${c.slowNotClosed} never closed ` +
        `(codes seen: ${JSON.stringify(population.totals.slowCloseCodes)})`,
    );
    log(
      `server: ${last.server.connectionsAccepted.toLocaleString('en-US')} connections accepted, ` +
        `${closed.toLocaleString('en-US')} closed; ${last.server.slowConsumerPauses} slow-consumer ` +
        `pauses, ${last.server.slowConsumerCloses} closes (4001)`,
    );
  }
  const endedWith = newestBuild(distDir);
  if (endedWith !== startedWith) {
    log(
      `soak: apps/feed-server/dist was rebuilt during the run (${startedWith} -> ${endedWith}): ` +
        'the figures are of the earlier build',
    );
  }
  for (const line of verdict.lines) log(line);

  const results: SoakResults = {
    machine,
    options,
    settings: SOAK_SETTINGS,
    plateauRule: PLATEAU_RULE,
    feedServerBuild: { startedWith, endedWith },
    interrupted,
    samples,
    plateau,
    verdict,
    steadyCloseCodes: population.totals.steadyCloseCodes,
    slowCloseCodes: population.totals.slowCloseCodes,
  };
  const stamp = machine.date.replaceAll(':', '-').slice(0, 19);
  const jsonPath = join(options.outDir ?? join(benchDir, 'results'), `soak-${stamp}.json`);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  return { results, jsonPath };
}
