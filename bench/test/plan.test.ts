import { describe, expect, it } from 'vitest';
import { FULL_PLAN, QUICK_PLAN, UsageError, lanesFor, parseCommand } from '../src/plan.js';

describe('parseCommand', () => {
  it('runs the full plan by default and the quick one with --quick', () => {
    expect(parseCommand([])).toMatchObject({ plan: FULL_PLAN, outDir: null, reportFrom: null });
    expect(parseCommand(['--quick'])).toMatchObject({ plan: QUICK_PLAN });
  });

  it('narrows the plan from flags', () => {
    const command = parseCommand([
      '--clients',
      '1000,5000',
      '--rates',
      '10000',
      '--servers',
      'ticker,ws-json',
      '--repeats',
      '5',
      '--out',
      '/tmp/x',
    ]);
    expect(command).toMatchObject({
      plan: {
        clients: [1000, 5000],
        tickRates: [10000],
        contenders: ['ticker', 'ws-json'],
        repeats: 5,
      },
      outDir: '/tmp/x',
    });
  });

  it('takes scale-out deployments by name and several results files to render', () => {
    expect(parseCommand(['--servers', 'ticker,ticker-gw1,ticker-gw2'])).toMatchObject({
      plan: { contenders: ['ticker', 'ticker-gw1', 'ticker-gw2'] },
    });
    expect(parseCommand(['--report', 'results/a.json,results/b.json'])).toMatchObject({
      reportFrom: ['results/a.json', 'results/b.json'],
    });
    // The full plan stays the five single-process servers: it must not need a redis-server.
    expect(FULL_PLAN.contenders.some((name) => name.startsWith('ticker-gw'))).toBe(false);
  });

  it('chooses the scenarios and shapes the storm and the viewers', () => {
    const command = parseCommand([
      '--scenarios',
      'storm,viewers',
      '--storm-clients',
      '3000',
      '--storm-views',
      'chart',
      '--storm-concurrency',
      'all,500',
      '--viewer-clients',
      '1000',
      '--viewer-rates',
      '100000',
    ]);
    expect(command).toMatchObject({
      plan: {
        scenarios: ['storm', 'viewers'],
        storm: { clients: 3_000, views: ['chart'], concurrency: ['all', 500] },
        viewers: { clients: 1_000, tickRates: [100_000] },
      },
    });
    // Flags after --quick narrow the quick plan, which keeps its own small defaults elsewhere.
    expect(parseCommand(['--quick', '--storm-clients', '50'])).toMatchObject({
      plan: {
        quick: true,
        storm: { clients: 50, concurrency: ['all'] },
        viewers: { clients: 100 },
      },
    });
  });

  it("runs every scenario by default: the storm and the viewers with the issue's figures", () => {
    expect(FULL_PLAN.scenarios).toEqual(['peers', 'idle', 'storm', 'viewers', 'api']);
    expect(QUICK_PLAN.scenarios).toEqual(FULL_PLAN.scenarios);
    expect(FULL_PLAN.storm).toMatchObject({
      clients: 10_000,
      symbolsPerClient: 20,
      views: ['chart', 'quote'],
      concurrency: ['all', 500],
      tickRate: 10_000,
      targetMs: { chart: 3_000, quote: 1_000 },
    });
    expect(FULL_PLAN.viewers).toMatchObject({
      clients: 2_000,
      tickRates: [10_000, 100_000],
      viewer: { charts: 1, quotes: 20 },
      allCharts: { charts: 20, quotes: 0 },
      targetRatio: 3,
    });
    // Quick: a few hundred clients, seconds.
    expect(QUICK_PLAN.storm.clients).toBeLessThanOrEqual(500);
    expect(QUICK_PLAN.viewers.tickRates).toHaveLength(1);
  });

  it("shapes the history API's phases, with a lane for every 10 requests a second", () => {
    expect(FULL_PLAN.api).toMatchObject({
      clients: 200,
      tickRate: 10_000,
      phaseMs: 10_000,
      rate: 1_000,
      lanes: 100,
      throughputConnections: 50,
      runs: 1,
      targetP99Ms: 10,
      startupTargetMs: 1_000,
    });
    const command = parseCommand([
      '--scenarios',
      'api',
      '--api-clients',
      '500',
      '--api-rate',
      '2000',
      '--api-seconds',
      '5',
      '--api-runs',
      '3',
    ]);
    expect(command).toMatchObject({
      plan: {
        scenarios: ['api'],
        api: { clients: 500, rate: 2_000, lanes: 200, phaseMs: 5_000, runs: 3 },
      },
    });
    expect([lanesFor(1), lanesFor(14), lanesFor(1_000), lanesFor(100_000)]).toEqual([
      1, 1, 100, 200,
    ]);
    // Quick: seconds, and a lane for every 10 requests a second as in the full plan.
    expect(QUICK_PLAN.api).toMatchObject({ phaseMs: 1_000, rate: 200, lanes: 20 });
  });

  it.each([
    [['--scenarios', 'peers,storms'], /--scenarios takes some of peers,idle,storm,viewers,api/],
    [['--api-rate', '0'], /--api-rate takes an integer from 1 to 100000/],
    [['--api-seconds', '1.5'], /--api-seconds takes an integer from 1 to 600/],
    [['--api-runs', '21'], /--api-runs takes an integer from 1 to 20/],
    [['--scenarios', 'storm,storm'], /each once \(got "storm,storm"\)/],
    [['--storm-clients', '15001'], /--storm-clients takes an integer from 1 to 15000/],
    [['--storm-clients', '1,2'], /--storm-clients takes an integer .* \(got "1,2"\)/],
    [['--storm-views', 'candles'], /--storm-views takes some of chart,quote/],
    [['--storm-concurrency', 'all,0'], /--storm-concurrency takes "all" or integers from 1/],
    [['--storm-concurrency', 'half'], /--storm-concurrency takes "all" or integers/],
    [['--viewer-clients', ''], /--viewer-clients takes an integer from 1 to 15000/],
    [['--viewer-rates', '0'], /--viewer-rates takes integers from 1 to 1000000/],
    [['--clients', '0'], /--clients takes integers from 1 to 15000/],
    [['--servers', 'ticker-gw0'], /--servers: unknown "ticker-gw0"; .* ticker-gw1 to ticker-gw8/],
    [['--servers', 'ticker-gw9'], /--servers: unknown "ticker-gw9"/],
    [['--servers', 'ticker-gw01'], /--servers: unknown "ticker-gw01"/],
    [['--report', 'a.json,'], /--report takes comma-separated files/],
    [['--clients', '1000,abc'], /--clients takes integers .* \(got "1000,abc"\)/],
    [['--rates', '2000000'], /--rates takes integers from 1 to 1000000/],
    [['--servers', 'ticker,kafka'], /--servers: unknown "kafka"; choose from ticker,ws-batch/],
    [['--repeats'], /--repeats needs a value/],
    [['--fast', '1'], /unknown option "--fast"/],
  ])('rejects %j with a UsageError that says what is wrong', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
