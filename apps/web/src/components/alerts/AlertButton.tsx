import { useDashboardStore } from '../../dashboard-context';
import { BELL_PATH } from './bell-path';

/** A bell that opens the alert editor on a symbol, starting from its last price. */
export function AlertButton({
  ticker,
  className,
}: {
  readonly ticker: string;
  readonly className: string;
}) {
  const editAlert = useDashboardStore((s) => s.editAlert);
  const armed = useDashboardStore((s) =>
    s.alerts.some((alert) => alert.ticker === ticker && alert.fired === null),
  );
  return (
    <button
      type="button"
      className={className}
      aria-label={`Set an alert on ${ticker}`}
      data-armed={armed ? 'true' : undefined}
      title={armed ? `${ticker} has an armed alert` : `Set an alert on ${ticker}`}
      onClick={() => {
        editAlert({ ticker, alertId: null, price: null });
      }}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        <path d={BELL_PATH} fill="currentColor" />
      </svg>
    </button>
  );
}
