import { useDashboardStore } from '../dashboard-context';
import { connectionLabel, delayedLabel, formatMs, formatRate } from '../lib/format';

/**
 * Connection state (with a countdown while reconnecting; "Delayed since …" rather than "Live"
 * while the server's market data is delayed), feed health (RTT and tick age p50, ticks/s,
 * refreshed once a second) and the pause switch.
 */
export function StatusBar() {
  const state = useDashboardStore((s) => s.connection.state);
  const reason = useDashboardStore((s) => s.connection.reason);
  const retryAt = useDashboardStore((s) => s.connection.retryAt);
  const market = useDashboardStore((s) => s.market);
  // Re-rendered once a second, which is what moves the countdown.
  const secondAt = useDashboardStore((s) => s.secondAt);
  const metrics = useDashboardStore((s) => s.metrics);
  const paused = useDashboardStore((s) => s.paused);
  const setPaused = useDashboardStore((s) => s.setPaused);
  const retryInMs = retryAt === null ? null : retryAt - secondAt;
  const live = state === 'open';
  const delayed = live && market.delayed;

  return (
    <div className="status-bar">
      <div
        role="status"
        aria-label="Connection"
        className="status"
        data-state={delayed ? 'delayed' : state}
        title={delayed ? market.reason : reason}
      >
        <span className="status-dot" aria-hidden="true" />
        {delayed ? delayedLabel(market.since) : connectionLabel(state, retryInMs)}
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
