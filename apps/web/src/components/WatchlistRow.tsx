import { memo } from 'react';
import { useDashboardStore } from '../dashboard-context';
import { formatChange, formatPercent, formatPrice, formatVolume } from '../lib/format';
import { pricesAreStale } from '../store/dashboard-store';
import { change, changePercent } from '../store/symbol-selectors';
import { Sparkline } from './Sparkline';

interface WatchlistRowProps {
  readonly ticker: string;
}

/**
 * One watched symbol. It follows only its own quote, so a tick elsewhere never re-renders it;
 * the last price flashes green or red when it moves (the keyed span restarts the animation).
 * While prices may be out of date (market data delayed, or no connection) its figures are
 * marked stale.
 */
export const WatchlistRow = memo(function WatchlistRow({ ticker }: WatchlistRowProps) {
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const quote = useDashboardStore((s) => s.quotes.get(ticker));
  const focused = useDashboardStore((s) => s.focused === ticker);
  const focus = useDashboardStore((s) => s.focus);
  const removeSymbol = useDashboardStore((s) => s.removeSymbol);
  const stale = useDashboardStore(pricesAreStale);
  const decimals = symbol?.priceDecimals ?? 0;
  const delta = change(quote);
  const trend = delta === null || delta === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  const flash = quote?.direction === 1 ? 'flash-up' : quote?.direction === -1 ? 'flash-down' : '';

  return (
    <tr
      className="watchlist-row"
      aria-current={focused ? 'true' : undefined}
      data-stale={stale ? 'true' : undefined}
    >
      <th scope="row" className="symbol-cell">
        <button
          type="button"
          className="symbol-button"
          aria-label={`Show ${ticker}`}
          onClick={() => {
            focus(ticker);
          }}
        >
          <span className="row-ticker">{ticker}</span>
          <span className="row-name">{symbol?.name ?? ''}</span>
        </button>
      </th>
      <td className="num last" data-testid="last-price">
        <span key={quote?.last ?? 'none'} className={flash}>
          {formatPrice(quote?.last ?? null, decimals)}
        </span>
        {stale && <span className="visually-hidden-label"> (stale)</span>}
      </td>
      <td className="num secondary" data-trend={trend}>
        {formatChange(delta, decimals)}
      </td>
      <td className="num" data-trend={trend} data-testid="change-percent">
        {formatPercent(changePercent(quote))}
      </td>
      <td className="num optional">{formatPrice(quote?.high ?? null, decimals)}</td>
      <td className="num optional">{formatPrice(quote?.low ?? null, decimals)}</td>
      <td className="num secondary">
        {quote && symbol ? formatVolume(quote.volume, symbol.sizeDecimals) : '—'}
      </td>
      <td className="trend">
        <Sparkline ticker={ticker} trend={trend} />
      </td>
      <td className="actions">
        <button
          type="button"
          className="remove-button"
          aria-label={`Remove ${ticker}`}
          onClick={() => {
            removeSymbol(ticker);
          }}
        >
          ×
        </button>
      </td>
    </tr>
  );
});
