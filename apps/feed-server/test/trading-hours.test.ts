import { describe, expect, it } from 'vitest';
import { TradingHours } from '../src/domain/trading-hours.js';

const at = (iso: string) => Date.parse(iso);
const nyse = TradingHours.parse('14:30-21:00');

describe('TradingHours', () => {
  it('is open within the session on weekdays only', () => {
    expect(nyse.isOpen(at('2026-11-23T14:29:59Z'))).toBe(false); // Monday, a second early
    expect(nyse.isOpen(at('2026-11-23T14:30:00Z'))).toBe(true);
    expect(nyse.isOpen(at('2026-11-23T20:59:59Z'))).toBe(true);
    expect(nyse.isOpen(at('2026-11-23T21:00:00Z'))).toBe(false);
    expect(nyse.isOpen(at('2026-11-22T15:00:00Z'))).toBe(false); // Sunday
  });

  it('finds the next open, skipping the weekend', () => {
    expect(nyse.nextOpen(at('2026-11-23T10:00:00Z'))).toBe(at('2026-11-23T14:30:00Z'));
    expect(nyse.nextOpen(at('2026-11-23T15:00:00Z'))).toBe(at('2026-11-23T15:00:00Z'));
    expect(nyse.nextOpen(at('2026-11-27T22:00:00Z'))).toBe(at('2026-11-30T14:30:00Z')); // Fri night -> Mon
  });

  it('counts the session milliseconds within a span of a day', () => {
    const monday = at('2026-11-23T00:00:00Z');
    const hour = 3_600_000;
    expect(nyse.openMsWithin(monday, monday + 24 * hour)).toBe(6.5 * hour);
    expect(nyse.openMsWithin(at('2026-11-23T14:00:00Z'), at('2026-11-23T15:00:00Z'))).toBe(
      hour / 2,
    );
    expect(nyse.openMsWithin(at('2026-11-23T21:00:00Z'), at('2026-11-23T22:00:00Z'))).toBe(0);
    expect(nyse.openMsWithin(at('2026-11-22T14:00:00Z'), at('2026-11-22T18:00:00Z'))).toBe(0); // Sunday
  });

  it.each(['9:30-16:00', '16:00-09:30', '10:00-10:00', '25:00-26:00', 'open'])(
    'rejects "%s"',
    (text) => {
      expect(() => TradingHours.parse(text)).toThrow(/HH:MM-HH:MM|not a session/);
    },
  );
});
