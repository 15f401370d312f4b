// The indicators' public surface; the columns and window sums behind them stay internal.
export type { CandleColumns, CandleReader } from './candle-columns';
export type { Indicator, IndicatorPane } from './indicator';
export type { IndicatorKind, IndicatorSpec, ParsedIndicators } from './indicator-spec';
export {
  DEFAULT_BAND_WIDTH,
  DEFAULT_PERIODS,
  INDICATOR_LIMITS,
  SUGGESTED_INDICATORS,
  checkIndicatorSpec,
  formatIndicator,
  formatIndicators,
  parseIndicators,
} from './indicator-spec';
export { createIndicator } from './create-indicator';
export { BAND_LINE, BollingerBands } from './bollinger-bands';
export { EmaIndicator } from './ema';
export { SmaIndicator } from './sma';
export type { SmaSource } from './sma';
export { VwapIndicator } from './vwap';
