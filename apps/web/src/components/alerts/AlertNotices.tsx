import { describeFiring } from '../../alerts/alert-text';
import type { AlertNotice } from '../../alerts/alerts-slice';
import { useDashboardStore } from '../../dashboard-context';

/** Fired alerts, newest on top, each until dismissed; read out as they appear. */
export function AlertNotices() {
  const notices = useDashboardStore((s) => s.alertNotices);
  if (notices.length === 0) return null;
  return (
    <div className="alert-notices" aria-label="Fired alerts" role="region">
      {notices.map((notice) => (
        <Notice key={notice.alert.id} notice={notice} />
      ))}
    </div>
  );
}

function Notice({ notice }: { readonly notice: AlertNotice }) {
  const { alert, firing } = notice;
  const decimals = useDashboardStore(
    (s) => s.symbolsByTicker.get(alert.ticker)?.priceDecimals ?? 0,
  );
  const utc = useDashboardStore((s) => s.utc);
  const dismissNotice = useDashboardStore((s) => s.dismissNotice);
  return (
    <div className="alert-notice" role="alert">
      <p>
        <strong>Alert:</strong> {describeFiring(alert, firing, decimals, utc)}
      </p>
      <button
        type="button"
        aria-label={`Dismiss the ${alert.ticker} alert`}
        onClick={() => {
          dismissNotice(alert.id);
        }}
      >
        ×
      </button>
    </div>
  );
}
