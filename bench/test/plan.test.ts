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

  it.each([
    [['--clients', '0'], /--clients takes integers from 1 to 15000/],
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
