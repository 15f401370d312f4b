import { memo, useRef } from 'react';
import type { Quote } from '../store/dashboard-store';
import { useDashboardStore } from '../dashboard-context';
import { formatChange, formatPercent, formatPrice, formatVolume } from '../lib/format';
import { useOnScreen } from '../lib/use-on-screen';
import { pricesAreStale } from '../store/dashboard-store';
import { change, changePercent } from '../store/symbol-selectors';
import { Sparkline } from './Sparkline';
import { AlertButton } from './alerts/AlertButton';

/** What a row's quote selector answers while the row is out of sight: nothing to redraw. */
const OFF_SCREEN = Symbol('off screen');

interface WatchlistRowProps {
  readonly ticker: string;
  /** The one row in the Tab order (a roving tabindex): the rest are reached by arrow keys. */
  readonly tabStop: boolean;
}

/**
 * One watched symbol. It follows only its own quote, so a tick elsewhere never re-renders it;
 * the last price flashes green or red when it moves (the keyed span restarts the animation).
 * While prices may be out of date (market data delayed, or no connection) its figures are
 * marked stale.
 *
 * Scrolled out of sight, it stops following its quote and keeps what it showed: fifty rows at
 * ten quotes a second are most of a page's work, and the rows nobody sees need none of it. As
 * it comes back it shows the quote as it is then.
 */
export const WatchlistRow = memo(function WatchlistRow({ ticker, tabStop }: WatchlistRowProps) {
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const rowRef = useRef<HTMLTableRowElement | null>(null);
  const onScreen = useOnScreen(rowRef);
  const followed = useDashboardStore((s) => (onScreen ? s.quotes.get(ticker) : OFF_SCREEN));
  const shown = useRef<Quote | undefined>(undefined);
  if (followed !== OFF_SCREEN) shown.current = followed;
  const quote = shown.current;
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
      ref={rowRef}
      className="watchlist-row"
      tabIndex={tabStop ? 0 : -1}
      data-ticker={ticker}
      aria-current={focused ? 'true' : undefined}
      data-stale={stale ? 'true' : undefined}
    >
      {/* The name sits beside the button, not in it: a button's visible text must be part of
          its accessible name (WCAG 2.5.3), and "Show AAPL Apple Inc." would read twice. The
          button still takes clicks on the whole cell (styles.css). */}
      <th scope="row" className="symbol-cell">
        <button
          type="button"
          className="symbol-button"
          aria-label={`Show ${ticker}`}
          onClick={() => {
            focus(ticker);
          }}
        >
          {ticker}
        </button>
        <span className="row-name">{symbol?.name ?? ''}</span>
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
        <Sparkline ticker={ticker} trend={trend} live={onScreen} />
      </td>
      <td className="actions">
        <div className="row-actions">
          <AlertButton ticker={ticker} className="row-alert-button" />
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
        </div>
      </td>
    </tr>
  );
});
