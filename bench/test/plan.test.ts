import { describe, expect, it } from 'vitest';
import { FULL_PLAN, QUICK_PLAN, UsageError, parseCommand } from '../src/plan.js';

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

  it.each([
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
