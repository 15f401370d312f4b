import { describe, expect, it } from 'vitest';
import { FULL_PLAN, QUICK_PLAN } from '../src/plan.js';
import { cpuRatios, renderMarkdown, summarise, targets } from '../src/report.js';
import type { BenchResults } from '../src/report.js';
import type { IdleRecord, RunRecord } from '../src/run.js';
import type { ConnectStorm } from '../src/connect-storm.js';
import type { FailedStorm, StormCommon, StormRecord } from '../src/storm.js';
import { stormTargets, summariseStorms } from '../src/storm-report.js';
import type { ClientKind, ViewerRecord } from '../src/viewers.js';
import { summariseViewers, viewerRatios, viewerTargets } from '../src/viewers-report.js';
import { testMachine } from './machine-fixture.js';

const machine = testMachine('2026-11-22T06:00:00.000Z');

function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    contender: 'ticker',
    clients: 2_000,
    tickRate: 100_000,
    repeat: 1,
    attempt: 1,
    verdict: 'valid',
    windowMs: 5_000,
    offeredTicksPerSecond: 8e6,
    deliveredTicksPerSecond: 8e6,
    framesPerSecond: 8e5,
    serverCpuShare: 0.5,
    serverKernelShare: 0.7,
    serverCpuNsPerTick: 60,
    ticksPerServerCpuSecond: 1.6e7,
    latencyMs: { p50: 28, p99: 55, p999: 58, max: 60 },
    bytesPerTick: 4.5,
    lost: 0,
    outOfOrder: 0,
    resyncs: 0,
    disconnects: 0,
    serverErrors: 0,
    serverRssBytes: 100 * 2 ** 20,
    loadGeneratorCpuShare: 0.4,
    othersCpuShare: 0.01,
    connectMs: 800,
    ...overrides,
  };
}

const idle = (contender: string, bytesPerConnection: number): IdleRecord => ({
  contender,
  clients: 10_000,
  rssBeforeBytes: 0,
  rssAfterBytes: bytesPerConnection * 10_000,
  bytesPerConnection,
  connectMs: 900,
});

describe('summarise', () => {
  it('takes medians over the valid runs only, and sums losses over every run', () => {
    const [summary] = summarise([
      run({ serverCpuNsPerTick: 50 }),
      run({ serverCpuNsPerTick: 70, repeat: 2 }),
      run({ serverCpuNsPerTick: 60, repeat: 3 }),
      run({ serverCpuNsPerTick: 9_999, verdict: 'noisy', lost: 3 }),
    ]);
    expect(summary).toMatchObject({ runs: 4, counted: 3, serverCpuNsPerTick: 60, lost: 3 });
  });

  it('falls back to every run, and says so, when none was valid', () => {
    const [summary] = summarise([
      run({ verdict: 'load generator saturated', serverCpuNsPerTick: 80 }),
      run({ verdict: 'load generator saturated', serverCpuNsPerTick: 100 }),
    ]);
    expect(summary).toMatchObject({ counted: 0, serverCpuNsPerTick: 90 });
    expect(summary?.verdicts).toEqual(['load generator saturated']);
  });
});

