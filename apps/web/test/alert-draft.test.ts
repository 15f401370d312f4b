import { describe, expect, it } from 'vitest';
import { readDraft } from '../src/alerts/alert-draft';
import type { DraftFields, MarketNow } from '../src/alerts/alert-draft';
import { describeCondition, describeFiring } from '../src/alerts/alert-text';

const market: MarketNow = { last: 6_400_000, open: 6_000_000, priceDecimals: 2 };
const fields = (value: string, more: Partial<DraftFields> = {}): DraftFields => ({
  ticker: 'BTC-USD',
  direction: 'above',
  kind: 'price',
  value,
  ...more,
});

describe('reading the alert editor', () => {
  it('reads a price in the symbol’s units, with or without thousands separators', () => {
    expect(readDraft(fields('65,000.5'), market)).toEqual({
      ok: true,
      draft: {
        ticker: 'BTC-USD',
        direction: 'above',
        condition: { kind: 'price', price: 6_500_050 },
      },
    });
    expect(readDraft(fields(' 63000 ', { direction: 'below' }), market)).toMatchObject({
      ok: true,
      draft: { condition: { kind: 'price', price: 6_300_000 } },
    });
  });

  it('reads a change since the open in percent', () => {
    expect(readDraft(fields('-2.5', { kind: 'change', direction: 'below' }), market)).toEqual({
      ok: true,
      draft: {
        ticker: 'BTC-USD',
        direction: 'below',
        condition: { kind: 'change', percent: -2.5 },
      },
    });
  });

  it.each([
    ['', 'Enter a number, such as 123.45'],
    ['abc', 'Enter a number, such as 123.45'],
    ['1e5', 'Enter a number, such as 123.45'],
    ['65000.123', 'BTC-USD prices have 2 decimals at most'],
    ['0', 'The price must be above 0'],
    ['-5', 'The price must be above 0'],
  ])('refuses the price %j: %s', (value, problem) => {
    expect(readDraft(fields(value), market)).toEqual({ ok: false, problem });
  });

  it.each(['0', '-100', '1001'])('refuses the change %s%%', (value) => {
    expect(readDraft(fields(value, { kind: 'change' }), market)).toEqual({
      ok: false,
      problem: 'The change must be between −100% and +1000%, and not 0',
    });
  });

  it('refuses a level the price is already past: it would fire on the next trade', () => {
    expect(readDraft(fields('64000'), market)).toEqual({
      ok: false,
      problem: 'BTC-USD already trades at or above that level',
    });
    expect(readDraft(fields('64500', { direction: 'below' }), market)).toEqual({
      ok: false,
      problem: 'BTC-USD already trades at or below that level',
    });
    // +6 % since the open of 60,000 is 63,600: already passed at 64,000.
    expect(readDraft(fields('6', { kind: 'change' }), market)).toEqual({
      ok: false,
      problem: 'BTC-USD already trades at or above that level',
    });
    // Before any trade there is nothing to be past.
    expect(readDraft(fields('64000'), { ...market, last: null, open: null })).toMatchObject({
      ok: true,
    });
  });
});

describe('alert texts', () => {
  it('says the condition and the firing in the symbol’s decimals', () => {
    expect(describeCondition('above', { kind: 'price', price: 6_500_000 }, 2)).toBe(
      'at or above 65000.00',
    );
    expect(describeCondition('below', { kind: 'change', percent: -2 }, 2)).toBe(
      'change since open at or below −2.00%',
    );
    const time = Date.UTC(2026, 0, 2, 14, 3, 7, 123);
    expect(
      describeFiring(
        {
          id: 'a',
          ticker: 'BTC-USD',
          direction: 'above',
          condition: { kind: 'price', price: 6_500_000 },
          createdAt: 0,
          fired: null,
        },
        { time, price: 6_500_120 },
        2,
        true,
      ),
    ).toBe('BTC-USD traded at 65001.20 (at or above 65000.00) at 14:03:07.123');
  });
});
