import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_REQUEST_KINDS,
  DASHBOARD_MIX,
  DAYS,
  MARKET_START_MS,
  MINUTES,
  RECENT_MIX,
  SCROLL_BACK_PAGES,
  buildApiMix,
  kindCounts,
  scrollBackEnd,
} from '../src/api-mix.js';
import type { ApiMixOptions, ApiRequest } from '../src/api-mix.js';
import { ResponseLog, percentile, spreadOf } from '../src/api-responses.js';
import type { ApiLoadSummary } from '../src/api-responses.js';
import { apiVerdict, dashboardSymbols, serverBuildOf } from '../src/api.js';
import type { ApiPhase, ApiRun } from '../src/api.js';
import { apiSection, apiTargets, pacedMet, refusedOf, tickAgeRise } from '../src/api-report.js';
import { FULL_PLAN } from '../src/plan.js';
import { renderMarkdown } from '../src/report.js';
import type { BenchResults } from '../src/report.js';
import { tickerOf } from '../src/universe.js';
import { testMachine } from './machine-fixture.js';

const NOW = Date.UTC(2026, 11, 1, 12, 34, 56, 789);
const ALL = Array.from({ length: 500 }, (_, i) => tickerOf(i + 1));
const options = (overrides: Partial<ApiMixOptions> = {}): ApiMixOptions => ({
  shares: DASHBOARD_MIX,
  count: 10_000,
  seed: 17,
  now: NOW,
  symbols: dashboardSymbols(20),
  deepSymbols: ALL,
  ...overrides,
});
const paramsOf = (request: ApiRequest): URLSearchParams =>
  new URLSearchParams(request.path.slice(request.path.indexOf('?') + 1));
