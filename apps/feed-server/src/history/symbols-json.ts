import { AssetClass, HISTORY_INTERVAL_NAMES } from '@ticker/protocol';
import type { SymbolSpec } from '../domain/universe.js';
import { decimal } from './candles-json.js';

const ASSET_CLASSES: Readonly<Record<AssetClass, string>> = {
  [AssetClass.Stock]: 'stock',
  [AssetClass.Crypto]: 'crypto',
};

/**
 * `GET /api/v1/symbols`: the intervals served and the directory, the same symbols the WebSocket's
 * directory message lists, with tick and lot sizes as exact decimals.
 */
export function symbolsJson(universe: readonly SymbolSpec[]): string {
  return JSON.stringify({
    intervals: HISTORY_INTERVAL_NAMES,
    symbols: universe.map((s) => ({
      symbol: s.ticker,
      id: s.id,
      name: s.name,
      assetClass: ASSET_CLASSES[s.assetClass],
      priceDecimals: s.priceDecimals,
      sizeDecimals: s.sizeDecimals,
      tickSize: decimal(s.tickSize, s.priceDecimals),
      lotSize: decimal(s.lotSize, s.sizeDecimals),
    })),
  });
}
