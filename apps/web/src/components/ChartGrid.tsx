import { useDashboardStore } from '../dashboard-context';
import { ChartPanel } from './ChartPanel';

/** A panel per selected ticker, in the order they were added, or an empty-state hint. */
export function ChartGrid() {
  // The array only changes on add/remove, so ticks never re-render the grid itself.
  const selected = useDashboardStore((s) => s.selected);
  if (selected.length === 0) {
    return <p className="empty-state">No symbols selected. Pick one above.</p>;
  }
  return (
    <div className="chart-grid">
      {selected.map((ticker) => (
        <ChartPanel key={ticker} ticker={ticker} />
      ))}
    </div>
  );
}
