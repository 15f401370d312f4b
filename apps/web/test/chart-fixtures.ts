import { ChartCandles } from '../src/chart/chart-candles';
import type { Candle } from '@ticker/client';

/** Chart candles of `intervalMs` holding `rows`, loaded the way the latest page is. */
export function chartCandles(intervalMs: number, rows: readonly Candle[]): ChartCandles {
  const candles = new ChartCandles(intervalMs);
  candles.replaceLatest(rows);
  return candles;
}
