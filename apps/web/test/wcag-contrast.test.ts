import { describe, expect, it } from 'vitest';
import { composite, contrastRatio, parseColor } from './wcag-contrast';

const WHITE = parseColor('#ffffff');
const BLACK = parseColor('#000000');

describe('contrastRatio', () => {
  it('spans 1 to 21, whichever colour comes first', () => {
    expect(contrastRatio(BLACK, WHITE)).toBeCloseTo(21, 5);
    expect(contrastRatio(WHITE, BLACK)).toBeCloseTo(21, 5);
    expect(contrastRatio(WHITE, WHITE)).toBe(1);
  });

  it("matches WCAG's worked figures", () => {
    // #767676 is the lightest grey with 4.5:1 on white; #777777 just misses it (4.48:1).
    expect(contrastRatio(parseColor('#767676'), WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(parseColor('#777777'), WHITE)).toBeLessThan(4.5);
    expect(contrastRatio(parseColor('#777777'), WHITE)).toBeCloseTo(4.48, 2);
  });

  it('refuses a translucent colour, whose contrast depends on what is under it', () => {
    expect(() => contrastRatio(parseColor('rgba(0, 0, 0, 0.5)'), WHITE)).toThrow(/composite/);
  });
});

describe('composite', () => {
  it('mixes a translucent colour into the one under it by its alpha', () => {
    expect(composite(parseColor('rgba(0, 0, 0, 0.25)'), WHITE)).toEqual({
      r: 191.25,
      g: 191.25,
      b: 191.25,
      a: 1,
    });
    expect(composite(parseColor('rgb(10, 20, 30)'), WHITE)).toEqual(parseColor('#0a141e'));
  });
});

describe('parseColor', () => {
  it('reads hex and rgba, and names what it cannot read', () => {
    expect(parseColor('#15783A')).toEqual({ r: 0x15, g: 0x78, b: 0x3a, a: 1 });
    expect(parseColor('rgba(22, 163, 74, 0.28)')).toEqual({ r: 22, g: 163, b: 74, a: 0.28 });
    expect(() => parseColor('var(--up)')).toThrow('"var(--up)"');
  });
});