const countKinds = (requests: readonly ApiRequest[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
};

describe('buildApiMix', () => {
  it('gives each kind its exact share of the requests', () => {
    const requests = buildApiMix(options());
    expect(requests).toHaveLength(10_000);
    expect(countKinds(requests)).toEqual({
      'recent-1m': 4_500,
      'recent-1d': 2_500,
      'scroll-back': 2_000,
      deep: 1_000,
    });
    // A count the shares do not divide still adds up, the largest remainders rounded up.
    expect(kindCounts(DASHBOARD_MIX, 7)).toEqual({
      'recent-1m': 3,
      'recent-1d': 2,
      'scroll-back': 1,
      deep: 1,
    });
    expect(countKinds(buildApiMix(options({ shares: RECENT_MIX, count: 2_000 })))).toEqual({
      'recent-1m': 1_286,
      'recent-1d': 714,
    });
  });

  it('is the same list for the same seed and clock, and spreads every kind over it', () => {
    const requests = buildApiMix(options());
    expect(buildApiMix(options())).toEqual(requests);
    expect(buildApiMix(options({ seed: 18 }))).not.toEqual(requests);
    // Shuffled, not in runs: a hundred requests anywhere in the list hold every kind.
    for (const start of [0, 4_000, 9_900])
      expect(Object.keys(countKinds(requests.slice(start, start + 100))).sort()).toEqual(
        [...API_REQUEST_KINDS].sort(),
      );
  });

  it('asks the recent windows without an end, of the dashboards’ symbols', () => {
    const symbols = new Set(dashboardSymbols(20));
    for (const request of buildApiMix(options()).filter((r) => r.kind.startsWith('recent-'))) {
      const params = paramsOf(request);
      expect(request.path.startsWith('/api/v1/candles?')).toBe(true);
      expect(symbols.has(params.get('symbol') ?? '')).toBe(true);
      expect(params.has('end')).toBe(false);
      expect([params.get('interval'), params.get('limit')]).toEqual(
        request.kind === 'recent-1m' ? ['1m', '500'] : ['1d', '365'],
      );
    }
  });

  it('scrolls back by whole pages, to ends every viewer of a symbol shares', () => {
    const allowed = new Set(
      [MINUTES, DAYS].flatMap((page) =>
        Array.from({ length: SCROLL_BACK_PAGES }, (_, k) => scrollBackEnd(page, NOW, k + 1)),
      ),
    );
    const pages = buildApiMix(options()).filter((r) => r.kind === 'scroll-back');
    const ends = new Set(pages.map((r) => Number(paramsOf(r).get('end'))));
    for (const end of ends) expect(allowed.has(end)).toBe(true);
    // Few distinct pages, so the server's cache of 256 runs holds them all.
    expect(
      pages.map((r) => r.path).filter((p, i, all) => all.indexOf(p) === i).length,
    ).toBeLessThanOrEqual(20 * 2 * SCROLL_BACK_PAGES);
    expect(pages.every((r) => !r.revalidate)).toBe(true);
  });

  it('ends the page before the recent one where the recent one begins (docs/API.md)', () => {
    const minute = Math.floor(NOW / 60_000) * 60_000;
    // The recent 500 minutes are the open minute and the 499 before it.
    expect(scrollBackEnd(MINUTES, NOW, 1)).toBe(minute - 499 * 60_000);
    expect(scrollBackEnd(MINUTES, NOW, 2)).toBe(minute - 999 * 60_000);
    expect(scrollBackEnd(DAYS, NOW, 1)).toBe(Date.UTC(2026, 11, 1) - 364 * 86_400_000);
  });

  it('puts deep pages anywhere from 2016 to now, of any symbol, each at its own end', () => {
    const deep = buildApiMix(options()).filter((r) => r.kind === 'deep');
    const intervals = new Set<string>();
    const symbols = new Set<string>();
    for (const request of deep) {
      const params = paramsOf(request);
      const interval = params.get('interval') ?? '';
      const limit = Number(params.get('limit'));
      const end = Number(params.get('end'));
      const ms = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 }[interval] ?? NaN;
      expect(end).toBeGreaterThanOrEqual(MARKET_START_MS + limit * ms);
      expect(end).toBeLessThan(NOW);
      intervals.add(interval);
      symbols.add(params.get('symbol') ?? '');
    }
    expect([...intervals].sort()).toEqual(['1d', '1h', '1m']);
    expect(symbols.size).toBeGreaterThan(400); // 1,000 draws of 500 symbols
    // Unique, so none is answered from the cache a first one filled.
    expect(new Set(deep.map((r) => r.path)).size).toBe(deep.length);
    const years = deep.map((r) => new Date(Number(paramsOf(r).get('end'))).getUTCFullYear());
    expect(Math.min(...years)).toBe(2016);
    expect(Math.max(...years)).toBe(2026);
  });

  it('makes a tenth of each recent window a reload, and nothing else', () => {
    const requests = buildApiMix(options());
    const reloads = countKinds(requests.filter((r) => r.revalidate));
    expect(reloads).toEqual({ 'recent-1m': 450, 'recent-1d': 250 });
  });

  it('refuses shares that are all 0 or negative, and an empty symbol list', () => {
    const none = { 'recent-1m': 0, 'recent-1d': 0, 'scroll-back': 0, deep: 0 };
    expect(() => kindCounts(none, 10)).toThrow(/not all 0/);
    expect(() => kindCounts({ ...none, deep: -1, 'recent-1m': 2 }, 10)).toThrow(/non-negative/);
    expect(() => buildApiMix(options({ symbols: [] }))).toThrow(/at least one symbol/);
  });
});

describe('dashboardSymbols', () => {
  it('spreads over the universe: stocks and crypto in its proportions', () => {
    const symbols = dashboardSymbols(20);
    expect(symbols).toHaveLength(20);
    expect(new Set(symbols).size).toBe(20);
    expect(symbols.slice(0, 3)).toEqual(['SYM001', 'SYM026', 'SYM051']);
    const crypto = symbols.filter((s) => Number(s.slice(3)) > 400);
    expect(crypto).toHaveLength(4);
  });
});