describe('cpuRatios and targets', () => {
  const runs = [
    run({}),
    run({ contender: 'ws-json', serverCpuNsPerTick: 3_000 }),
    run({ contender: 'socketio-json', serverCpuNsPerTick: 4_800 }),
    run({ contender: 'ws-batch', serverCpuNsPerTick: 90 }),
    run({ clients: 5_000, latencyMs: { p50: 30, p99: 75, p999: 80, max: 90 } }),
  ];
  const results: BenchResults = {
    machine,
    plan: { ...QUICK_PLAN, tickRates: [100_000], clients: [2_000, 5_000] },
    runs,
    idle: [idle('ticker', 3_000)],
  };

  it('divides each peer by Ticker in the same scenario', () => {
    const row = cpuRatios(summarise(runs)).get('100000|2000');
    expect(row?.get('ws-json')).toBe(50);
    expect(row?.get('socketio-json')).toBe(80);
    expect(row?.get('ws-batch')).toBe(1.5);
  });

  it('judges every target from the figures, and says what was not measured', () => {
    const rows = targets(results, summarise(runs));
    const verdict = (start: string): boolean | null | undefined =>
      rows.find((r) => r.target.includes(start))?.met;
    expect(verdict('than `ws-json`')).toBe(true);
    expect(verdict('than `socketio-json`')).toBe(false); // 80× < 100×
    expect(verdict('than `ws-batch`')).toBe(true);
    expect(verdict('5 M ticks/s')).toBe(true);
    expect(verdict('p99 latency')).toBe(false); // 75 ms > 60 ms
    expect(verdict('idle connection')).toBe(true);
    expect(verdict('10,000 concurrent')).toBeNull();
  });

  it('renders the ratios first, then the targets, then every scenario', () => {
    const markdown = renderMarkdown(results);
    const order = ['peer ÷ Ticker', '## Targets', '## 100,000 ticks/s', '## Server memory'];
    const positions = order.map((heading) => markdown.indexOf(heading));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Peers in the plan's order; uws-json was not measured here.
    expect(markdown).toContain('| 100,000 ticks/s, 2,000 clients | 1.5× | n/a | 50× | 80× |');
  });
});

describe('the scale-out section', () => {
  const placement = { source: 0, redis: 0, gateways: [0, 0], load: 1 };
  const scaleOut = (gateways: number, cpu: { gateways: number; source: number; redis: number }) =>
    run({
      contender: `ticker-gw${gateways}`,
      serverCpuShare: cpu.gateways + cpu.source + cpu.redis,
      serverCpuNsPerTick: 100,
      cpuByRole: cpu,
      placement: { ...placement, gateways: placement.gateways.slice(0, gateways) },
    });
  const runs = [
    run({}),
    run({ contender: 'ws-batch', serverCpuNsPerTick: 90 }),
    scaleOut(1, { gateways: 0.6, source: 0.15, redis: 0.05 }),
    scaleOut(2, { gateways: 0.6, source: 0.15, redis: 0.05 }),
  ];
  const results: BenchResults = {
    machine,
    plan: {
      ...QUICK_PLAN,
      tickRates: [100_000],
      clients: [2_000],
      contenders: ['ticker', 'ws-batch', 'ticker-gw1', 'ticker-gw2'],
    },
    runs,
    idle: [idle('ticker', 3_000)],
  };

  it('keeps deployments out of the peer tables and shows each part of their CPU', () => {
    const markdown = renderMarkdown(results);
    const [main = '', section = ''] = markdown.split('## Scale-out');
    expect(main).not.toContain('ticker-gw');
    expect(main).toContain('| 100,000 ticks/s, 2,000 clients | 1.5× |'); // ws-batch only
    // Gateways 60% of the 80% total: 75 of the 100 ns per tick.
    expect(section).toContain(
      '| 100,000 ticks/s, 2,000 clients | `ticker-gw2` | 8.00 (8.00) | 60% | 15% | 5% | 80% (70%) | 100 (75) |',
    );
    expect(section).toContain(
      '| 100,000 ticks/s, 2,000 clients | `ticker` | 8.00 (8.00) | – | – | – |',
    );
    expect(section).toContain(
      '- `ticker-gw2`: source, redis-server and 2 gateways on core 0; load generator on core 1.',
    );
    expect(section).not.toContain('Measured in a separate run');
  });

  it('takes the section from a separate run when rendering several results files', () => {
    const main: BenchResults = {
      ...results,
      plan: { ...results.plan, contenders: ['ticker', 'ws-batch'] },
      runs: runs.slice(0, 2),
    };
    const later: BenchResults = {
      ...results,
      machine: { ...machine, date: '2026-11-30T02:00:00.000Z' },
      plan: { ...results.plan, contenders: ['ticker', 'ticker-gw1'], repeats: 3 },
      runs: [run({ serverCpuNsPerTick: 70 }), runs[2] as RunRecord],
    };
    expect(renderMarkdown(main)).not.toContain('## Scale-out');
    const markdown = renderMarkdown(main, [later]);
    const section = markdown.split('## Scale-out')[1] ?? '';
    expect(section).toContain('Measured in a separate run: 2026-11-30 on Test CPU');
    expect(section).toContain('median of 3 runs');
    // The single process's row comes from the same run as the deployments it is compared with.
    expect(section).toContain('| `ticker` | 8.00 (8.00) | – | – | – | 50% (70%) | 70 |');
    expect(section).not.toContain('ticker-gw2');
  });
});

