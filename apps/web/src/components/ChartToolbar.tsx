import { CHART_RANGES, INTERVAL_LABELS } from '../chart/intervals';
import { useDashboardStore } from '../dashboard-context';
import {
  CHART_STYLES,
  CHART_WINDOWS,
  LAYOUTS,
  PRICE_SCALES,
  TIMEFRAMES,
} from '../store/view-options';
import { CompareMenu } from './CompareMenu';
import { IndicatorMenu } from './IndicatorMenu';
import { SegmentedControl } from './SegmentedControl';

const LAYOUT_LABELS = { single: 'Single', grid: 'Grid' } as const;
const STYLE_LABELS = { candles: 'Candles', line: 'Line', area: 'Area' } as const;
const SCALE_LABELS = { linear: 'Price', percent: '%', log: 'Log' } as const;

/**
 * The watchlist panel's toggle and the layout; then, for the focused chart, its interval, range,
 * style, price scale, time zone and indicators, or, for the grid, the tiles' window.
 */
export function ChartToolbar() {
  const layout = useDashboardStore((s) => s.layout);
  const panelOpen = useDashboardStore((s) => s.panelOpen);
  const setLayout = useDashboardStore((s) => s.setLayout);
  const setPanelOpen = useDashboardStore((s) => s.setPanelOpen);
  return (
    <div className="chart-toolbar">
      <button
        type="button"
        className="panel-toggle"
        aria-controls="watchlist-panel"
        aria-expanded={panelOpen}
        title={panelOpen ? 'Hide the watchlist' : 'Show the watchlist'}
        onClick={() => {
          setPanelOpen(!panelOpen);
        }}
      >
        <span aria-hidden="true">{panelOpen ? '⟨ ' : '⟩ '}</span>
        Watchlist
      </button>
      <SegmentedControl
        label="Layout"
        options={LAYOUTS}
        value={layout}
        onChange={setLayout}
        optionLabel={(option) => LAYOUT_LABELS[option]}
      />
      {layout === 'grid' ? <GridControls /> : <FocusedChartControls />}
    </div>
  );
}

function GridControls() {
  const window = useDashboardStore((s) => s.window);
  const setWindow = useDashboardStore((s) => s.setWindow);
  return (
    <SegmentedControl label="Window" options={CHART_WINDOWS} value={window} onChange={setWindow} />
  );
}

function FocusedChartControls() {
  const timeframe = useDashboardStore((s) => s.timeframe);
  const range = useDashboardStore((s) => s.range);
  const style = useDashboardStore((s) => s.chartStyle);
  const scale = useDashboardStore((s) => s.priceScale);
  const utc = useDashboardStore((s) => s.utc);
  const comparing = useDashboardStore((s) => s.compare.length > 0);
  const setTimeframe = useDashboardStore((s) => s.setTimeframe);
  const setRange = useDashboardStore((s) => s.setRange);
  const setStyle = useDashboardStore((s) => s.setChartStyle);
  const setScale = useDashboardStore((s) => s.setPriceScale);
  const setUtc = useDashboardStore((s) => s.setUtc);
  return (
    <>
      <SegmentedControl
        label="Timeframe"
        options={TIMEFRAMES}
        value={timeframe}
        onChange={setTimeframe}
        optionLabel={(option) => INTERVAL_LABELS[option]}
      />
      <SegmentedControl label="Range" options={CHART_RANGES} value={range} onChange={setRange} />
      <SegmentedControl
        label="Style"
        options={CHART_STYLES}
        value={style}
        onChange={setStyle}
        optionLabel={(option) => STYLE_LABELS[option]}
      />
      <SegmentedControl
        label="Scale"
        options={PRICE_SCALES}
        // Compared symbols share the chart's axis only as percent changes.
        value={comparing ? 'percent' : scale}
        disabled={comparing}
        onChange={setScale}
        optionLabel={(option) => SCALE_LABELS[option]}
      />
      <button
        type="button"
        aria-pressed={utc}
        title="Times in UTC instead of your time zone"
        onClick={() => {
          setUtc(!utc);
        }}
      >
        UTC
      </button>
      <IndicatorMenu />
      <CompareMenu />
    </>
  );
}
