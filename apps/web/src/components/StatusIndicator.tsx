import { useDashboardStore } from '../dashboard-context';
import { connectionLabel } from '../lib/format';

/** Connection state as a coloured dot and a one-word label; the reason is in the tooltip. */
export function StatusIndicator() {
  const state = useDashboardStore((s) => s.connection.state);
  const reason = useDashboardStore((s) => s.connection.reason);
  return (
    <div role="status" aria-label="Connection" className="status" data-state={state} title={reason}>
      <span className="status-dot" aria-hidden="true" />
      {connectionLabel(state)}
    </div>
  );
}
