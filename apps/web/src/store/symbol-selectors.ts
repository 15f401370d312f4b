import type { SymbolInfo } from '@ticker/protocol';

/** Directory symbols that are not selected yet, in directory order. */
export function availableSymbols(
  directory: readonly SymbolInfo[],
  selected: readonly string[],
): SymbolInfo[] {
  const taken = new Set(selected);
  return directory.filter((symbol) => !taken.has(symbol.ticker));
}
