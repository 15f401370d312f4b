import { describe, expect, it } from 'vitest';
import { createIndicator } from '../src/indicators/create-indicator';
import {
  DEFAULT_PERIODS,
  INDICATOR_LIMITS,
  SUGGESTED_INDICATORS,
  checkIndicatorSpec,
  formatIndicator,
  formatIndicators,
  parseIndicators,
} from '../src/indicators/indicator-spec';
import type { IndicatorSpec } from '../src/indicators/indicator-spec';

const EVERY_KIND: IndicatorSpec[] = [
  { kind: 'sma', period: 20 },
  { kind: 'ema', period: 50 },
  { kind: 'bb', period: 20, width: 2 },
  { kind: 'bb', period: 20, width: 2.5 },
  { kind: 'vwap' },
  { kind: 'vma', period: 20 },
];

/** Numerical Recipes' 32-bit LCG, as in indicators.test.ts. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomSpec(random: () => number): IndicatorSpec {
  const period = 2 + Math.floor(random() * 499);
  const kind = Math.floor(random() * 5);
  if (kind === 0) return { kind: 'sma', period };
  if (kind === 1) return { kind: 'ema', period };
  if (kind === 2) return { kind: 'bb', period, width: (5 + Math.floor(random() * 46)) / 10 };
  if (kind === 3) return { kind: 'vwap' };
  return { kind: 'vma', period };
}

describe('formatIndicators', () => {
  it('writes the compact form', () => {
    expect(formatIndicators(EVERY_KIND)).toBe('sma20,ema50,bb20-2,bb20-2.5,vwap,vma20');
    expect(formatIndicators([])).toBe('');
  });

  it('writes a width off the tenths grid by rounding error as its tenth', () => {
    expect(formatIndicator({ kind: 'bb', period: 20, width: 0.1 * 7 })).toBe('bb20-0.7');
  });
});

describe('parseIndicators', () => {
  it('reads back what formatIndicators writes', () => {
    expect(parseIndicators(formatIndicators(EVERY_KIND))).toEqual({
      specs: EVERY_KIND,
      problems: [],
    });
  });

  it('round-trips random lists of distinct specs within the limits', () => {
    const random = lcg(7);
    for (let run = 0; run < 500; run++) {
      const keys = new Set<string>();
      const specs: IndicatorSpec[] = [];
      while (specs.length < 1 + Math.floor(random() * INDICATOR_LIMITS.maxIndicators)) {
        const spec = randomSpec(random);
        if (keys.has(formatIndicator(spec))) continue;
        keys.add(formatIndicator(spec));
        specs.push(spec);
      }
      expect(parseIndicators(formatIndicators(specs))).toEqual({ specs, problems: [] });
    }
  });

  it('is empty for empty text, and skips empty items', () => {
    expect(parseIndicators('')).toEqual({ specs: [], problems: [] });
    expect(parseIndicators(',sma20,,')).toEqual({
      specs: [{ kind: 'sma', period: 20 }],
      problems: [],
    });
  });

  it('accepts the limits themselves', () => {
    expect(parseIndicators('sma2,ema500,bb2-0.5,bb500-5').specs).toEqual([
      { kind: 'sma', period: 2 },
      { kind: 'ema', period: 500 },
      { kind: 'bb', period: 2, width: 0.5 },
      { kind: 'bb', period: 500, width: 5 },
    ]);
  });

  it('trims items, ignores case and reads 2.0 as 2', () => {
    expect(parseIndicators(' SMA20 , Vwap,bb20-2.0,bb10-1.50 ')).toEqual({
      specs: [
        { kind: 'sma', period: 20 },
        { kind: 'vwap' },
        { kind: 'bb', period: 20, width: 2 },
        { kind: 'bb', period: 10, width: 1.5 },
      ],
      problems: [],
    });
  });

  const period = 'period must be a whole number from 2 to 500';
  const width = 'band width must be from 0.5 to 5, with at most one decimal';
  const unknown = 'not an indicator; known: sma20, ema20, bb20-2, vwap, vma20';
  const malformed: readonly (readonly [string, string])[] = [
    ['sma1', period],
    ['sma0', period],
    ['ema501', period],
    ['vma99999999999999999999', period],
    ['bb1-2', period],
    ['bb501-2', period],
    ['bb20-0.4', width],
    ['bb20-5.1', width],
    ['bb20-2.25', width],
    ['bb20-', width],
    ['bb20-2.', width],
    ['bb20--2', width],
    ['bb20-x', width],
    ['sma', 'a period is missing, e.g. sma20'],
    ['bb', 'a period is missing, e.g. bb20'],
    ['bb20', 'a band width is missing, e.g. bb20-2'],
    ['sma2.5', unknown],
    ['sma-20', unknown],
    ['sma 20', unknown],
    ['vwap20', unknown],
    ['macd12', unknown],
    ['💥', unknown],
  ];
  for (const [item, reason] of malformed) {
    it(`drops ${JSON.stringify(item)}: ${reason}`, () => {
      expect(parseIndicators(`ema9,${item},vwap`)).toEqual({
        specs: [{ kind: 'ema', period: 9 }, { kind: 'vwap' }],
        problems: [`Ignored indicator in the link: ${item} (${reason})`],
      });
    });
  }

  it('names a long malformed item by its start only', () => {
    const item = 'x'.repeat(200);
    expect(parseIndicators(item).problems).toEqual([
      `Ignored indicator in the link: ${'x'.repeat(24)}… (${unknown})`,
    ]);
  });

  it('drops duplicates, however they are written', () => {
    expect(parseIndicators('sma20,ema20,SMA20,bb20-2,bb20-2.0,sma020')).toEqual({
      specs: [
        { kind: 'sma', period: 20 },
        { kind: 'ema', period: 20 },
        { kind: 'bb', period: 20, width: 2 },
      ],
      problems: [
        'Ignored duplicate indicator in the link: SMA20',
        'Ignored duplicate indicator in the link: bb20-2.0',
        'Ignored duplicate indicator in the link: sma020',
      ],
    });
  });

  it('keeps the first eight distinct indicators', () => {
    const text = 'sma2,sma3,sma4,sma4,sma5,sma6,sma7,sma8,sma9,sma10,bogus,sma11';
    const { specs, problems } = parseIndicators(text);
    expect(specs.map(formatIndicator)).toEqual([
      'sma2',
      'sma3',
      'sma4',
      'sma5',
      'sma6',
      'sma7',
      'sma8',
      'sma9',
    ]);
    expect(problems).toEqual([
      'Ignored duplicate indicator in the link: sma4',
      `Ignored indicator in the link: bogus (${unknown})`,
      'Ignored indicators beyond the first 8 in the link: sma10, sma11',
    ]);
  });
});

describe('checkIndicatorSpec', () => {
  it('passes specs within the limits and names what is wrong with the others', () => {
    for (const spec of EVERY_KIND) expect(checkIndicatorSpec(spec)).toBeUndefined();
    expect(checkIndicatorSpec({ kind: 'ema', period: 1 })).toMatch(/^period/);
    expect(checkIndicatorSpec({ kind: 'vma', period: 20.5 })).toMatch(/^period/);
    expect(checkIndicatorSpec({ kind: 'bb', period: 600, width: 2 })).toMatch(/^period/);
    expect(checkIndicatorSpec({ kind: 'bb', period: 20, width: 2.05 })).toMatch(/^band width/);
    expect(checkIndicatorSpec({ kind: 'bb', period: 20, width: NaN })).toMatch(/^band width/);
  });
});

describe('createIndicator', () => {
  it('refuses a spec outside the limits, naming it', () => {
    expect(() => createIndicator({ kind: 'sma', period: 1_000 })).toThrow(
      'Cannot create indicator sma1000: period must be a whole number from 2 to 500',
    );
    expect(() => createIndicator({ kind: 'bb', period: 20, width: 9 })).toThrow(RangeError);
  });
});

describe('defaults the toolbar offers', () => {
  it('are all within the limits, distinct, and one of every kind', () => {
    for (const p of DEFAULT_PERIODS) {
      expect(checkIndicatorSpec({ kind: 'sma', period: p })).toBeUndefined();
    }
    const keys = SUGGESTED_INDICATORS.map(formatIndicator);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeLessThanOrEqual(INDICATOR_LIMITS.maxIndicators);
    expect(new Set(SUGGESTED_INDICATORS.map((s) => s.kind))).toEqual(
      new Set(['sma', 'ema', 'bb', 'vwap', 'vma']),
    );
    for (const spec of SUGGESTED_INDICATORS) expect(checkIndicatorSpec(spec)).toBeUndefined();
  });
});
