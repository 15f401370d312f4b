import { describe, expect, it } from 'vitest';
import { chartSummary } from '../src/lib/chart-summary';
import type { Quote } from '../src/store/dashboard-store';

const MINUS = '\u2212';

function quote(figures: Partial<Quote>): Quote {
  return {
    version: 1,
    last: null,
    open: null,
    high: null,
    low: null,
    volume: 0,
    direction: 0,
    tradeCount: 0,
    ...figures,
  };
}

describe('chartSummary', () => {
  it('says the last price, the change since the open and the session range', () => {
    const rising = quote({ open: 6_345_050, last: 6_421_050, low: 6_310_000, high: 6_490_000 });
    expect(chartSummary('BTC-USD', rising, 2, false)).toBe(
      'BTC-USD chart: last 64210.50, +1.20% (+760.00) since the session open, ' +
        'session range 63100.00–64900.00',
    );
  });

  it('signs a loss with a real minus sign, in the symbol decimals', () => {
    const falling = quote({ open: 1_000_000, last: 975_000, low: 970_000, high: 1_010_000 });
    expect(chartSummary('AAPL', falling, 4, false)).toBe(
      `AAPL chart: last 97.5000, ${MINUS}2.50% (${MINUS}2.5000) since the session open, ` +
        'session range 97.0000–101.0000',
    );
  });

  it('marks a price that may be out of date', () => {
    const steady = quote({ open: 500, last: 500, low: 500, high: 500 });
    expect(chartSummary('SOL-USD', steady, 2, true)).toMatch(
      /^SOL-USD chart: last 5\.00 \(stale\), /,
    );
  });

  it('says so before the first trade, and leaves out figures it does not have', () => {
    expect(chartSummary('MSFT', undefined, 2, false)).toBe('MSFT chart: no trades yet');
    expect(chartSummary('MSFT', quote({ last: 41_000 }), 2, false)).toBe('MSFT chart: last 410.00');
  });
});
