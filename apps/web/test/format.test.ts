import { describe, expect, it } from 'vitest';
import { toPricePoints } from '../src/feed/price-points';
import { RingBuffer } from '../src/feed/ring-buffer';
import { feedUrl } from '../src/feed/feed-url';
import { connectionLabel, formatClockTime, formatPrice } from '../src/lib/format';

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

describe('formatClockTime', () => {
  it('formats local time as zero-padded HH:MM:SS', () => {
    expect(formatClockTime(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe('03:04:05');
    expect(formatClockTime(new Date(2024, 0, 2, 23, 59, 58, 999).getTime())).toBe('23:59:58');
  });
});

describe('connectionLabel', () => {
  it('maps every feed state to its label', () => {
    expect(connectionLabel('connecting')).toBe('Connecting…');
    expect(connectionLabel('open')).toBe('Live');
    expect(connectionLabel('reconnecting')).toBe('Reconnecting…');
    expect(connectionLabel('closed')).toBe('Offline');
  });
});

describe('feedUrl', () => {
  it('uses ws on http and wss on https, on the page host', () => {
    expect(feedUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws');
    expect(feedUrl({ protocol: 'https:', host: 'ticker.example' })).toBe('wss://ticker.example/ws');
  });
});

describe('toPricePoints', () => {
  it('converts scaled prices to numbers, oldest first', () => {
    const buffer = new RingBuffer(2);
    buffer.push(1000, 12_345);
    buffer.push(2000, 12_350);
    buffer.push(3000, 12_400);
    expect(toPricePoints(buffer, 2)).toEqual([
      { time: 2000, price: 123.5 },
      { time: 3000, price: 124 },
    ]);
  });
});
