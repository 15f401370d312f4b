import type { Quote } from '../store/dashboard-store';
import { change, changePercent } from '../store/symbol-selectors';
import { formatChange, formatPercent, formatPrice } from './format';

/**
 * A chart's text alternative (WCAG 1.1.1), for a chart drawn as an image: the symbol, its last
 * price, the change since the session open, and the session's range, e.g.
 * "BTC-USD chart: last 64210.50, +1.20% (+760.00) since the session open, session range
 * 63100.00–64900.00". The range is the session's low and high rather than the visible one:
 * it is the figure the watchlist shows, and it means the same in every tile and at any zoom.
 * Figures are formatted as the watchlist and the chart header print them.
 */
export function chartSummary(
  ticker: string,
  quote: Quote | undefined,
  priceDecimals: number,
  stale: boolean,
): string {
  const last = quote?.last ?? null;
  if (last === null) return `${ticker} chart: no trades yet`;
  const parts = [`last ${formatPrice(last, priceDecimals)}${stale ? ' (stale)' : ''}`];
  const delta = change(quote);
  if (delta !== null) {
    const percent = formatPercent(changePercent(quote));
    parts.push(`${percent} (${formatChange(delta, priceDecimals)}) since the session open`);
  }
  const low = quote?.low ?? null;
  const high = quote?.high ?? null;
  if (low !== null && high !== null) {
    const range = `${formatPrice(low, priceDecimals)}–${formatPrice(high, priceDecimals)}`;
    parts.push(`session range ${range}`);
  }
  return `${ticker} chart: ${parts.join(', ')}`;
}
