import { useSyncExternalStore } from 'react';
import type { HoverModel } from '../../chart/hover-model';
import { formatAxisPrice } from '../../lib/price-ticks';
import { formatCandleTime } from '../../lib/time-axis';
import { candleAt } from './chart-frame';
import type { ChartFrame } from './chart-frame';

interface ChartLegendProps {
  readonly hover: HoverModel;
  readonly frame: ChartFrame;
  readonly utc: boolean;
  readonly indicatorColors: readonly string[];
  readonly compareColors: readonly string[];
}

/**
 * The hovered candle's open, high, low, close, volume and change from the previous close, with
 * the indicators' values there; the live candle when the pointer is elsewhere.
 */
export function ChartLegend({
  hover,
  frame,
  utc,
  indicatorColors,
  compareColors,
}: ChartLegendProps) {
  const at = useSyncExternalStore(hover.subscribe, hover.current);
  const { candles } = frame;
  if (!candles || candles.size === 0) return null;
  const hovered = at === null ? -1 : candleAt(candles, at.time);
  const index = hovered >= 0 ? hovered : candles.size - 1;
  const unit = 10 ** frame.priceDecimals;
  const price = (scaled: number) => formatAxisPrice(scaled / unit, frame.priceDecimals);
  const open = candles.openAt(index);
  const close = candles.closeAt(index);
  const previous = index > 0 ? candles.closeAt(index - 1) : open;
  const change = close - previous;
  const trend = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  const volume = candles.volumeAt(index) / 10 ** frame.sizeDecimals;
  return (
    <div className="chart-legend" data-testid="chart-legend" data-live={hovered < 0}>
      <p className="legend-candle" data-trend={trend}>
        <span className="legend-time">
          {formatCandleTime(candles.startAt(index), candles.intervalMs, utc)}
        </span>
        <Figure name="O" value={price(open)} />
        <Figure name="H" value={price(candles.highAt(index))} />
        <Figure name="L" value={price(candles.lowAt(index))} />
        <Figure name="C" value={price(close)} />
        <Figure
          name="V"
          value={volume.toLocaleString(undefined, { maximumFractionDigits: frame.sizeDecimals })}
        />
        <span className="legend-change">
          {`${change >= 0 ? '+' : '−'}${price(Math.abs(change))} (${change >= 0 ? '+' : '−'}${
            previous === 0 ? '0.00' : Math.abs((change / previous) * 100).toFixed(2)
          }%)`}
        </span>
      </p>
      {frame.compares.length > 0 && (
        <p className="legend-compares">
          {frame.compares.map((line, k) => {
            const at = hovered >= 0 ? candles.startAt(hovered) : null;
            const own = at === null ? line.end - 1 : candleAt(line.candles, at);
            const value = own >= 0 ? line.toAxis(line.candles.closeAt(own)) : Number.NaN;
            return (
              <span
                key={line.ticker}
                style={{ color: compareColors[k % compareColors.length] }}
                data-compare={line.ticker}
              >
                {line.ticker}{' '}
                {Number.isNaN(value) ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}%`}
              </span>
            );
          })}
        </p>
      )}
      {frame.indicators.length > 0 && (
        <p className="legend-indicators">
          {frame.indicators.map((indicator, k) => (
            <span
              key={indicator.label}
              style={{ color: indicatorColors[k % indicatorColors.length] }}
              data-indicator={indicator.label}
            >
              {indicator.label}{' '}
              {Array.from({ length: indicator.lineCount }, (_, line) => {
                const value = index < indicator.size ? indicator.valueAt(line, index) : Number.NaN;
                if (Number.isNaN(value)) return '—';
                return indicator.pane === 'volume'
                  ? (value / 10 ** frame.sizeDecimals).toLocaleString(undefined, {
                      maximumFractionDigits: frame.sizeDecimals,
                    })
                  : price(value);
              }).join(' / ')}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

function Figure({ name, value }: { readonly name: string; readonly value: string }) {
  return (
    <span className="legend-figure">
      <span className="legend-name">{name}</span>
      <span data-testid={`legend-${name.toLowerCase()}`}>{value}</span>
    </span>
  );
}