describe('percentile and ResponseLog', () => {
  it('takes the nearest rank, exactly', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 97.5)).toBe(98);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
    expect(spreadOf([3, 1, 2])).toEqual({ p50: 2, p975: 3, p99: 3, max: 3 });
  });

  it('sums statuses over kinds, rates over the span, and keeps refusals in the latencies', () => {
    const log = new ResponseLog();
    for (let i = 0; i < 90; i++) log.record('recent-1m', 200, 1, 30_000);
    for (let i = 0; i < 5; i++) log.record('recent-1m', 304, 0.5, 300);
    for (let i = 0; i < 5; i++) log.record('deep', 503, 40, 200);
    log.failed(2, 1);
    const summary = log.summary(2_000);
    expect(summary).toMatchObject({
      elapsedMs: 2_000,
      responses: 100,
      requestsPerSecond: 50,
      answeredPerSecond: 47.5,
      bytesPerSecond: (90 * 30_000 + 5 * 300 + 5 * 200) / 2,
      statuses: { '200': 90, '304': 5, '503': 5 },
      errors: 2,
      timeouts: 1,
    });
    expect(Object.keys(summary.statuses)).toEqual(['200', '304', '503']);
    // The 503s waited 40 ms: the slowest percentiles are theirs; the answered ones' are apart.
    expect(summary.latencyMs).toEqual({ p50: 1, p975: 40, p99: 40, max: 40 });
    expect(summary.answeredLatencyMs).toEqual({ p50: 1, p975: 1, p99: 1, max: 1 });
    expect(summary.byKind.map((k) => [k.kind, k.responses, k.statuses])).toEqual([
      ['recent-1m', 95, { '200': 90, '304': 5 }],
      ['deep', 5, { '503': 5 }],
    ]);
  });

  it('reports nothing per second over an empty span rather than dividing by 0', () => {
    const summary = new ResponseLog().summary(0);
    expect(summary).toMatchObject({ responses: 0, requestsPerSecond: 0, byKind: [] });
    expect(Number.isNaN(summary.latencyMs.p99)).toBe(true);
  });
});

const machine = testMachine('2026-12-01T18:00:00.000Z');

function summary(overrides: Partial<ApiLoadSummary> = {}): ApiLoadSummary {
  return {
    elapsedMs: 10_000,
    responses: 10_000,
    requestsPerSecond: 1_000,
    answeredPerSecond: 1_000,
    bytesPerSecond: 28e6,
    latencyMs: { p50: 0.3, p975: 3, p99: 6, max: 20 },
    answeredLatencyMs: { p50: 0.3, p975: 3, p99: 6, max: 20 },
    statuses: { '200': 9_700, '304': 300 },
    byKind: [
      {
        kind: 'deep',
        responses: 1_000,
        latencyMs: { p50: 1.5, p975: 5, p99: 8, max: 20 },
        statuses: { '200': 1_000 },
      },
    ],
    errors: 0,
    timeouts: 0,
    ...overrides,
  };
}

function phase(name: ApiPhase['phase'], overrides: Partial<ApiPhase> = {}): ApiPhase {
  return {
    phase: name,
    elapsedMs: 10_000,
    serverCpuShare: name === 'baseline' ? 0.08 : 0.4,
    serverKernelShare: 0.5,
    loadGeneratorCpuShare: 0.03,
    apiLoadCpuShare: name === 'baseline' ? 0 : 0.15,
    othersCpuShare: 0.02,
    rssMaxBytes: 300 * 2 ** 20,
    rssEndBytes: 290 * 2 ** 20,
    loopDelayP99Ms: 11,
    loopDelayMaxMs: 15,
    tickAgeMs: { p50: 28, p99: 53, p999: 58, max: 60 },
    ticksPerSecond: 80_000,
    lost: 0,
    disconnects: 0,
    ...(name === 'baseline' ? {} : { api: summary() }),
    ...overrides,
  };
}

