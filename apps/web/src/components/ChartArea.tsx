import { memo } from 'react';
import { useDashboardStore } from '../dashboard-context';
import { formatChange, formatPercent, formatPrice } from '../lib/format';
import { chartedTickers, pricesAreStale } from '../store/dashboard-store';
import { change, changePercent } from '../store/symbol-selectors';
import { CandleChart } from './CandleChart';
import { PriceChart } from './PriceChart';

/** The focused symbol in detail, or a grid of the watchlist's first twelve. */
export function ChartArea() {
  const layout = useDashboardStore((s) => s.layout);
  const focused = useDashboardStore((s) => s.focused);
  const watchlist = useDashboardStore((s) => s.watchlist);
  const charted = chartedTickers({ layout, focused, watchlist });
  if (charted.length === 0) {
    return <p className="empty-state">Add a symbol to see its chart.</p>;
  }
  if (layout === 'grid') {
    return (
      <div className="chart-grid">
        {charted.map((ticker) => (
          <section key={ticker} className="chart-tile" aria-label={`${ticker} chart`}>
            <ChartHeader ticker={ticker} />
            <PriceChart ticker={ticker} height={150} />
          </section>
        ))}
      </div>
    );
  }
  const ticker = charted[0] as string;
  return (
    <section key={ticker} className="chart-detail" aria-label={`${ticker} chart`}>
      <ChartHeader ticker={ticker} />
      <PriceChart ticker={ticker} height={260} />
      <CandleChart ticker={ticker} height={240} />
    </section>
  );
}

const ChartHeader = memo(function ChartHeader({ ticker }: { readonly ticker: string }) {
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const quote = useDashboardStore((s) => s.quotes.get(ticker));
  const stale = useDashboardStore(pricesAreStale);
  const decimals = symbol?.priceDecimals ?? 0;
  const delta = change(quote);
  const trend = delta === null || delta === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  return (
    <header className="chart-header" data-stale={stale ? 'true' : undefined}>
      <h2>
        <span className="chart-ticker">{ticker}</span>
        {symbol && <span className="chart-name">{symbol.name}</span>}
      </h2>
      <p className="chart-quote">
        <span className="chart-last" data-testid="chart-last">
          {formatPrice(quote?.last ?? null, decimals)}
        </span>
        <span data-trend={trend}>
          {formatChange(delta, decimals)} ({formatPercent(changePercent(quote))})
        </span>
        {stale && <span className="stale-tag">Stale</span>}
      </p>
    </header>
  );
});
