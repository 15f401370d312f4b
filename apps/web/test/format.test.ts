import { describe, expect, it } from 'vitest';
import { feedUrl } from '../src/feed/feed-url';
import {
  connectionLabel,
  delayedLabel,
  formatChange,
  formatClockMinutes,
  formatClockTime,
  formatMs,
  formatPercent,
  formatPrice,
  formatRate,
  formatVolume,
} from '../src/lib/format';

const MINUS = '\u2212';

describe('formatPrice', () => {
  it('applies the symbol decimals to the scaled integer', () => {
    expect(formatPrice(6_512_345, 2)).toBe('65123.45');
    expect(formatPrice(1_234_567, 4)).toBe('123.4567');
    expect(formatPrice(5, 0)).toBe('5');
  });

  it('shows a dash before the first tick', () => {
    expect(formatPrice(null, 2)).toBe('—');
  });
});

describe('formatChange', () => {
  it('signs the change with a plus or a real minus sign', () => {
    expect(formatChange(1_250, 2)).toBe('+12.50');
    expect(formatChange(-310, 2)).toBe(`${MINUS}3.10`);
    expect(formatChange(-310, 2)).not.toContain('-');
    expect(formatChange(7, 4)).toBe('+0.0007');
  });

  it('shows no sign for no change and a dash before the first trade', () => {
    expect(formatChange(0, 2)).toBe('0.00');
    expect(formatChange(null, 2)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('shows two decimals with a sign', () => {
    expect(formatPercent(1.234)).toBe('+1.23%');
    expect(formatPercent(-0.5)).toBe(`${MINUS}0.50%`);
    expect(formatPercent(250)).toBe('+250.00%');
  });

  it('shows no sign when the value rounds to zero', () => {
    expect(formatPercent(0)).toBe('0.00%');
    expect(formatPercent(0.004)).toBe('0.00%');
    expect(formatPercent(0.0045)).toBe('0.00%');
    expect(formatPercent(-0.0045)).toBe('0.00%');
    expect(formatPercent(0.006)).toBe('+0.01%');
    expect(formatPercent(-0.006)).toBe(`${MINUS}0.01%`);
  });

  it('shows a dash without a value', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatVolume', () => {
  it('scales by the size decimals and abbreviates', () => {
    expect(formatVolume(999, 0)).toBe('999');
    expect(formatVolume(1_234, 0)).toBe('1.2K');
    expect(formatVolume(3_400_000, 0)).toBe('3.4M');
    expect(formatVolume(123_456, 2)).toBe('1.2K');
    expect(formatVolume(1_500, 3)).toBe('1.5');
    expect(formatVolume(0, 8)).toBe('0');
  });
});

describe('formatMs', () => {
  it('rounds to whole milliseconds, never below zero', () => {
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(12.6)).toBe('13 ms');
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(-3)).toBe('0 ms');
  });

  it('shows a dash without a measurement', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(undefined)).toBe('—');
  });
});

describe('formatRate', () => {
  it('abbreviates a per-second rate', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(850)).toBe('850/s');
    expect(formatRate(12_345)).toBe('12.3K/s');
    expect(formatRate(2_000_000)).toBe('2M/s');
  });

  it('shows a dash without a measurement', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(undefined)).toBe('—');
  });
});

describe('formatClockMinutes', () => {
  it('formats local time as zero-padded HH:MM', () => {
    expect(formatClockMinutes(new Date(2024, 0, 2, 3, 4, 59).getTime())).toBe('03:04');
    expect(formatClockMinutes(new Date(2024, 0, 2, 23, 59, 59, 999).getTime())).toBe('23:59');
    expect(formatClockMinutes(new Date(2024, 0, 2, 0, 0).getTime())).toBe('00:00');
  });
});

describe('formatClockTime', () => {
  it('formats local time as zero-padded HH:MM:SS', () => {
    expect(formatClockTime(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe('03:04:05');
    expect(formatClockTime(new Date(2024, 0, 2, 23, 59, 58, 999).getTime())).toBe('23:59:58');
  });
});

describe('delayedLabel', () => {
  it('says since when in local time, or only that it is delayed without any data', () => {
    expect(delayedLabel(new Date(2024, 0, 2, 14, 5, 12).getTime())).toBe('Delayed since 14:05:12');
    expect(delayedLabel(0)).toBe('Delayed');
  });
});

describe('connectionLabel', () => {
  it('maps every feed state to its label', () => {
    expect(connectionLabel('connecting')).toBe('Connecting…');
    expect(connectionLabel('open')).toBe('Live');
    expect(connectionLabel('reconnecting')).toBe('Reconnecting…');
    expect(connectionLabel('closed')).toBe('Offline');
  });

  it('counts down to the next attempt in whole seconds, rounding up', () => {
    expect(connectionLabel('reconnecting', 501)).toBe('Reconnecting in 1 s');
    expect(connectionLabel('reconnecting', 1_000)).toBe('Reconnecting in 1 s');
    expect(connectionLabel('reconnecting', 1_001)).toBe('Reconnecting in 2 s');
    expect(connectionLabel('reconnecting', 4_200)).toBe('Reconnecting in 5 s');
    expect(connectionLabel('reconnecting', 30_000)).toBe('Reconnecting in 30 s');
  });

  it('stops counting in the last half second or without a known attempt', () => {
    expect(connectionLabel('reconnecting', 500)).toBe('Reconnecting…');
    expect(connectionLabel('reconnecting', 0)).toBe('Reconnecting…');
    expect(connectionLabel('reconnecting', -200)).toBe('Reconnecting…');
    expect(connectionLabel('reconnecting', null)).toBe('Reconnecting…');
  });

  it('shows no countdown in other states', () => {
    expect(connectionLabel('open', 3_000)).toBe('Live');
    expect(connectionLabel('connecting', 3_000)).toBe('Connecting…');
    expect(connectionLabel('closed', 3_000)).toBe('Offline');
  });
});

describe('feedUrl', () => {
  it('uses ws on http and wss on https, on the page host', () => {
    expect(feedUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws');
    expect(feedUrl({ protocol: 'https:', host: 'ticker.example' })).toBe('wss://ticker.example/ws');
  });
});
