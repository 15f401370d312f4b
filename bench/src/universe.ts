// The benchmark's market: 500 generated symbols (400 stocks, 100 crypto pairs) with equal
// activity, so every subscription carries the same share of the feed and a scenario's offered
// load is exact: tick rate × symbols per client ÷ symbols × clients.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SYMBOL_COUNT = 500;
const STOCKS = 400;

/** The ticker of symbol `id`, as the load generator spells it too: SYM001 … SYM500. */
export const tickerOf = (id: number): string => `SYM${String(id).padStart(3, '0')}`;

export function benchUniverse(): { symbols: Record<string, unknown>[] } {
  const symbols = Array.from({ length: SYMBOL_COUNT }, (_, i) => {
    const id = i + 1;
    const stock = i < STOCKS;
    return {
      id,
      ticker: tickerOf(id),
      name: `Bench ${stock ? 'stock' : 'coin'} ${id}`,
      assetClass: stock ? 'stock' : 'crypto',
      // Prices spread over three orders of magnitude, as a real watchlist's are.
      referencePrice: stock ? 5 + ((id * 37) % 995) : 0.5 * 10 ** (id % 5),
      priceDecimals: stock ? 2 : 4,
      sizeDecimals: stock ? 0 : 4,
      annualVolatility: stock ? 0.3 : 0.8,
      activity: 1,
    };
  });
  return { symbols };
}

/** Writes the universe to `dir` and returns the file's path, for UNIVERSE_FILE. */
export function writeBenchUniverse(dir: string): string {
  const path = join(dir, 'universe-500.json');
  writeFileSync(path, JSON.stringify(benchUniverse()));
  return path;
}
