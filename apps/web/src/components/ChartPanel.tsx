import { useMemo } from 'react';
import { useDashboardStore, useFeedBridge } from '../dashboard-context';
import { toPricePoints } from '../feed/price-points';
import type { PricePoint } from '../feed/price-points';
import { formatPrice } from '../lib/format';
import { PriceChart } from './PriceChart';

const NO_POINTS: readonly PricePoint[] = [];

interface ChartPanelProps {
  readonly ticker: string;
}

/** One selected symbol: name, last price, tick count, remove button and price chart. */
export function ChartPanel({ ticker }: ChartPanelProps) {
  const bridge = useFeedBridge();
  // One selector per value, each returning a primitive or a stable object, so this panel
  // re-renders only when its own symbol commits a frame, not when any other symbol does.
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const version = useDashboardStore((s) => s.stats.get(ticker)?.version ?? 0);
  const lastPrice = useDashboardStore((s) => s.stats.get(ticker)?.lastPrice ?? null);
  const tickCount = useDashboardStore((s) => s.stats.get(ticker)?.tickCount ?? 0);
  const priceDecimals = symbol?.priceDecimals ?? 0;

  // The buffer is mutated outside React; `version` is the signal that it holds new points.
  const points = useMemo(() => {
    const buffer = bridge.series(ticker);
    return version === 0 || !buffer ? NO_POINTS : toPricePoints(buffer, priceDecimals);
  }, [bridge, ticker, version, priceDecimals]);

  return (
    <section className="chart-panel" aria-label={`${ticker} chart`}>
      <header className="chart-panel-header">
        <h2>
          <span className="chart-ticker">{ticker}</span>
          {symbol && <span className="chart-name">{symbol.name}</span>}
        </h2>
        <button
          type="button"
          className="remove-button"
          aria-label={`Remove ${ticker}`}
          onClick={() => {
            bridge.remove(ticker);
          }}
        >
          Remove
        </button>
      </header>
      <dl className="chart-stats">
        <div>
          <dt>Last</dt>
          <dd className="last-price" data-testid="last-price">
            {formatPrice(lastPrice, priceDecimals)}
          </dd>
        </div>
        <div>
          <dt>Ticks</dt>
          <dd data-testid="tick-count">{tickCount}</dd>
        </div>
      </dl>
      <PriceChart points={points} priceDecimals={priceDecimals} />
    </section>
  );
}
