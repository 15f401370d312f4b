import { AssetClass, MAX_DECIMALS } from '@ticker/protocol';
import type { SymbolInfo } from '@ticker/protocol';

/** A symbol of the simulated market: what clients see plus the simulator's parameters. */
export interface SymbolSpec extends SymbolInfo {
  /** Starting price, in currency units. */
  readonly referencePrice: number;
  /** Annualised volatility of the price's geometric Brownian motion (0.6 = 60%). */
  readonly annualVolatility: number;
  /** Relative share of the total tick rate; hot symbols have more. */
  readonly activity: number;
}

/**
 * Validates the universe data file, so a typo in it stops the server with a message naming the
 * entry instead of producing NaN prices later.
 */
export function parseUniverse(data: unknown): SymbolSpec[] {
  const entries = (data as { symbols?: unknown } | null)?.symbols;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new Error('universe: expected {"symbols": [...]} with at least one symbol');
  }
  const ids = new Set<number>();
  const tickers = new Set<string>();
  return entries.map((entry: unknown, index): SymbolSpec => {
    const e = entry as Record<string, unknown>;
    const where = `universe: symbols[${index}] (${String(e.ticker)})`;
    const id = integer(e.id, `${where}.id`, 1, 0xffff);
    const ticker = text(e.ticker, `${where}.ticker`);
    if (ids.has(id)) throw new Error(`${where}: duplicate id ${id}`);
    if (tickers.has(ticker)) throw new Error(`${where}: duplicate ticker`);
    ids.add(id);
    tickers.add(ticker);
    if (e.assetClass !== 'stock' && e.assetClass !== 'crypto') {
      throw new Error(`${where}.assetClass must be "stock" or "crypto"`);
    }
    return {
      id,
      ticker,
      name: text(e.name, `${where}.name`),
      assetClass: e.assetClass === 'stock' ? AssetClass.Stock : AssetClass.Crypto,
      priceDecimals: integer(e.priceDecimals, `${where}.priceDecimals`, 0, MAX_DECIMALS),
      sizeDecimals: integer(e.sizeDecimals, `${where}.sizeDecimals`, 0, MAX_DECIMALS),
      // In units of the last decimal: priceDecimals 2 with tickSize 5 trades in steps of 0.05.
      tickSize: integer(e.tickSize ?? 1, `${where}.tickSize`, 1, 1_000_000),
      lotSize: integer(e.lotSize ?? 1, `${where}.lotSize`, 1, 1_000_000),
      referencePrice: positive(e.referencePrice, `${where}.referencePrice`),
      annualVolatility: positive(e.annualVolatility, `${where}.annualVolatility`),
      activity: positive(e.activity, `${where}.activity`),
    };
  });
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function positive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${what} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new Error(`${what} must be a non-empty string of at most 64 characters`);
  }
  return value;
}
