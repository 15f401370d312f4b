import { formatPercent, formatPrice } from '../lib/format';
import { formatTradeTime } from '../lib/trade-time';
import type { AlertCondition, AlertDirection, AlertFiring, PriceAlert } from './price-alert';

/** The condition in words: "at or above 64,000.00", "change since open at or below −2.00%". */
export function describeCondition(
  direction: AlertDirection,
  condition: AlertCondition,
  priceDecimals: number,
): string {
  const bound = direction === 'above' ? 'at or above' : 'at or below';
  if (condition.kind === 'price') return `${bound} ${formatPrice(condition.price, priceDecimals)}`;
  return `change since open ${bound} ${formatPercent(condition.percent)}`;
}

/** What a fired alert says: e.g. "BTC-USD traded at 64001.20 (at or above
 * 64000.00) at 14:03:07.123". */
export function describeFiring(
  alert: PriceAlert,
  firing: AlertFiring,
  priceDecimals: number,
  utc: boolean,
): string {
  const condition = describeCondition(alert.direction, alert.condition, priceDecimals);
  const price = formatPrice(Math.round(firing.price), priceDecimals);
  return `${alert.ticker} traded at ${price} (${condition}) at ${formatTradeTime(firing.time, utc)}`;
}