const stormCommon: StormCommon = {
  view: 'chart',
  clients: 10_000,
  symbolsPerClient: 20,
  sourceAddresses: 250,
  concurrency: 10_000,
  repeat: 1,
  attempt: 1,
  elapsedMs: 3_000,
  serverCpuMs: 2_700,
  serverCpuShare: 0.9,
  serverKernelShare: 0.4,
  loadGeneratorCpuShare: 0.5,
  othersCpuShare: 0.01,
  listenOverflows: 300,
  synRetransmits: 320,
  serverRssBytes: 300 * 2 ** 20,
};

const storm = (overrides: Partial<StormRecord>): StormRecord => ({
  ...stormCommon,
  verdict: 'valid',
  readyMs: { p50: 1_200, p99: 2_600, max: 2_900 },
  handshakeMs: { p50: 40, p99: 1_100, max: 1_300 },
  slowHandshakes: 150,
  snapshots: 200_000,
  snapshotBytes: 2_400 * 2 ** 20,
  bytes: 2_500 * 2 ** 20,
  liveAfterCpuShare: 0.95,
  ...overrides,
});

describe('the reconnect storm', () => {
  const plan = { ...QUICK_PLAN, storm: FULL_PLAN.storm, repeats: 3 };
  const records = [
    storm({ readyMs: { p50: 1_000, p99: 2_000, max: 2_500 } }),
    storm({ repeat: 2, readyMs: { p50: 1_400, p99: 3_200, max: 3_400 } }),
    storm({ repeat: 3 }),
    storm({ repeat: 4, verdict: 'noisy', readyMs: { p50: 9_000, p99: 9_000, max: 9_000 } }),
    storm({
      concurrency: 1_000,
      readyMs: { p50: 2_000, p99: 4_000, max: 4_100 },
      slowHandshakes: 0,
    }),
  ];

  it('takes each percentile as the median over the valid storms of one kind', () => {
    const [atOnce, paced] = summariseStorms(records);
    expect(atOnce).toMatchObject({
      allAtOnce: true,
      runs: 4,
      counted: 3,
      readyMs: { p50: 1_200, p99: 2_600, max: 2_900 },
    });
    expect(paced).toMatchObject({ allAtOnce: false, concurrency: 1_000, runs: 1 });
    expect(atOnce?.liveAfterCpuShare).toBe(0.95);
  });

  it('leaves the live feed after a storm unknown for runs recorded before it was measured', () => {
    const older: StormRecord = storm({});
    delete (older as { liveAfterCpuShare?: number }).liveAfterCpuShare;
    const [summary] = summariseStorms([older]);
    expect(summary?.liveAfterCpuShare).toBeNaN();
    const results: BenchResults = { machine, plan, runs: [run({})], idle: [], storms: [older] };
    expect(renderMarkdown(results)).toContain('| 2.7 s (90%; 40%) | – | 150 (1.10 s) |');
  });

  it('judges the target on the storm with every connect at once, 10,000 clients', () => {
    const skipped = [{ scenario: 'quote storm', why: 'no views here' }];
    const [charts, quotes] = stormTargets(plan.storm, records, skipped);
    expect(charts).toMatchObject({ met: true });
    expect(charts?.target).toBe(
      'Reconnect storm: 10,000 clients × 20 charts, connecting at once, each hold all their snapshots within 3 s',
    );
    expect(charts?.standing).toBe('slowest client 2.90 s (p50 1.20 s, p99 2.60 s)');
    expect(quotes).toMatchObject({ met: null, standing: 'not measured: no views here' });
    // Over the target: not met; with fewer clients: not judged, but shown.
    const slow = [storm({ readyMs: { p50: 5_000, p99: 9_000, max: 9_500 } })];
    expect(stormTargets(plan.storm, slow, [])[0]?.met).toBe(false);
    const few = [storm({ clients: 3_000, concurrency: 3_000 })];
    expect(stormTargets(plan.storm, few, [])[0]).toMatchObject({
      met: null,
      standing: 'measured with 3,000 clients only: slowest 2.90 s',
    });
  });

  it('renders a row per storm after the memory table, and what was not measured', () => {
    const results: BenchResults = {
      machine,
      plan,
      runs: [run({})],
      idle: [idle('ticker', 3_000)],
      storms: records,
      skipped: [{ scenario: 'quote storm', why: 'no views here' }],
    };
    const markdown = renderMarkdown(results);
    expect(markdown.indexOf('## Server memory')).toBeLessThan(
      markdown.indexOf('## Reconnect storm'),
    );
    const section = markdown.split('## Reconnect storm')[1] ?? '';
    expect(section).toContain('median of 3 storms');
    expect(section).toContain(
      '| 10,000 × 20 charts | all (10,000) | 2.90 s | 3 s | yes | 1.20 s / 2.60 s | 2400 (245.8) | 2.7 s (90%; 40%) | 95% | 150 (1.10 s) | 300 / 320 | 3 of 4 runs valid; 250 source addresses |',
    );
    expect(section).toContain('| 10,000 × 20 charts | 1,000 | 4.10 s | 3 s | **no** |');
    expect(section).toContain('Not measured: the quote storm: no views here.');
    expect(markdown).toContain(
      '| Reconnect storm: 10,000 clients × 20 charts, connecting at once, each hold all their snapshots within 3 s | yes |',
    );
  });

  it('shows a storm that did not complete, and fails its target, rather than ending the run', () => {
    const failure =
      'load generator: client 7189: connect to 127.0.0.1:33785: Connection timed out (after 127.4 s)';
    const failed = (repeat: number): FailedStorm => ({
      ...stormCommon,
      repeat,
      serverCpuMs: 120_000,
      verdict: 'failed',
      failure,
    });
    const [target] = stormTargets(plan.storm, [failed(1), failed(2)], []);
    expect(target).toMatchObject({
      met: false,
      standing: `2 of 2 storms did not complete (${failure})`,
    });
    const mixed = [failed(1), storm({ repeat: 2 })];
    expect(stormTargets(plan.storm, mixed, [])[0]).toMatchObject({
      met: false,
      standing: `slowest client 2.90 s (p50 1.20 s, p99 2.60 s); 1 of 2 storms did not complete (${failure})`,
    });
    const results: BenchResults = {
      machine,
      plan,
      runs: [],
      idle: [],
      storms: [failed(1)],
      skipped: [],
    };
    expect(renderMarkdown(results)).toContain(
      `| 10,000 × 20 charts | all (10,000) | did not complete | 3 s | **no** | – | – | 120.0 s (90%; 40%) | – | – | 300 / 320 | 1 of 1 storm did not complete (${failure}); 250 source addresses |`,
    );
  });

  it('renders the connects alone beside the storms: ticker and the bare uWS.js server', () => {
    const connect = (server: string, repeat: number, maxMs: number): ConnectStorm => ({
      server,
      clients: 10_000,
      concurrency: 10_000,
      sourceAddresses: 250,
      repeat,
      handshakeMs: { p50: maxMs / 3, p99: maxMs - 20, max: maxMs },
      slowHandshakes: 8_000 + repeat,
      listenOverflows: 12_000,
      synRetransmits: 20_000,
      serverCpuMs: 1_500,
      failure: null,
    });
    const connectStorms = [
      connect('ticker', 1, 5_100),
      connect('uws-json', 1, 7_200),
      connect('ticker', 2, 5_400),
      connect('uws-json', 2, 6_900),
      { ...connect('uws-json', 3, 0), failure: 'client 5: connect timed out' },
    ];
    const results: BenchResults = {
      machine,
      plan,
      runs: [],
      idle: [],
      storms: records,
      connectStorms,
      skipped: [],
    };
    const section = renderMarkdown(results).split('### Connects alone')[1] ?? '';
    expect(section).toContain(
      '| `ticker` | all (10,000) | 5.25 s | 1.75 s / 5.23 s | 8,002 | 12,000 / 20,000 | 1.5 s |  |',
    );
    expect(section).toContain(
      '| `uws-json` | all (10,000) | 7.05 s | 2.35 s / 7.03 s | 8,002 | 12,000 / 20,000 | 1.5 s | 1 of 3 did not complete (client 5: connect timed out) |',
    );
    // Without them (results of an earlier run), the storm section has no such table.
    const earlier: BenchResults = {
      machine,
      plan,
      runs: [],
      idle: [],
      storms: records,
      skipped: [],
    };
    expect(renderMarkdown(earlier)).not.toContain('Connects alone');
  });

  it('renders a storm-only run without the peer tables, or a storm from a separate run', () => {
    const alone: BenchResults = { machine, plan, runs: [], idle: [], storms: records, skipped: [] };
    const markdown = renderMarkdown(alone);
    expect(markdown).not.toContain('peer ÷ Ticker');
    expect(markdown).not.toContain('## Server memory');
    expect(markdown).not.toContain('than `ws-json`');
    expect(markdown).toContain('## Targets for Ticker');
    expect(markdown).toContain('## Reconnect storm');
    const main: BenchResults = { machine, plan, runs: [run({})], idle: [] };
    const later = { ...alone, machine: { ...machine, date: '2026-12-02T00:00:00.000Z' } };
    expect(renderMarkdown(main)).not.toContain('## Reconnect storm');
    expect(renderMarkdown(main, [later])).toContain('Measured in a separate run: 2026-12-02');
  });
});

