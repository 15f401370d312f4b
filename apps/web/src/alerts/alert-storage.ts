import type { DashboardStore } from '../store/dashboard-store';
import { NO_ALERTS } from './alerts-slice';
import type { InitialAlerts } from './alerts-slice';
import { MAX_ALERTS, isValidPercent, isValidPrice } from './price-alert';
import type { AlertCondition, AlertFiring, PriceAlert } from './price-alert';

/**
 * Alerts are saved apart from the view: they belong to this browser, not to a link someone
 * shares. Bump the suffix when the stored shape changes incompatibly.
 */
export const ALERTS_STORAGE_KEY = 'ticker.alerts.v1';

const TICKER = /^[A-Z0-9.-]{1,24}$/;
const ID = /^[a-z0-9-]{1,64}$/;

export interface RestoredAlerts {
  readonly alerts: InitialAlerts;
  /** Said to the user when saved alerts could not be read. */
  readonly problems: readonly string[];
}

/** The saved alerts; entries that are not well-formed alerts are dropped, and said so. */
export function restoreAlerts(storage: Pick<Storage, 'getItem'> | null): RestoredAlerts {
  let raw: string | null;
  try {
    raw = storage?.getItem(ALERTS_STORAGE_KEY) ?? null;
  } catch {
    return { alerts: NO_ALERTS, problems: [] };
  }
  if (raw === null) return { alerts: NO_ALERTS, problems: [] };
  let saved: unknown;
  try {
    saved = JSON.parse(raw);
  } catch {
    return {
      alerts: NO_ALERTS,
      problems: ['The saved alerts were unreadable and were dropped'],
    };
  }
  const record = isRecord(saved) ? saved : {};
  const entries = Array.isArray(record.alerts) ? (record.alerts as unknown[]) : [];
  const alerts = entries.map(readAlert).filter((alert): alert is PriceAlert => alert !== null);
  const unique = alerts.filter((alert, i) => alerts.findIndex((a) => a.id === alert.id) === i);
  const kept = unique.slice(0, MAX_ALERTS);
  const dropped = entries.length - kept.length;
  return {
    alerts: { alerts: kept, alertSound: record.sound === true },
    problems:
      dropped > 0
        ? [
            `${dropped} saved alert${dropped === 1 ? '' : 's'} could not be read and ${dropped === 1 ? 'was' : 'were'} dropped`,
          ]
        : [],
  };
}

/** Saves the alerts and the sound setting whenever they change; returns the function that stops. */
export function persistAlerts(
  store: DashboardStore,
  storage: Pick<Storage, 'setItem'> | null,
): () => void {
  return store.subscribe((state, previous) => {
    if (state.alerts === previous.alerts && state.alertSound === previous.alertSound) return;
    try {
      storage?.setItem(
        ALERTS_STORAGE_KEY,
        JSON.stringify({ alerts: state.alerts, sound: state.alertSound }),
      );
    } catch {
      // Full or disabled storage: the alerts live until the page is closed.
    }
  });
}

function readAlert(value: unknown): PriceAlert | null {
  if (!isRecord(value)) return null;
  const { id, ticker, direction, condition, createdAt, fired } = value;
  if (typeof id !== 'string' || !ID.test(id)) return null;
  if (typeof ticker !== 'string' || !TICKER.test(ticker)) return null;
  if (direction !== 'above' && direction !== 'below') return null;
  if (!isFiniteNumber(createdAt)) return null;
  const readCondition = readAlertCondition(condition);
  if (!readCondition) return null;
  const readFiring = fired === null ? null : readAlertFiring(fired);
  if (readFiring === undefined) return null;
  return { id, ticker, direction, condition: readCondition, createdAt, fired: readFiring };
}

function readAlertCondition(value: unknown): AlertCondition | null {
  if (!isRecord(value)) return null;
  if (value.kind === 'price' && isValidPrice(value.price))
    return { kind: 'price', price: value.price };
  if (value.kind === 'change' && isValidPercent(value.percent))
    return { kind: 'change', percent: value.percent };
  return null;
}

/** Undefined when malformed (null means "not fired"). */
function readAlertFiring(value: unknown): AlertFiring | undefined {
  if (!isRecord(value) || !isFiniteNumber(value.time) || !isFiniteNumber(value.price))
    return undefined;
  return { time: value.time, price: value.price };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