function apiRun(
  overrides: Partial<ApiRun> = {},
  phases: Partial<Record<ApiPhase['phase'], Partial<ApiPhase>>> = {},
): ApiRun {
  return {
    plan: FULL_PLAN.api,
    run: 1,
    attempt: 1,
    startedAt: '2026-12-01T18:00:00.000Z',
    verdict: 'valid',
    startup: [
      {
        market: 'built-in',
        path: '/api/v1/candles?symbol=BTC-USD&interval=1d&limit=365',
        listenMs: 420,
        firstAnswerMs: 450,
        answerMs: 25,
        attempts: 1,
        candles: 365,
        bytes: 27_000,
        rssBytes: 96 * 2 ** 20,
      },
    ],
    rssAtStartBytes: 125 * 2 ** 20,
    rssAfterBytes: 380 * 2 ** 20,
    serverBuild: { digest: '0123456789ab', builtAt: '2026-12-01T17:54:02.481Z' },
    phases: [
      phase('baseline', phases.baseline),
      phase('paced', phases.paced),
      phase('throughput', phases.throughput),
    ],
    ...overrides,
  };
}

describe('apiVerdict', () => {
  it('judges the feed-alone and paced phases; the throughput phase may saturate its core', () => {
    expect(apiVerdict(apiRun().phases)).toBe('valid');
    expect(apiVerdict(apiRun({}, { throughput: { apiLoadCpuShare: 0.95 } }).phases)).toBe('valid');
    expect(apiVerdict(apiRun({}, { paced: { apiLoadCpuShare: 0.69 } }).phases)).toBe(
      'load generator saturated',
    );
    expect(apiVerdict(apiRun({}, { throughput: { othersCpuShare: 0.2 } }).phases)).toBe('noisy');
  });
});

describe('the history API targets', () => {
  it('meets the latency target only at the rate, under the bound, with every request answered', () => {
    expect(pacedMet(apiRun())).toBe(true);
    const slow = { p50: 1, p975: 8, p99: 10.1, max: 30 };
    expect(pacedMet(apiRun({}, { paced: { api: summary({ answeredLatencyMs: slow }) } }))).toBe(
      false,
    );
    // Quick refusals may pull the p99 of all responses under the bound: the answered ones' counts.
    const quick = summary({ latencyMs: { ...slow, p99: 9 }, answeredLatencyMs: slow });
    expect(pacedMet(apiRun({}, { paced: { api: quick } }))).toBe(false);
    expect(pacedMet(apiRun({}, { paced: { api: summary({ requestsPerSecond: 940 }) } }))).toBe(
      false,
    );
    const refused = summary({ statuses: { '200': 9_000, '503': 1_000 } });
    expect(refusedOf(apiRun({}, { paced: { api: refused } }).phases[1])).toBe(1_000);
    expect(pacedMet(apiRun({}, { paced: { api: refused } }))).toBe(false);
    expect(pacedMet(apiRun({}, { paced: { api: summary({ timeouts: 1 }) } }))).toBe(false);
  });

  it('holds the tick age unaffected within the tolerance of the feed alone', () => {
    const rise = (p99: number): number =>
      tickAgeRise(apiRun({}, { paced: { tickAgeMs: { p50: 28, p99, p999: 90, max: 99 } } }));
    expect(rise(58)).toBe(5);
    const [, tickAge] = apiTargets([
      apiRun({}, { paced: { tickAgeMs: { p50: 28, p99: 58, p999: 90, max: 99 } } }),
    ]);
    expect(tickAge?.met).toBe(true);
    const [, worse] = apiTargets([
      apiRun({}, { paced: { tickAgeMs: { p50: 28, p99: 58.5, p999: 90, max: 99 } } }),
    ]);
    expect(worse).toMatchObject({ met: false, standing: '53.0 → 58.5 ms' });
  });

  it('needs all 365 candles within a second of the spawn, in every counted run', () => {
    const late = apiRun({
      startup: [{ ...(apiRun().startup[0] as ApiRun['startup'][number]), firstAnswerMs: 1_200 }],
    });
    expect(apiTargets([apiRun()])[2]?.met).toBe(true);
    expect(apiTargets([apiRun(), late])[2]).toMatchObject({
      met: false,
      standing:
        '0.45 s (listening after 0.42 s), 365 candles; 1.20 s (listening after 0.42 s), 365 candles',
    });
    // A noisy run is left out while a valid one exists.
    expect(apiTargets([apiRun(), { ...late, verdict: 'noisy' }])[2]?.met).toBe(true);
  });
});

