import { useState } from 'react';
import { askForNotifications, notificationAccess } from '../../alerts/alert-notifications';
import type { NotificationAccess } from '../../alerts/alert-notifications';
import { describeCondition } from '../../alerts/alert-text';
import type { PriceAlert } from '../../alerts/price-alert';
import { useAlertSound, useDashboardStore } from '../../dashboard-context';
import { formatPrice } from '../../lib/format';
import { formatTradeTime } from '../../lib/trade-time';

/**
 * Every price alert, armed or fired, with Edit (which arms it again) and Remove; and how a
 * firing is announced beyond the notice on the page: a sound, desktop notifications.
 */
export function AlertsPanel() {
  const alerts = useDashboardStore((s) => s.alerts);
  return (
    <section className="alerts-panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">
        Price alerts <span className="alerts-count">{alerts.length}</span>
      </h2>
      {alerts.length === 0 ? (
        <p className="alerts-empty">
          No alerts. Set one with the bell on a watchlist row or on the chart.
        </p>
      ) : (
        <ul className="alerts-list" aria-label="Price alerts">
          {alerts.map((alert) => (
            <AlertItem key={alert.id} alert={alert} />
          ))}
        </ul>
      )}
      <AnnouncementSettings />
    </section>
  );
}

function AlertItem({ alert }: { readonly alert: PriceAlert }) {
  const decimals = useDashboardStore(
    (s) => s.symbolsByTicker.get(alert.ticker)?.priceDecimals ?? 0,
  );
  const utc = useDashboardStore((s) => s.utc);
  const editAlert = useDashboardStore((s) => s.editAlert);
  const removeAlert = useDashboardStore((s) => s.removeAlert);
  const condition = describeCondition(alert.direction, alert.condition, decimals);
  const name = `${alert.ticker} ${condition}`;
  return (
    <li className="alert-item" data-fired={alert.fired ? 'true' : 'false'}>
      <span className="alert-ticker">{alert.ticker}</span>
      <span className="alert-condition">{condition}</span>
      <span className="alert-status">
        {alert.fired
          ? `Fired at ${formatPrice(Math.round(alert.fired.price), decimals)}, ${formatTradeTime(alert.fired.time, utc)}`
          : 'Armed'}
      </span>
      <span className="alert-actions">
        <button
          type="button"
          aria-label={`Edit alert ${name}`}
          onClick={() => {
            editAlert({ ticker: alert.ticker, alertId: alert.id, price: null });
          }}
        >
          Edit
        </button>
        <button
          type="button"
          aria-label={`Remove alert ${name}`}
          onClick={() => {
            removeAlert(alert.id);
          }}
        >
          ×
        </button>
      </span>
    </li>
  );
}

function AnnouncementSettings() {
  const sound = useAlertSound();
  const on = useDashboardStore((s) => s.alertSound);
  const setAlertSound = useDashboardStore((s) => s.setAlertSound);
  const [access, setAccess] = useState<NotificationAccess>(notificationAccess);
  return (
    <div className="alerts-settings">
      <label>
        <input
          type="checkbox"
          checked={on}
          onChange={(event) => {
            // The click is the gesture that lets the page play audio.
            if (event.target.checked) sound.unlock();
            setAlertSound(event.target.checked);
          }}
        />
        Sound
      </label>
      {access === 'default' && (
        <button
          type="button"
          onClick={() => {
            void askForNotifications().then(setAccess);
          }}
        >
          Allow desktop notifications
        </button>
      )}
      {access === 'granted' && <span className="alerts-note">Desktop notifications on</span>}
      {access === 'denied' && (
        <span className="alerts-note">Desktop notifications are blocked in this browser</span>
      )}
    </div>
  );
}
