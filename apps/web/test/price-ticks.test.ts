import { describe, expect, it } from 'vitest';
import { formatAxisPrice, niceStep, priceTicks } from '../src/lib/price-ticks';

/** Seeded, so a failure names ranges that can be run again. */
function* ranges(count: number): Generator<[number, number, number]> {
  let seed = 12_345;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let i = 0; i < count; i++) {
    const decimals = Math.floor(random() * 9); // 0 (lots of shares) to 8 (SHIB-USD)
    const unit = 10 ** -decimals;
    // Prices as the universe has them: at most 12 significant digits (BTC-USD at 2 decimals,
    // PEPE-USD at 9), so that a price in units of its last decimal is an exact float.
    const low =
      Math.round((random() * 10 ** (1 + random() * Math.min(5, 12 - decimals))) / unit) * unit;
    // From one price step to many times the price.
    const span = Math.round((unit * 10 ** (random() * (decimals + 5))) / unit) * unit;
    yield [low, low + span, decimals];
  }
}

const isNice = (stepUnits: number): boolean => {
  const power = 10 ** Math.floor(Math.log10(stepUnits));
  return [1, 2, 2.5, 5].some((m) => Math.abs(stepUnits - m * power) < 1e-9);
};

describe('priceTicks', () => {
  it('labels round prices: steps of 1, 2, 2.5 or 5 × 10ⁿ in whole units of the last decimal, over many ranges', () => {
    for (const [min, max, decimals] of ranges(2_000)) {
      const { domain, ticks, step } = priceTicks(min, max, decimals);
      const what = `${min}..${max} at ${decimals} decimals`;
      const units = Math.round(step * 10 ** decimals);
      expect(isNice(units), what).toBe(true);
      expect(units).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(units), what).toBe(true);
      // The data fits; the ends are ticks; between them, every step.
      expect(domain[0], what).toBeLessThanOrEqual(min + 1e-9);
      expect(domain[1], what).toBeGreaterThanOrEqual(max - 1e-9);
      expect(ticks[0]).toBe(domain[0]);
      expect(ticks.at(-1)).toBe(domain[1]);
      expect(ticks.length, what).toBeGreaterThanOrEqual(3);
      expect(ticks.length, what).toBeLessThanOrEqual(7);
      for (const tick of ticks) {
        // Each tick is the float nearest a whole number of units, that number a whole step.
        const inUnits = Math.round(tick * 10 ** decimals);
        expect(inUnits / 10 ** decimals, what).toBe(tick);
        expect(inUnits % units, what).toBe(0);
      }
      // Labels never repeat (a symbol that barely moves still reads as distinct prices).
      const labels = ticks.map((tick) => formatAxisPrice(tick, decimals));
      expect(new Set(labels).size, what).toBe(labels.length);
    }
  });

  it('steps by quarters where they are whole prices', () => {
    // The chart of the screenshot that filed issue 18 (73,452.17, 73,522.17, …): now by 100s.
    expect(priceTicks(73_452.17, 73_719.23, 2)).toMatchObject({
      step: 100,
      domain: [73_400, 73_800],
    });
    expect(priceTicks(73_452.17, 73_548.17, 2).step).toBe(25);
    expect(priceTicks(100, 200, 0, 5).step).toBe(25);
    expect(priceTicks(0.31, 0.36, 2, 5).step).toBe(0.02); // 0.0125 would be finer than a cent
    expect(priceTicks(1.0001, 1.0009, 4, 5)).toMatchObject({
      step: 0.0002,
      ticks: [1, 1.0002, 1.0004, 1.0006, 1.0008, 1.001],
    });
  });

  it('puts a range of one price between two steps', () => {
    expect(priceTicks(215.68, 215.68, 2)).toEqual({
      domain: [215.67, 215.69],
      ticks: [215.67, 215.68, 215.69],
      step: 0.01,
    });
  });

  it('gives no ticks without prices', () => {
    expect(priceTicks(Infinity, -Infinity, 2).ticks).toEqual([]);
  });

  it('picks the least nice step at least as large as asked', () => {
    expect([1, 1.5, 2, 2.2, 3, 7, 11, 24, 26, 49, 51, 101].map(niceStep)).toEqual([
      1, 2, 2, 5, 5, 10, 20, 25, 50, 50, 100, 200,
    ]);
  });
});

describe('formatAxisPrice', () => {
  it("writes thousands separators and the symbol's decimals, in the user's locale", () => {
    const expected = new Intl.NumberFormat(undefined, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(73_450);
    expect(formatAxisPrice(73_450, 2)).toBe(expected);
    expect(formatAxisPrice(0.000123, 8)).toMatch(/^0.0+123/);
  });
});
