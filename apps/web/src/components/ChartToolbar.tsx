import { useDashboardStore } from '../dashboard-context';
import { CHART_WINDOWS, LAYOUTS, TIMEFRAMES } from '../store/view-options';
import { SegmentedControl } from './SegmentedControl';

const LAYOUT_LABELS = { single: 'Single', grid: 'Grid' } as const;

/** Layout, candle timeframe and time window of the charts. */
export function ChartToolbar() {
  const layout = useDashboardStore((s) => s.layout);
  const timeframe = useDashboardStore((s) => s.timeframe);
  const window = useDashboardStore((s) => s.window);
  const setLayout = useDashboardStore((s) => s.setLayout);
  const setTimeframe = useDashboardStore((s) => s.setTimeframe);
  const setWindow = useDashboardStore((s) => s.setWindow);
  return (
    <div className="chart-toolbar">
      <SegmentedControl
        label="Layout"
        options={LAYOUTS}
        value={layout}
        onChange={setLayout}
        optionLabel={(option) => LAYOUT_LABELS[option]}
      />
      <SegmentedControl
        label="Timeframe"
        options={TIMEFRAMES}
        value={timeframe}
        onChange={setTimeframe}
        disabled={layout === 'grid'}
      />
      <SegmentedControl
        label="Window"
        options={CHART_WINDOWS}
        value={window}
        onChange={setWindow}
      />
    </div>
  );
}
