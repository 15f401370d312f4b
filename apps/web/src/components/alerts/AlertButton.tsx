import { useDashboardStore } from '../../dashboard-context';

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
        <path
          d="M8 1.5a4 4 0 0 0-4 4v2.6L2.7 10.6a.6.6 0 0 0 .5.9h9.6a.6.6 0 0 0 .5-.9L12 8.1V5.5a4 4 0 0 0-4-4ZM6.3 12.7a1.8 1.8 0 0 0 3.4 0Z"
          fill="currentColor"
        />
      </svg>
    </button>
  );
}
