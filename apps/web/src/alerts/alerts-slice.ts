import { MAX_ALERTS } from './price-alert';
import type { AlertDraft, AlertFiring, PriceAlert } from './price-alert';

/** A fired alert shown on the page until dismissed. */
export interface AlertNotice {
  readonly alert: PriceAlert;
  readonly firing: AlertFiring;
}

/** What the alert editor is open on: a new alert for a symbol, or an existing one. */
export interface AlertEditing {
  readonly ticker: string;
  /** Null for a new alert. */
  readonly alertId: string | null;
  /** A price to start from (a click on the chart), scaled; null starts from the last price. */
  readonly price: number | null;
}

/** The price alerts' part of the dashboard store. */
export interface AlertsSlice {
  /** Every alert, armed or fired, in the order they were set. */
  readonly alerts: readonly PriceAlert[];
  /** Fired alerts not yet dismissed, newest first. */
  readonly alertNotices: readonly AlertNotice[];
  /** Whether a firing also plays a short sound. */
  readonly alertSound: boolean;
  readonly alertEditing: AlertEditing | null;

  /** Sets a new, armed alert; false when MAX_ALERTS are already set. */
  addAlert: (draft: AlertDraft, now: number) => boolean;
  /** Replaces an alert's condition, which arms it again. */
  updateAlert: (id: string, draft: AlertDraft, now: number) => void;
  removeAlert: (id: string) => void;
  /**
   * Marks an armed alert fired, as it was when it fired, and shows its notice. An alert fires
   * once: false (and nothing changes) when it has fired, or was edited or removed since.
   */
  fireAlert: (alert: PriceAlert, firing: AlertFiring) => boolean;
  dismissNotice: (alertId: string) => void;
  setAlertSound: (on: boolean) => void;
  editAlert: (editing: AlertEditing | null) => void;
}

/** The alerts a store starts with: the saved ones. */
export interface InitialAlerts {
  readonly alerts: readonly PriceAlert[];
  readonly alertSound: boolean;
}

export const NO_ALERTS: InitialAlerts = { alerts: [], alertSound: false };

/** Notices kept at most; the oldest go first. */
const MAX_NOTICES = 5;

type Set = (partial: Partial<AlertsSlice>) => void;
type Get = () => AlertsSlice;

let lastId = 0;

/** Unique within the page and across reloads (saved alerts keep theirs). */
function newAlertId(now: number): string {
  lastId += 1;
  return `${now.toString(36)}-${lastId.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function createAlertsSlice(initial: InitialAlerts, set: Set, get: Get): AlertsSlice {
  const replace = (id: string, change: (alert: PriceAlert) => PriceAlert) => {
    set({ alerts: get().alerts.map((alert) => (alert.id === id ? change(alert) : alert)) });
  };
  return {
    alerts: initial.alerts.slice(0, MAX_ALERTS),
    alertNotices: [],
    alertSound: initial.alertSound,
    alertEditing: null,

    addAlert: (draft, now) => {
      const { alerts } = get();
      if (alerts.length >= MAX_ALERTS) return false;
      const alert: PriceAlert = { ...draft, id: newAlertId(now), createdAt: now, fired: null };
      set({ alerts: [...alerts, alert] });
      return true;
    },
    updateAlert: (id, draft, now) => {
      replace(id, (alert) => ({ ...alert, ...draft, createdAt: now, fired: null }));
      set({ alertNotices: get().alertNotices.filter((notice) => notice.alert.id !== id) });
    },
    removeAlert: (id) => {
      const { alerts, alertNotices } = get();
      set({
        alerts: alerts.filter((alert) => alert.id !== id),
        alertNotices: alertNotices.filter((notice) => notice.alert.id !== id),
      });
    },
    fireAlert: (alert, firing) => {
      // The very object that was armed: an edit replaces it, and re-arms with a new condition.
      if (!get().alerts.includes(alert) || alert.fired !== null) return false;
      const fired = { ...alert, fired: firing };
      replace(alert.id, () => fired);
      set({
        alertNotices: [{ alert: fired, firing }, ...get().alertNotices].slice(0, MAX_NOTICES),
      });
      return true;
    },
    dismissNotice: (alertId) => {
      set({ alertNotices: get().alertNotices.filter((notice) => notice.alert.id !== alertId) });
    },
    setAlertSound: (on) => {
      set({ alertSound: on });
    },
    editAlert: (editing) => {
      set({ alertEditing: editing });
    },
  };
}

/** The symbols with an armed alert: the page follows them even off the watchlist. */
export function alertedTickers(alerts: readonly PriceAlert[]): readonly string[] {
  const tickers: string[] = [];
  for (const alert of alerts) {
    if (alert.fired === null && !tickers.includes(alert.ticker)) tickers.push(alert.ticker);
  }
  return tickers;
}
