/**
 * A price alert on one symbol: it fires once, the first time a trade reaches its level after it
 * was armed. The level is a price, or a change in percent since the session's open (which names
 * a price once the open is known: open × (1 + percent / 100)).
 */
export interface PriceAlert {
  readonly id: string;
  readonly ticker: string;
  /** `above`: fires on a trade at or above the level; `below`: at or below it. */
  readonly direction: AlertDirection;
  readonly condition: AlertCondition;
  /** Epoch ms when it was set (or last edited, which arms it again). */
  readonly createdAt: number;
  /** Null while armed; once fired, the trade that fired it. */
  readonly fired: AlertFiring | null;
}

export type AlertDirection = 'above' | 'below';

export type AlertCondition =
  /** A price, as a scaled integer (units of 10^-priceDecimals of the symbol). */
  | { readonly kind: 'price'; readonly price: number }
  /** A change since the session open, in percent (2.5 is +2.5 %; negative for falls). */
  | { readonly kind: 'change'; readonly percent: number };

/** The trade that crossed an alert's level. */
export interface AlertFiring {
  /** Epoch ms of the trade (server clock). */
  readonly time: number;
  /** The trade's price, scaled. */
  readonly price: number;
}

/** What a user fills in to set or edit an alert. */
export type AlertDraft = Pick<PriceAlert, 'ticker' | 'direction' | 'condition'>;

/** At most this many alerts are kept: each is checked against every trade of its symbol. */
export const MAX_ALERTS = 50;

/**
 * The scaled price at which the alert fires, or null when it cannot be known yet (a change
 * alert before the session's first trade gave its open).
 */
export function alertLevel(condition: AlertCondition, open: number | null): number | null {
  if (condition.kind === 'price') return condition.price;
  if (open === null) return null;
  return open * (1 + condition.percent / 100);
}

/** Whether a trade at `price` reaches the alert's level. */
export function reaches(direction: AlertDirection, price: number, level: number): boolean {
  return direction === 'above' ? price >= level : price <= level;
}

/** A scaled price: a positive safe integer. */
export function isValidPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A change since the open that a price can reach: above −100 %, not zero, at most +1000 %. */
export function isValidPercent(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > -100 &&
    value !== 0 &&
    value <= 1_000
  );
}

/** An armed alert's level on a chart. */
export interface AlertLine {
  readonly id: string;
  readonly direction: AlertDirection;
  /** Scaled price. */
  readonly level: number;
}

/** The levels of a symbol's armed alerts that can be drawn (a change alert needs the open). */
export function armedLines(
  alerts: readonly PriceAlert[],
  ticker: string,
  open: number | null,
): AlertLine[] {
  const lines: AlertLine[] = [];
  for (const alert of alerts) {
    if (alert.ticker !== ticker || alert.fired !== null) continue;
    const level = alertLevel(alert.condition, open);
    if (level !== null) lines.push({ id: alert.id, direction: alert.direction, level });
  }
  return lines;
}
