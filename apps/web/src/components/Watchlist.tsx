import { useState } from 'react';
import type { FocusEvent, KeyboardEvent } from 'react';
import { useDashboardStore, useDashboardStoreApi } from '../dashboard-context';
import { rowAfter } from '../keyboard/row-navigation';
import { matchShortcut } from '../keyboard/shortcuts';
import { VisibilityContext, useVisibilityWatcher } from '../lib/use-on-screen';
import { sortWatchlist } from '../store/symbol-selectors';
import type { SortKey } from '../store/view-options';
import { WatchlistRow } from './WatchlistRow';

const COLUMNS: ReadonlyArray<{ key: SortKey | null; label: string; className?: string }> = [
  { key: 'ticker', label: 'Symbol' },
  { key: 'last', label: 'Last', className: 'num' },
  { key: 'change', label: 'Change', className: 'num secondary' },
  { key: 'changePercent', label: 'Change %', className: 'num' },
  { key: 'high', label: 'High', className: 'num optional' },
  { key: 'low', label: 'Low', className: 'num optional' },
  { key: 'volume', label: 'Volume', className: 'num secondary' },
  { key: null, label: 'Trend', className: 'trend' },
  { key: null, label: 'Actions', className: 'actions' },
];

/** Rows this close to the visible part count as visible: a scroll finds them up to date. */
const ROW_MARGIN = '120px 0px';

/**
 * The watchlist table. Rows render themselves from their own quote; the order is recomputed
 * once a second when sorted by a live column, so rows do not jump on every tick. Rows scrolled
 * out of sight stop following their quotes (WatchlistRow), and catch up as they come back.
 *
 * By keyboard the rows are one stop of the Tab order (a roving tabindex: the row last focused,
 * or the charted one, is the row Tab reaches); ↑ ↓ Home End move between them, from a row or a
 * button in it, and Enter on a row charts it. The buttons in each row stay in the Tab order.
 */
export function Watchlist() {
  const watchlist = useDashboardStore((s) => s.watchlist);
  const sort = useDashboardStore((s) => s.sort);
  const sortBy = useDashboardStore((s) => s.sortBy);
  const symbolsByTicker = useDashboardStore((s) => s.symbolsByTicker);
  const focused = useDashboardStore((s) => s.focused);
  const focus = useDashboardStore((s) => s.focus);
  const [lastFocusedRow, setLastFocusedRow] = useState<string | null>(null);
  const store = useDashboardStoreApi();
  const loading = useDashboardStore((s) => s.directory.length === 0);
  const [watchRows, rowWatcher] = useVisibilityWatcher(ROW_MARGIN);

  // Sorted on every render, and this renders only when the list, the sort or the second
  // changes: quotes are read at that moment rather than followed, so rows do not jump per tick.
  useDashboardStore((s) => s.second);
  const order = sortWatchlist(watchlist, store.getState().quotes, sort, (t) =>
    symbolsByTicker.get(t),
  );

  const tabStop =
    lastFocusedRow !== null && order.includes(lastFocusedRow)
      ? lastFocusedRow
      : focused !== null && order.includes(focused)
        ? focused
        : order[0];

  const onRowFocus = (event: FocusEvent<HTMLTableSectionElement>) => {
    const ticker = rowOf(event.target)?.dataset.ticker;
    if (ticker !== undefined) setLastFocusedRow(ticker);
  };
  const onRowKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const row = rowOf(event.target);
    const match = matchShortcut(event.nativeEvent, 'watchlist');
    if (row === null || match === null) return;
    if (match.action === 'chart-row') {
      // On a button in the row, Enter is the button's.
      if (event.target !== row || row.dataset.ticker === undefined) return;
      focus(row.dataset.ticker);
    } else {
      const rows = event.currentTarget.rows;
      const next = rowAfter(match.action, row.sectionRowIndex, rows.length);
      if (next === null) return;
      rows[next]?.focus();
    }
    event.preventDefault();
  };

  if (watchlist.length === 0) {
    return <p className="empty-state">Your watchlist is empty. Search for a symbol to add it.</p>;
  }
  return (
    <div className="watchlist-scroll" ref={watchRows}>
      <table className="watchlist" aria-label="Watchlist" aria-busy={loading}>
        <thead>
          <tr>
            {COLUMNS.map(({ key, label, className }) => {
              const sorted = key !== null && sort?.key === key;
              return (
                <th
                  key={label}
                  scope="col"
                  className={className}
                  aria-sort={
                    sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                >
                  {key === null ? (
                    <span className="visually-hidden-label">{label}</span>
                  ) : (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => {
                        sortBy(key);
                      }}
                    >
                      {label}
                      <span aria-hidden="true">
                        {sorted ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody onFocus={onRowFocus} onKeyDown={onRowKeyDown}>
          <VisibilityContext value={rowWatcher}>
            {order.map((ticker) => (
              <WatchlistRow key={ticker} ticker={ticker} tabStop={ticker === tabStop} />
            ))}
          </VisibilityContext>
        </tbody>
      </table>
    </div>
  );
}

function rowOf(target: EventTarget): HTMLTableRowElement | null {
  return target instanceof Element ? target.closest<HTMLTableRowElement>('tr[data-ticker]') : null;
}
