import type { TradeSink } from '../feed/feed-bridge';
import type { SymbolSeries } from '../feed/symbol-series';
import { alertLevel, reaches } from './price-alert';
import type { AlertDirection, AlertFiring, PriceAlert } from './price-alert';

/** Called once per alert, with the trade that reached its level. */
export type FireAlert = (alert: PriceAlert, firing: AlertFiring) => void;

/**
 * Checks one symbol's armed alerts against every trade the feed brings for it.
 *
 * In the chart view that is every tick, so a crossing inside a batch is never missed. In the
 * quote view the feed sends the latest state a few times a second; a trade between two quotes
 * is seen through the session's high and low: when the high moved since the last look, the
 * market traded there in between (and when it fell, a new session began and traded there). A
 * crossing that reversed between two quotes without making a new session extreme is not
 * visible in that view (apps/web/README.md "Price alerts").
 *
 * Runs for every batch and quote: no allocation, and no store update unless an alert fires.
 */
export class AlertWatch implements TradeSink {
  private armed: PriceAlert[] = [];
  /** The session's high and low at the last look; null until first seen. */
  private seenHigh: number | null = null;
  private seenLow: number | null = null;

  constructor(
    private readonly series: () => SymbolSeries | undefined,
    private readonly fire: FireAlert,
  ) {
    this.lookAtExtremes();
  }

  /** The symbol's armed alerts from now on. */
  setAlerts(alerts: readonly PriceAlert[]): void {
    this.armed = alerts.filter((alert) => alert.fired === null);
  }

  addTrades(
    time: ArrayLike<number>,
    price: ArrayLike<number>,
    _size: ArrayLike<number>,
    count: number,
  ): void {
    if (this.armed.length === 0) return;
    const open = this.series()?.session.open ?? null;
    for (let i = 0; i < count && this.armed.length > 0; i++) {
      this.fireReached(price[i] as number, time[i] as number, open, null);
    }
    this.lookAtExtremes();
  }

  /** A snapshot replaced the symbol's data (a reconnect, say): what traded meanwhile counts. */
  restartLive(): void {
    this.lookAtExtremes();
    const series = this.series();
    const last = series?.session.last ?? null;
    const time = series?.latestTime() ?? null;
    if (last !== null && time !== null)
      this.fireReached(last, time, series?.session.open ?? null, null);
  }

  /** Fires the armed alerts (of one direction, or all) that a trade at `price` reaches. */
  private fireReached(
    price: number,
    time: number,
    open: number | null,
    only: AlertDirection | null,
  ): void {
    const { armed } = this;
    for (let a = armed.length - 1; a >= 0; a--) {
      const alert = armed[a] as PriceAlert;
      if (only !== null && alert.direction !== only) continue;
      const level = alertLevel(alert.condition, open);
      if (level === null || !reaches(alert.direction, price, level)) continue;
      // Out first: fire's listeners may set the alerts again, and it must not fire twice.
      armed.splice(a, 1);
      this.fire(alert, { time, price });
    }
  }

  /** A session extreme that moved since the last look was traded in between. */
  private lookAtExtremes(): void {
    const series = this.series();
    if (!series) return;
    const { high, low, open } = series.session;
    const time = series.latestTime();
    if (time !== null && this.armed.length > 0) {
      if (high !== null && this.seenHigh !== null && high !== this.seenHigh) {
        this.fireReached(high, time, open, 'above');
      }
      if (low !== null && this.seenLow !== null && low !== this.seenLow) {
        this.fireReached(low, time, open, 'below');
      }
    }
    this.seenHigh = high;
    this.seenLow = low;
  }
}
