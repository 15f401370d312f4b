import { useDashboardStore } from '../dashboard-context';

/**
 * Explains a connection problem in words: the feed never answered, the server is restarting, or
 * the connection was lost. Hidden while live or still connecting for the first time.
 */
export function ConnectionBanner() {
  const { state, closeCode, everOpen } = useDashboardStore((s) => s.connection);
  if (state === 'open' || state === 'connecting') return null;
  let message: string;
  if (state === 'closed') message = 'Disconnected from the feed. Reload the page to reconnect.';
  else if (!everOpen) message = 'The feed is unreachable. Retrying…';
  else if (closeCode === 1001) message = 'The server is restarting. Reconnecting…';
  else message = 'Connection lost. Reconnecting; the charts will catch up.';
  return (
    <div className="connection-banner" data-state={state}>
      {message}
    </div>
  );
}
