import { CloseCode } from '@ticker/protocol';
import { useDashboardStore } from '../dashboard-context';
import { formatClockTime } from '../lib/format';

/**
 * Explains a connection problem in words: the feed never answered, the server is restarting, the
 * connection was lost, or it is open but the server's market data is delayed. Hidden while live
 * or still connecting for the first time.
 */
export function ConnectionBanner() {
  const { state, closeCode, everOpen } = useDashboardStore((s) => s.connection);
  const market = useDashboardStore((s) => s.market);
  if (state === 'open') {
    if (!market.delayed) return null;
    const asOf = market.since > 0 ? ` from ${formatClockTime(market.since)}` : '';
    return (
      <div className="connection-banner" data-state="delayed">
        {`Market data delayed: ${market.reason || 'the server has no current data'}. The prices shown are${asOf} and marked stale until it is live again.`}
      </div>
    );
  }
  if (state === 'connecting') return null;
  let message: string;
  if (state === 'closed') message = 'Disconnected from the feed. Reload the page to reconnect.';
  else if (!everOpen) message = 'The feed is unreachable. Retrying…';
  else if (closeCode === CloseCode.GoingAway) message = 'The server is restarting. Reconnecting…';
  else message = 'Connection lost. Reconnecting; the charts will catch up.';
  return (
    <div className="connection-banner" data-state={state}>
      {message}
    </div>
  );
}
