import { useVirtualizer } from '@tanstack/react-virtual';
import { formatScaled } from '@ticker/protocol';
import { useRef, useState } from 'react';
import { useDashboardStore, useFeedBridge } from '../../dashboard-context';
import { formatTradeTime } from '../../lib/trade-time';
import { TradeTape, isBuy } from '../../tape/trade-tape';
import type { TapeTrades } from '../../tape/trade-tape';

const ROW_HEIGHT = 20;
/** Without a threshold of the user's, a trade this many times the mean size is large. */
const AUTO_LARGE_FACTOR = 4;

/**
 * The focused symbol's time and sales: its last trades, newest on top, each with its time to the
 * millisecond, price, size and who initiated it (buyer green, seller red); trades at or above a
 * size threshold are highlighted. The trades are the symbol series' tape, filled from its chart
 * snapshot and every batch outside React; the list redraws with the chart (at most every
 * CHART_REFRESH_MS: each redraw moves every row, so it repaints the whole list), and only the
 * rows in sight are rendered (a virtual list), so a thousand trades a second cost the rows on
 * screen and no more. It stands still while the view is paused; trades keep being recorded.
 */
export function TimeAndSales({ ticker }: { readonly ticker: string }) {
  const bridge = useFeedBridge();
  // Redrawn when the bridge says the feed brought trades (throttled) or a snapshot came.
  useDashboardStore((s) => s.chartVersions.get(ticker) ?? 0);
  const paused = useDashboardStore((s) => s.paused);
  const tape = bridge.series(ticker)?.trades ?? EMPTY_TAPE;
  // A copy taken as the view pauses (state set while rendering, as React allows for values
  // derived from a change of props): the tape itself keeps filling meanwhile.
  const [frozen, setFrozen] = useState<TapeTrades | null>(null);
  if (paused && frozen === null) setFrozen(tape.freeze());
  if (!paused && frozen !== null) setFrozen(null);
  const trades = (paused ? frozen : null) ?? tape;
  return <TapeList ticker={ticker} trades={trades} />;
}

/** What a symbol without chart data yet shows: no trades. */
const EMPTY_TAPE = new TradeTape();

function TapeList({ ticker, trades }: { readonly ticker: string; readonly trades: TapeTrades }) {
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const utc = useDashboardStore((s) => s.utc);
  const [threshold, setThreshold] = useState('');
  const scroller = useRef<HTMLDivElement | null>(null);
  // The virtualizer's answers change without React knowing; it is read afresh on every render
  // and nothing here is memoised by a compiler, which is what the rule guards.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: trades.size,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const priceDecimals = symbol?.priceDecimals ?? 0;
  const sizeDecimals = symbol?.sizeDecimals ?? 0;
  const sizeUnit = 10 ** sizeDecimals;
  const chosen = Number(threshold);
  const typed = threshold.trim() !== '' && chosen > 0;
  // The mean is a pass over the tape: only when no size of the user's stands in for it.
  const auto = typed ? 0 : (trades.meanSize() * AUTO_LARGE_FACTOR) / sizeUnit;
  // Sizes are whole units of 10^-sizeDecimals: a typed 0.0381 is 381, not 381.00000000000006.
  const largeFrom = typed ? Math.round(chosen * sizeUnit) : auto * sizeUnit;
  const placeholder =
    auto > 0 ? `auto ${formatScaled(Math.round(auto * sizeUnit), sizeDecimals)}` : 'auto';

  return (
    <section className="time-and-sales" aria-label={`${ticker} time and sales`}>
      <header className="tape-header">
        <h3>Time &amp; sales</h3>
        <label>
          Large ≥{' '}
          <input
            inputMode="decimal"
            size={7}
            value={threshold}
            placeholder={placeholder}
            aria-label="Highlight trades of at least this size"
            onChange={(event) => {
              setThreshold(event.target.value);
            }}
          />
        </label>
      </header>
      <div
        ref={scroller}
        className="tape-scroll"
        // Scrollable by keyboard too: arrows and Page keys once it has the focus.
        tabIndex={0}
        role="table"
        aria-label={`${ticker} trades, newest first`}
        aria-rowcount={trades.size + 1}
      >
        <div role="rowgroup" className="tape-columns">
          <div role="row" aria-rowindex={1}>
            <span role="columnheader">Time</span>
            <span role="columnheader">Price</span>
            <span role="columnheader">Size</span>
            <span role="columnheader" className="visually-hidden-label">
              Side
            </span>
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const size = trades.sizeAt(row.index);
            const buy = isBuy(trades.sideAt(row.index));
            return (
              <div
                key={row.key}
                role="row"
                aria-rowindex={row.index + 2}
                className="tape-row"
                data-side={buy ? 'buy' : 'sell'}
                data-large={size >= largeFrom && largeFrom > 0 ? 'true' : undefined}
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              >
                <span role="cell">{formatTradeTime(trades.timeAt(row.index), utc)}</span>
                <span role="cell">{formatScaled(trades.priceAt(row.index), priceDecimals)}</span>
                <span role="cell">{formatScaled(size, sizeDecimals)}</span>
                <span className="visually-hidden-label" role="cell">
                  {buy ? 'buy' : 'sell'}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
