import type { FeedState } from '@ticker/client';
import { formatScaled } from '@ticker/protocol';

/** Formats a scaled integer price with the symbol's decimals, or an em dash before any tick. */
export function formatPrice(scaled: number | null, priceDecimals: number): string {
  return scaled === null ? '—' : formatScaled(scaled, priceDecimals);
}

/** A signed price change ("+12.50", "−3.10"; a real minus sign lines up in tabular figures). */
export function formatChange(scaled: number | null, priceDecimals: number): string {
  if (scaled === null) return '—';
  const text = formatScaled(Math.abs(scaled), priceDecimals);
  return scaled > 0 ? `+${text}` : scaled < 0 ? `−${text}` : text;
}

/** A signed percentage with two decimals. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '—';
  const digits = Math.abs(percent).toFixed(2);
  // The sign follows the rounded figure: a fixed cut-off let 0.0045 read "+0.00%".
  if (digits === '0.00') return `${digits}%`;
  return `${percent > 0 ? '+' : '−'}${digits}%`;
}

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A volume in display units, compact ("1.2K", "3.4M"). */
export function formatVolume(scaled: number, sizeDecimals: number): string {
  return COMPACT.format(scaled / 10 ** sizeDecimals);
}

/** A latency for the status bar: whole milliseconds, or "—" without a measurement. */
export function formatMs(ms: number | null | undefined): string {
  return ms == null ? '—' : `${Math.max(0, Math.round(ms))} ms`;
}

/** A rate for the status bar, compact. */
export function formatRate(perSecond: number | null | undefined): string {
  return perSecond == null ? '—' : `${COMPACT.format(perSecond)}/s`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Formats epoch milliseconds as local HH:MM:SS (24-hour), for chart axes. */
export function formatClockTime(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** Formats epoch milliseconds as local HH:MM, for minute bars. */
export function formatClockMinutes(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

/**
 * The user-facing label of a connection state; while reconnecting with a known next attempt it
 * counts down whole seconds.
 */
export function connectionLabel(state: FeedState, retryInMs: number | null = null): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Live';
    case 'reconnecting':
      return retryInMs !== null && retryInMs > 500
        ? `Reconnecting in ${Math.ceil(retryInMs / 1_000)} s`
        : 'Reconnecting…';
    case 'closed':
      return 'Offline';
  }
}

/**
 * The status of a connection whose server says its market data is delayed: since when, in local
 * time, or just "Delayed" when it had no data at all.
 */
export function delayedLabel(sinceEpochMs: number): string {
  return sinceEpochMs > 0 ? `Delayed since ${formatClockTime(sinceEpochMs)}` : 'Delayed';
}
