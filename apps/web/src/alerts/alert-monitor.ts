import type { FeedBridge } from '../feed/feed-bridge';
import type { DashboardState, DashboardStore } from '../store/dashboard-store';
import { AlertWatch } from './alert-watch';
import type { AlertFiring, PriceAlert } from './price-alert';

/** What the monitor needs of the feed bridge: the series to read, and the trades to check. */
export type AlertFeed = Pick<FeedBridge, 'series' | 'watchTrades'>;

/** Told of every alert that fires, after the store marked it fired (a sound, a notification). */
export type AnnounceAlert = (alert: PriceAlert, firing: AlertFiring) => void;

interface Watched {
  readonly watch: AlertWatch;
  readonly stop: () => void;
}

/**
 * Keeps every armed alert checked against its symbol's trades, outside React: one
 * {@link AlertWatch} per symbol with armed alerts, fed by the bridge's trade stream. The store
 * keeps those symbols subscribed (see `watchedTickers`), in the quote view when they are not
 * charted, so an alert works for a symbol nobody looks at.
 */
export class AlertMonitor {
  private readonly watched = new Map<string, Watched>();
  private stopListening: (() => void) | null = null;
  private firings: Array<{ readonly alert: PriceAlert; readonly firing: AlertFiring }> = [];

  constructor(
    private readonly store: DashboardStore,
    private readonly feed: AlertFeed,
    private readonly announce: AnnounceAlert,
  ) {}

  start(): void {
    if (this.stopListening) return;
    this.stopListening = this.store.subscribe((state, previous) => {
      if (state.alerts !== previous.alerts) this.sync(state);
    });
    this.sync(this.store.getState());
  }

  stop(): void {
    this.stopListening?.();
    this.stopListening = null;
    for (const { stop } of this.watched.values()) stop();
    this.watched.clear();
  }

  private sync(state: DashboardState): void {
    const byTicker = new Map<string, PriceAlert[]>();
    for (const alert of state.alerts) {
      if (alert.fired !== null) continue;
      const list = byTicker.get(alert.ticker) ?? [];
      list.push(alert);
      byTicker.set(alert.ticker, list);
    }
    for (const [ticker, { stop }] of this.watched) {
      if (byTicker.has(ticker)) continue;
      stop();
      this.watched.delete(ticker);
    }
    for (const [ticker, alerts] of byTicker) {
      let watched = this.watched.get(ticker);
      if (!watched) {
        const watch = new AlertWatch(() => this.feed.series(ticker), this.fire);
        watched = { watch, stop: this.feed.watchTrades(ticker, watch) };
        this.watched.set(ticker, watched);
      }
      watched.watch.setAlerts(alerts);
    }
  }

  /**
   * A firing is recorded once the feed has delivered the batch that caused it: marking it in the
   * store can unsubscribe the symbol (its last armed alert, off the watchlist), which must not
   * happen while the client and the bridge are still handing that batch around.
   */
  private readonly fire = (alert: PriceAlert, firing: AlertFiring): void => {
    this.firings.push({ alert, firing });
    if (this.firings.length === 1) queueMicrotask(this.recordFirings);
  };

  private readonly recordFirings = (): void => {
    const firings = this.firings;
    this.firings = [];
    for (const { alert, firing } of firings) {
      if (this.store.getState().fireAlert(alert, firing)) this.announce(alert, firing);
    }
  };
}
