import { ChartCandles } from '../src/chart/chart-candles';
import type { CandlePage } from '../src/chart/candle-page';

/** One candle of a hand-written page: prices and volume as scaled integers. */
export interface CandleRow {
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A history page holding `rows`, oldest first, as the API's parser builds one. */
export function candlePage(rows: readonly CandleRow[], asOf: number | null = null): CandlePage {
  const column = (pick: (row: CandleRow) => number) => Float64Array.from(rows, pick);
  return {
    starts: column((row) => row.start),
    opens: column((row) => row.open),
    highs: column((row) => row.high),
    lows: column((row) => row.low),
    closes: column((row) => row.close),
    volumes: column((row) => row.volume),
    count: rows.length,
    asOf,
  };
}

/** Chart candles of `intervalMs` holding `rows`, loaded the way the latest page is. */
export function chartCandles(intervalMs: number, rows: readonly CandleRow[]): ChartCandles {
  const candles = new ChartCandles(intervalMs);
  candles.replaceLatest(candlePage(rows));
  return candles;
}
