import { useDashboardStore } from '../dashboard-context';
import { connectionLabel, formatMs, formatRate } from '../lib/format';

/**
 * Connection state (with a countdown while reconnecting), feed health (RTT and tick age p50,
 * ticks/s, refreshed once a second) and the pause switch.
 */
export function StatusBar() {
  const state = useDashboardStore((s) => s.connection.state);
  const reason = useDashboardStore((s) => s.connection.reason);
  const retryAt = useDashboardStore((s) => s.connection.retryAt);
  // Re-rendered once a second, which is what moves the countdown.
  const secondAt = useDashboardStore((s) => s.secondAt);
  const metrics = useDashboardStore((s) => s.metrics);
  const paused = useDashboardStore((s) => s.paused);
  const setPaused = useDashboardStore((s) => s.setPaused);
  const retryInMs = retryAt === null ? null : retryAt - secondAt;
  const live = state === 'open';

  return (
    <div className="status-bar">
      <div
        role="status"
        aria-label="Connection"
        className="status"
        data-state={state}
        title={reason}
      >
        <span className="status-dot" aria-hidden="true" />
        {connectionLabel(state, retryInMs)}
      </div>
      <dl className="status-metrics" aria-label="Feed health">
        <div>
          <dt>RTT</dt>
          <dd data-testid="rtt">{live ? formatMs(metrics?.rttMs?.p50) : '—'}</dd>
        </div>
        <div>
          <dt>Tick age</dt>
          <dd data-testid="tick-age">{live ? formatMs(metrics?.tickAgeMs?.p50) : '—'}</dd>
        </div>
        <div>
          <dt>Ticks</dt>
          <dd data-testid="ticks-per-second">{live ? formatRate(metrics?.ticksPerSecond) : '—'}</dd>
        </div>
      </dl>
      <button
        type="button"
        className="pause-button"
        aria-pressed={paused}
        onClick={() => {
          setPaused(!paused);
        }}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
    </div>
  );
}
