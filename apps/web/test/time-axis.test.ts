import { describe, expect, it } from 'vitest';
import { MIN_VISIBLE_CANDLES } from '../src/chart/viewport';
import { formatCandleTime, formatTimeTick, timeAxisTicks } from '../src/lib/time-axis';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Spans from the fewest 1 s candles to two years, and starts that are nowhere near round. */
const SPANS = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  4 * HOUR,
  12 * HOUR,
  DAY,
  3 * DAY,
  7 * DAY,
  30 * DAY,
  90 * DAY,
  182 * DAY,
  365 * DAY,
  730 * DAY,
];
const STARTS = [
  Date.UTC(2024, 2, 5, 13, 7, 23, 456),
  Date.UTC(2023, 11, 31, 22, 59, 59, 999), // just before a new year
  Date.UTC(2016, 0, 1), // the market's start: already round
];
const COUNTS = [3, 4, 6, 8, 12, 16];
/** The steps up to a day that trading axes use (and d3's time scales choose among). */
const ROUND_STEPS = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
];

/** Every start, span and count, but those asking for ticks under a second apart (see below). */
function* cases(): Generator<{ from: number; to: number; count: number }> {
  for (const from of STARTS) {
    for (const span of SPANS) {
      for (const count of COUNTS)
        if (span / count >= SECOND) yield { from, to: from + span, count };
    }
  }
}

function steps(ticks: readonly number[]): number[] {
  return ticks.slice(1).map((tick, i) => tick - (ticks[i] as number));
}

/** `options` in the runtime's default locale, as the module formats (UTC). */
function intl(time: number, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(time);
}

const TIME_SEPARATOR = /\d\D\d/;

describe('timeAxisTicks', () => {
  it('gives no ticks for an empty or reversed span', () => {
    expect(timeAxisTicks(1_000, 1_000, 8, true)).toEqual([]);
    expect(timeAxisTicks(2_000, 1_000, 8, false)).toEqual([]);
    expect(timeAxisTicks(0, Number.NaN, 8, true)).toEqual([]);
  });

  it('keeps every tick inside the span, strictly increasing, about `count` of them', () => {
    for (const utc of [true, false]) {
      for (const { from, to, count } of cases()) {
        const ticks = timeAxisTicks(from, to, count, utc);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(2 * count);
        expect(ticks[0]).toBeGreaterThanOrEqual(from);
        expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(to);
        expect(steps(ticks).every((step) => step > 0)).toBe(true);
      }
    }
  });

  it('puts UTC ticks up to a day apart on multiples of a round step', () => {
    let checked = 0;
    for (const { from, to, count } of cases()) {
      const ticks = timeAxisTicks(from, to, count, true);
      const step = (ticks[1] as number) - (ticks[0] as number);
      if (step > DAY) continue;
      checked += 1;
      expect(ROUND_STEPS).toContain(step);
      expect(steps(ticks).every((s) => s === step)).toBe(true);
      expect(ticks.every((tick) => tick % step === 0)).toBe(true);
    }
    expect(checked).toBeGreaterThan(STARTS.length * COUNTS.length * 7);
  });

  it('puts UTC ticks further apart on midnights: weeks on Sundays, months on the 1st', () => {
    let checked = 0;
    for (const { from, to, count } of cases()) {
      const ticks = timeAxisTicks(from, to, count, true);
      const step = (ticks[1] as number) - (ticks[0] as number);
      if (step <= DAY) continue;
      checked += 1;
      expect(ticks.every((tick) => tick % DAY === 0)).toBe(true);
      const dates = ticks.map((tick) => new Date(tick));
      if (step === 7 * DAY) expect(dates.every((date) => date.getUTCDay() === 0)).toBe(true);
      if (step >= 28 * DAY) expect(dates.every((date) => date.getUTCDate() === 1)).toBe(true);
      if (step >= 365 * DAY) expect(dates.every((date) => date.getUTCMonth() === 0)).toBe(true);
    }
    expect(checked).toBeGreaterThan(STARTS.length * COUNTS.length * 3);
  });

  it('asks for at least two ticks', () => {
    const from = STARTS[0] as number;
    const two = timeAxisTicks(from, from + HOUR, 2, true);
    expect(two.length).toBeGreaterThan(0);
    expect(timeAxisTicks(from, from + HOUR, 0, true)).toEqual(two);
    expect(timeAxisTicks(from, from + HOUR, -5, true)).toEqual(two);
  });

  it('gives more ticks, never fewer, as the axis asks for more', () => {
    for (const from of STARTS) {
      for (const span of SPANS) {
        const counts = COUNTS.map((count) => timeAxisTicks(from, from + span, count, true).length);
        expect(counts.every((n, i) => i === 0 || n >= (counts[i - 1] as number))).toBe(true);
      }
    }
  });

  it('never ticks finer than a second, so no two labels are the same', () => {
    // The focused chart zoomed in all the way on 1 s candles, on a 2,560 px wide screen
    // (TradingChart asks for a tick per 110 px).
    const from = STARTS[0] as number;
    const to = from + MIN_VISIBLE_CANDLES * SECOND;
    const ticks = timeAxisTicks(from, to, Math.floor(2_560 / 110), true);
    const step = (ticks[1] as number) - (ticks[0] as number);
    expect(step).toBeGreaterThanOrEqual(SECOND);
    expect(ticks.filter((tick) => tick % SECOND !== 0)).toEqual([]);
    const labels = ticks.map((tick) => formatTimeTick(tick, step, true));
    expect(labels).toEqual([...new Set(labels)]);
  });
});

