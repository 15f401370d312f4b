import { memo, useState } from 'react';
import { HoverModel } from '../chart/hover-model';
import type { ReactNode } from 'react';
import { gridColumns } from '../lib/grid-columns';
import { useElementSize } from '../lib/use-element-size';
import { useDashboardStore } from '../dashboard-context';
import { formatChange, formatPercent, formatPrice } from '../lib/format';
import { chartedTickers, pricesAreStale } from '../store/dashboard-store';
import { change, changePercent } from '../store/symbol-selectors';
import type { ElementSize } from '../lib/use-element-size';
import { PriceChart } from './PriceChart';
import { TradingChart } from './trading-chart/TradingChart';
import { AlertButton } from './alerts/AlertButton';
import { TimeAndSales } from './tape/TimeAndSales';

/** The focused symbol in detail, or a grid of the watchlist's first twelve. */
export function ChartArea() {
  const layout = useDashboardStore((s) => s.layout);
  const focused = useDashboardStore((s) => s.focused);
  const watchlist = useDashboardStore((s) => s.watchlist);
  const charted = chartedTickers({ layout, focused, watchlist });
  if (charted.length === 0) {
    return <p className="empty-state">Add a symbol to see its chart.</p>;
  }
  if (layout === 'grid') return <ChartGrid tickers={charted} />;
  const ticker = charted[0] as string;
  return <ChartDetail key={ticker} ticker={ticker} />;
}

/**
 * The grid: a tile per symbol in balanced rows and columns (`gridColumns`), their crosshairs
 * moving together (one hover shared by all, by time); a tile opens its symbol's trading chart,
 * from its ticker (a button) or a click on it.
 */
function ChartGrid({ tickers }: { readonly tickers: readonly string[] }) {
  const [hover] = useState(() => new HoverModel());
  const focus = useDashboardStore((s) => s.focus);
  const setLayout = useDashboardStore((s) => s.setLayout);
  const open = (ticker: string) => {
    focus(ticker);
    setLayout('single');
  };
  const [ref, area] = useElementSize<HTMLDivElement>(UNMEASURED_GRID);
  const columns = gridColumns(tickers.length, area.width, area.height);
  return (
    <div
      ref={ref}
      className="chart-grid"
      data-columns={columns}
      style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
    >
      {tickers.map((ticker) => (
        <section key={ticker} className="chart-tile" aria-label={`${ticker} chart`}>
          <ChartHeader
            ticker={ticker}
            onOpen={() => {
              open(ticker);
            }}
          />
          <FillingChart
            onClick={() => {
              open(ticker);
            }}
          >
            {(size) => <PriceChart ticker={ticker} height={size.height} hover={hover} />}
          </FillingChart>
        </section>
      ))}
    </div>
  );
}

/** The focused symbol: its trading chart, and its time and sales beside it when open. */
function ChartDetail({ ticker }: { readonly ticker: string }) {
  const tapeOpen = useDashboardStore((s) => s.tapeOpen);
  return (
    <section className="chart-detail" aria-label={`${ticker} chart`}>
      <ChartHeader ticker={ticker} detail />
      <div className="chart-detail-body">
        <FillingChart>
          {(size) => <TradingChart ticker={ticker} width={size.width} height={size.height} />}
        </FillingChart>
        {tapeOpen && <TimeAndSales ticker={ticker} />}
      </div>
    </section>
  );
}

/** Opens and closes the focused chart's time and sales. */
function TapeToggle() {
  const tapeOpen = useDashboardStore((s) => s.tapeOpen);
  const setTapeOpen = useDashboardStore((s) => s.setTapeOpen);
  return (
    <button
      type="button"
      className="tape-toggle"
      aria-pressed={tapeOpen}
      onClick={() => {
        setTapeOpen(!tapeOpen);
      }}
    >
      Time &amp; sales
    </button>
  );
}

const ChartHeader = memo(function ChartHeader({
  ticker,
  detail = false,
  onOpen,
}: {
  readonly ticker: string;
  /** The focused chart's header, which also opens its time and sales. */
  readonly detail?: boolean;
  /** A grid tile's: its ticker is the button that opens the symbol's trading chart. */
  readonly onOpen?: () => void;
}) {
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const quote = useDashboardStore((s) => s.quotes.get(ticker));
  const stale = useDashboardStore(pricesAreStale);
  const decimals = symbol?.priceDecimals ?? 0;
  const delta = change(quote);
  const trend = delta === null || delta === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  return (
    <header className="chart-header" data-stale={stale ? 'true' : undefined}>
      <h2>
        {onOpen ? (
          <button
            type="button"
            className="chart-ticker tile-open"
            aria-label={`Open the ${ticker} chart`}
            onClick={onOpen}
          >
            {ticker}
          </button>
        ) : (
          <span className="chart-ticker">{ticker}</span>
        )}
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
        <AlertButton ticker={ticker} className="chart-alert-button" />
        {detail && <TapeToggle />}
      </p>
    </header>
  );
});

/** Below this a chart is unreadable: the box scrolls instead of shrinking further. */
const MIN_CHART_HEIGHT = 120;
const UNMEASURED = { width: 480, height: MIN_CHART_HEIGHT };
// Until the grid is measured: one column, the layout that fits any width.
const UNMEASURED_GRID = { width: 0, height: 0 };

/**
 * A box that takes the room its parent leaves, and draws its chart at exactly that size. A click
 * on it may act (a grid tile opens its chart): a pointer's shortcut to a button the header has.
 */
function FillingChart({
  children,
  onClick,
}: {
  readonly children: (size: ElementSize) => ReactNode;
  readonly onClick?: () => void;
}) {
  const [ref, { width, height }] = useElementSize<HTMLDivElement>(UNMEASURED);
  return (
    <div
      ref={ref}
      className="chart-fill"
      data-opens={onClick ? 'true' : undefined}
      onClick={onClick}
    >
      {children({ width, height: Math.max(MIN_CHART_HEIGHT, height) })}
    </div>
  );
}
