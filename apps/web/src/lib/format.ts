import type { FeedState } from '@ticker/client';
import { formatScaled } from '@ticker/protocol';

/** Formats a scaled integer price with the symbol's decimals, or an em dash before any tick. */
export function formatPrice(scaled: number | null, priceDecimals: number): string {
  return scaled === null ? '—' : formatScaled(scaled, priceDecimals);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Formats epoch milliseconds as local HH:MM:SS (24-hour), for chart axes. */
export function formatClockTime(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

const CONNECTION_LABELS: Readonly<Record<FeedState, string>> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

/** The user-facing label of a connection state. */
export function connectionLabel(state: FeedState): string {
  return CONNECTION_LABELS[state];
}
