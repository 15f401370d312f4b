import { describe, expect, it } from 'vitest';
import { QUICK_PLAN } from '../src/plan.js';
import { cpuRatios, renderMarkdown, summarise, targets } from '../src/report.js';
import type { BenchResults } from '../src/report.js';
import type { IdleRecord, RunRecord } from '../src/run.js';

const machine = {
  date: '2026-11-22T06:00:00.000Z',
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 24,
  kernel: 'Linux test',
  node: 'v20.20.2',
  compiler: 'cc 12',
  versions: { ws: '8.23.0' },
};

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