describe('dashboard viewers', () => {
  const viewersPlan = { ...FULL_PLAN.viewers, tickRates: [10_000] };
  const plan = { ...QUICK_PLAN, viewers: viewersPlan, repeats: 1 };
  const clientRun = (kind: ClientKind, cpu: number, bytesPerSecond: number): ViewerRecord => ({
    ...run({ clients: 2_000, tickRate: 10_000, serverCpuShare: cpu, bytesPerSecond }),
    ...(kind === 'viewers'
      ? { quotesPerClient: 20, chartsPerClient: 1, quotesPerSecond: 160_000 }
      : {}),
    kind,
  });

  it('divides all-charts by viewers for server CPU and for bytes per client', () => {
    const records = [
      clientRun('charts', 0.45, 2_000 * 7_680),
      clientRun('viewers', 0.1, 2_000 * 2_048),
    ];
    const [ratio] = viewerRatios(summariseViewers(records, viewersPlan));
    expect(ratio).toMatchObject({ tickRate: 10_000, clients: 2_000, cpu: 4.5, bytes: 3.75 });
    expect(viewerTargets(viewersPlan, records, [])).toEqual([
      {
        target:
          'Dashboard viewers (1 chart + 20 quotes): ≥ 3× less server CPU and bytes per client than clients with 20 charts',
        met: true,
        standing: 'CPU 4.5×, bytes 3.8× at 10,000 ticks/s',
      },
    ]);
    const close = [
      clientRun('charts', 0.45, 2_000 * 7_680),
      clientRun('viewers', 0.2, 2_000 * 2_048),
    ];
    expect(viewerTargets(viewersPlan, close, [])[0]?.met).toBe(false); // CPU 2.25×
  });

  it('renders both kinds and their ratios, or why it was not measured', () => {
    const records = [
      clientRun('charts', 0.45, 2_000 * 7_680),
      clientRun('viewers', 0.1, 2_000 * 2_048),
    ];
    const results: BenchResults = {
      machine,
      plan,
      runs: [],
      idle: [],
      viewers: records,
      skipped: [],
    };
    const section = renderMarkdown(results).split('## Dashboard viewers')[1] ?? '';
    expect(section).toContain(
      '| 10,000 ticks/s, 2,000 clients | 20 charts | 45% (70%) | 7.50 | 0.0 |',
    );
    expect(section).toContain(
      '| 10,000 ticks/s, 2,000 clients | 1 chart + 20 quotes | 10% (70%) | 2.00 | 80.0 |',
    );
    expect(section).toContain('| 10,000 ticks/s, 2,000 clients | 4.5× | 3.8× | yes |');
    const skipped: BenchResults = {
      ...results,
      viewers: [],
      skipped: [{ scenario: 'viewers', why: 'no views here' }],
    };
    const markdown = renderMarkdown(skipped);
    expect(markdown).toContain('Not measured: no views here.');
    expect(markdown).toContain('| – | not measured: no views here |');
  });
});