describe('formatTimeTick (UTC)', () => {
  const at = (h: number, m: number, s: number) => Date.UTC(2024, 2, 5, h, m, s);

  it('shows seconds only when ticks are less than a minute apart', () => {
    const time = at(13, 7, 30);
    const seconds = formatTimeTick(time, 15 * SECOND, true);
    expect(seconds).toBe(
      intl(time, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    );
    expect(seconds).toMatch(/13\D07\D30/);
    const minutes = formatTimeTick(time, MINUTE, true);
    expect(minutes).toBe(intl(time, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
    expect(minutes).toMatch(/13\D07/);
    expect(minutes).not.toMatch(/30/);
    expect(formatTimeTick(at(13, 0, 0), 3 * HOUR, true)).toMatch(/^13\D00$/);
  });

  it('counts hours 0–23, with two digits', () => {
    expect(formatTimeTick(at(0, 30, 0), 15 * MINUTE, true)).toMatch(/^00\D30$/);
    expect(formatTimeTick(at(9, 5, 0), 5 * MINUTE, true)).toMatch(/^09\D05$/);
  });

  it('shows the date on a day’s first tick, whatever the step', () => {
    const midnight = Date.UTC(2024, 2, 6);
    const date = intl(midnight, { day: 'numeric', month: 'short' });
    expect(date).toMatch(/6/);
    expect(date).not.toMatch(TIME_SEPARATOR);
    for (const step of [SECOND, 30 * SECOND, MINUTE, HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY]) {
      expect(formatTimeTick(midnight, step, true)).toBe(date);
    }
    // A second after midnight is not the day's first tick.
    expect(formatTimeTick(midnight + SECOND, SECOND, true)).toMatch(/^00\D00\D01$/);
  });

  it('shows the month on a month’s first tick once ticks are days apart', () => {
    const first = Date.UTC(2024, 3, 1);
    const month = intl(first, { month: 'short' });
    expect(month).not.toMatch(/\d/);
    expect(formatTimeTick(first, DAY, true)).toBe(month);
    expect(formatTimeTick(first, 7 * DAY, true)).toBe(month);
    expect(formatTimeTick(first, 91 * DAY, true)).toBe(month);
    // Hours apart, the 1st is a day like any other: its date.
    expect(formatTimeTick(first, HOUR, true)).toBe(intl(first, { day: 'numeric', month: 'short' }));
  });

  it('shows the year on a year’s first tick, whatever the step', () => {
    const newYear = Date.UTC(2025, 0, 1);
    for (const step of [SECOND, HOUR, DAY, 30 * DAY, 365 * DAY]) {
      expect(formatTimeTick(newYear, step, true)).toBe('2025');
    }
    expect(formatTimeTick(newYear - SECOND, SECOND, true)).toMatch(/^23\D59\D59$/);
  });

  it('labels month-apart ticks off the 1st by their date', () => {
    const mid = Date.UTC(2024, 2, 10);
    expect(formatTimeTick(mid, 30 * DAY, true)).toBe(intl(mid, { day: 'numeric', month: 'short' }));
  });

  it('labels a day of hourly ticks with times and its midnight with the date', () => {
    const from = Date.UTC(2024, 2, 5, 13, 7, 23);
    const ticks = timeAxisTicks(from, from + DAY, 8, true);
    const step = (ticks[1] as number) - (ticks[0] as number);
    const labels = ticks.map((tick) => formatTimeTick(tick, step, true));
    const dated = labels.filter((label) => !TIME_SEPARATOR.test(label));
    expect(dated).toEqual([intl(Date.UTC(2024, 2, 6), { day: 'numeric', month: 'short' })]);
    expect(labels.indexOf(dated[0] as string)).toBe(ticks.indexOf(Date.UTC(2024, 2, 6)));
  });

  it('labels two years of quarterly ticks with months and each new year', () => {
    const from = Date.UTC(2024, 2, 5);
    const ticks = timeAxisTicks(from, from + 730 * DAY, 8, true);
    const step = (ticks[1] as number) - (ticks[0] as number);
    const labels = ticks.map((tick) => formatTimeTick(tick, step, true));
    expect(labels.filter((label) => /^\d{4}$/.test(label))).toEqual(['2025', '2026']);
    expect(labels.filter((label) => /\d/.test(label)).length).toBe(2);
  });
});

describe('formatTimeTick (local time)', () => {
  it('follows the same rules: seconds below a minute, none from a minute', () => {
    // 30 s past a minute is past the minute in every time zone (offsets are whole minutes).
    const time = Date.UTC(2024, 2, 5, 13, 7, 30);
    expect(formatTimeTick(time, 15 * SECOND, false)).toMatch(/^\d{2}\D\d{2}\D30$/);
    expect(formatTimeTick(time, MINUTE, false)).toMatch(/^\d{2}\D\d{2}$/);
  });
});

describe('formatCandleTime', () => {
  const time = Date.UTC(2024, 0, 1, 0, 30, 5);
  const date = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } as const;

  it('shows seconds for candles under a minute', () => {
    const label = formatCandleTime(time, SECOND, true);
    expect(label).toBe(
      intl(time, {
        ...date,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
    );
    expect(label).toMatch(/2024/);
    expect(label).toMatch(/00\D30\D05/);
  });

  it('shows minutes for candles from a minute to under a day', () => {
    for (const interval of [MINUTE, 5 * MINUTE, HOUR, 4 * HOUR]) {
      const label = formatCandleTime(time, interval, true);
      expect(label).toBe(
        intl(time, { ...date, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      );
      expect(label).toMatch(/00\D30/);
      expect(label).not.toMatch(/00\D30\D05/);
    }
  });

  it('shows only the date for daily candles', () => {
    const label = formatCandleTime(time, DAY, true);
    expect(label).toBe(intl(time, date));
    expect(label).toMatch(/2024/);
    expect(label).not.toMatch(/30/);
  });

  it('formats local time too, as precise as the candle', () => {
    expect(formatCandleTime(time, SECOND, false)).toMatch(/\d{2}\D\d{2}\D05/);
    expect(formatCandleTime(time, DAY, false)).not.toMatch(/\d{2}\D\d{2}\D/);
  });
});