describe('the History API section', () => {
  it('shows every run of every results file, non-2xx statuses in bold', () => {
    const first: BenchResults = { machine, plan: FULL_PLAN, runs: [], idle: [], api: [apiRun()] };
    const refused = summary({ statuses: { '200': 9_000, '503': 1_000 } });
    const second: BenchResults = {
      machine: { ...machine, date: '2026-12-02T08:00:00.000Z' },
      plan: FULL_PLAN,
      runs: [],
      idle: [],
      api: [apiRun({ startedAt: '2026-12-02T08:00:00.000Z' }, { paced: { api: refused } })],
    };
    const markdown = renderMarkdown(first, [second]);
    expect(markdown).toContain('## History API');
    expect(markdown).toContain(
      'Feed server build (a digest of its dist/): `0123456789ab` (built 2026-12-01 17:54).',
    );
    expect(markdown).toContain(
      '| 2026-12-01 18:00 | 1,000 | 0.3 / 3.0 / 6.0 / 20.0 | 0.3 / 3.0 / 6.0 / 20.0 | 200: 9,700, 304: 300 |',
    );
    expect(markdown).toContain(
      '| 2026-12-02 08:00 | 1,000 | 0.3 / 3.0 / 6.0 / 20.0 | 0.3 / 3.0 / 6.0 / 20.0 | 200: 9,000, **503: 1,000** |',
    );
    expect(markdown).toContain('53.0 → 53.0 ms; 53.0 → 53.0 ms');
    expect(markdown).toMatch(
      /\| History API: p99 ≤ 10 ms at 1,000 req\/s .* \| \*\*no\*\* \| p99 6\.0 ms at 1,000 req\/s; p99 6\.0 ms at 1,000 req\/s, 1,000 refused \|/,
    );
    expect(markdown).toContain(
      '| 2026-12-01 18:00 | deep page (random end) | 10% | 1.5 / 5.0 / 8.0 / 20.0 | 200: 1,000 |',
    );
    expect(markdown).toContain(
      '| built-in (229 symbols): `?symbol=BTC-USD&interval=1d&limit=365` | 0.42 s | 0.45 s (25.0 ms) | 365 (26.4) | 96.0 | – |',
    );
  });

  it('is left out, with its targets, when no run measured it', () => {
    expect(apiSection([], [])).toEqual([]);
    expect(apiTargets([])).toEqual([]);
    const markdown = renderMarkdown({ machine, plan: FULL_PLAN, runs: [], idle: [] });
    expect(markdown).not.toContain('History API');
  });
});

describe('serverBuildOf', () => {
  it('names a build by its .js files: the same files, the same digest; one byte more, another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ticker-build-'));
    try {
      mkdirSync(join(dir, 'transport'));
      writeFileSync(join(dir, 'main.js'), 'import "./transport/a.js";\n');
      writeFileSync(join(dir, 'transport', 'a.js'), 'export const a = 1;\n');
      writeFileSync(join(dir, 'main.js.map'), '{}');
      const first = serverBuildOf(join(dir, 'main.js'));
      expect(first.digest).toMatch(/^[0-9a-f]{12}$/);
      writeFileSync(join(dir, 'main.js.map'), '{"changed":true}');
      expect(serverBuildOf(join(dir, 'main.js')).digest).toBe(first.digest);
      writeFileSync(join(dir, 'transport', 'a.js'), 'export const a = 2;\n');
      expect(serverBuildOf(join(dir, 'main.js')).digest).not.toBe(first.digest);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
