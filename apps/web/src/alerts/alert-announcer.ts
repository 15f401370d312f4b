import type { DashboardStore } from '../store/dashboard-store';
import type { AnnounceAlert } from './alert-monitor';
import { showNotification } from './alert-notifications';
import type { AlertSound } from './alert-sound';
import { describeFiring } from './alert-text';

/**
 * Beyond the notice on the page (the store's), a fired alert is announced by a desktop
 * notification when the user allowed them, and by a chime when the sound is on.
 */
export function createAlertAnnouncer(store: DashboardStore, sound: AlertSound): AnnounceAlert {
  return (alert, firing) => {
    const state = store.getState();
    const decimals = state.symbolsByTicker.get(alert.ticker)?.priceDecimals ?? 0;
    showNotification(
      `${alert.ticker} alert`,
      describeFiring(alert, firing, decimals, state.utc),
      alert.id,
    );
    if (state.alertSound) sound.play();
  };
}
