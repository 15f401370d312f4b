import { encodeSymbolDirectory } from '@ticker/protocol';
import type { SymbolInfo } from '@ticker/protocol';
import type { SymbolSpec } from './universe.js';

/** The directory every client gets first; a source and its gateways must send the same one. */
export function encodeDirectory(universe: readonly SymbolSpec[]): Uint8Array {
  return encodeSymbolDirectory({ symbols: universe.map(toSymbolInfo) }).slice();
}

function toSymbolInfo(spec: SymbolSpec): SymbolInfo {
  const { id, ticker, name, assetClass, priceDecimals, sizeDecimals, tickSize, lotSize } = spec;
  return { id, ticker, name, assetClass, priceDecimals, sizeDecimals, tickSize, lotSize };
}
