import { BollingerBands } from './bollinger-bands';
import { EmaIndicator } from './ema';
import type { Indicator } from './indicator';
import { checkIndicatorSpec, formatIndicator } from './indicator-spec';
import type { IndicatorSpec } from './indicator-spec';
import { SmaIndicator } from './sma';
import { VwapIndicator } from './vwap';

/**
 * A fresh indicator for `spec`, empty until its first `reset`. Throws a RangeError for a spec
 * outside `INDICATOR_LIMITS`; `parseIndicators` never yields one.
 */
export function createIndicator(spec: IndicatorSpec): Indicator {
  const problem = checkIndicatorSpec(spec);
  if (problem !== undefined) {
    throw new RangeError(`Cannot create indicator ${formatIndicator(spec)}: ${problem}`);
  }
  switch (spec.kind) {
    case 'sma':
      return new SmaIndicator(spec.period);
    case 'ema':
      return new EmaIndicator(spec.period);
    case 'bb':
      return new BollingerBands(spec.period, spec.width);
    case 'vwap':
      return new VwapIndicator();
    case 'vma':
      return new SmaIndicator(spec.period, 'volume');
  }
}
