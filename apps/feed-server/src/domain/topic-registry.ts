import { View } from '@ticker/protocol';
import type { SymbolSpec } from './universe.js';

/**
 * Maps the symbols to their topics, one per (symbol, view): a chart topic carries the symbol's
 * tick batches, a quote topic its conflated quotes. A symbol's index (its position in the
 * universe) is what the hot path uses; ids and tickers are for requests. Topic names are built
 * once, here.
 */
export class TopicRegistry {
  readonly symbols: readonly SymbolSpec[];
  private readonly indexById = new Map<number, number>();
  private readonly indexByTicker = new Map<string, number>();
  private readonly chartTopics: readonly string[];
  private readonly quoteTopics: readonly string[];

  constructor(symbols: readonly SymbolSpec[]) {
    this.symbols = symbols;
    symbols.forEach((symbol, index) => {
      this.indexById.set(symbol.id, index);
      this.indexByTicker.set(symbol.ticker, index);
    });
    this.chartTopics = symbols.map((symbol) => `ticks/${symbol.id}`);
    this.quoteTopics = symbols.map((symbol) => `quotes/${symbol.id}`);
  }

  get size(): number {
    return this.symbols.length;
  }

  indexOfId(id: number): number | undefined {
    return this.indexById.get(id);
  }

  indexOfTicker(ticker: string): number | undefined {
    return this.indexByTicker.get(ticker);
  }

  /** The topic of the symbol's view: its batches (chart) or its quotes (quote). */
  topic(index: number, view: View = View.Chart): string {
    const topic = (view === View.Quote ? this.quoteTopics : this.chartTopics)[index];
    if (topic === undefined) throw new RangeError(`no topic for symbol index ${index}`);
    return topic;
  }

  symbolAt(index: number): SymbolSpec {
    const symbol = this.symbols[index];
    if (symbol === undefined) throw new RangeError(`no symbol at index ${index}`);
    return symbol;
  }
}
