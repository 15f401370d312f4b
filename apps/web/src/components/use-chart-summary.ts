import { useDashboardStore, useDashboardStoreApi } from '../dashboard-context';
import { chartSummary } from '../lib/chart-summary';
import { pricesAreStale } from '../store/dashboard-store';

/**
 * A chart's text alternative (`lib/chart-summary.ts`) as of this render. The quote is read, not
 * subscribed to: a chart redraws at its chart version's pace (a few times a second), so its
 * label is as fresh as its drawing, and a subscription would add a render per quote. Staleness
 * is subscribed to, since a lost connection stops the redraws that would otherwise say it.
 */
export function useChartSummary(ticker: string, priceDecimals: number): string {
  const store = useDashboardStoreApi();
  const stale = useDashboardStore(pricesAreStale);
  return chartSummary(ticker, store.getState().quotes.get(ticker), priceDecimals, stale);
}
