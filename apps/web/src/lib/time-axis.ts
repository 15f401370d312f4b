import { scaleTime, scaleUtc } from 'd3-scale';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/**
 * Time ticks on round boundaries for the span shown (every 15 s, 5 min, hour, day, month…), in
 * local time or UTC, from d3-scale's time scales, which pick among the steps traders read.
 */
export function timeAxisTicks(from: number, to: number, count: number, utc: boolean): number[] {
  if (!(to > from)) return [];
  const scale = (utc ? scaleUtc() : scaleTime()).domain([from, to]);
  // Never finer than a second: the labels show whole seconds, and candles are a second at least.
  const seconds = Math.floor((to - from) / 1_000);
  return scale.ticks(Math.max(2, Math.min(count, seconds))).map((date) => date.getTime());
}

/** Formatters are slow to build and fast to use: one per kind, per zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(kind: keyof typeof FORMAT_OPTIONS, utc: boolean): Intl.DateTimeFormat {
  const key = `${kind}/${utc ? 'utc' : 'local'}`;
  let formatter = formats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, {
      ...FORMAT_OPTIONS[kind],
      ...(utc ? { timeZone: 'UTC' } : {}),
    });
    formats.set(key, formatter);
  }
  return formatter;
}

/** A candle's date and time, to the minute, as the crosshair labels it. */
const FULL_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

const FORMAT_OPTIONS = {
  seconds: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  minutes: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  day: { day: 'numeric', month: 'short' },
  month: { month: 'short' },
  year: { year: 'numeric' },
  full: FULL_TIME,
  fullSeconds: { ...FULL_TIME, second: '2-digit' },
  date: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

interface CalendarParts {
  readonly midnight: boolean;
  readonly monthStart: boolean;
  readonly yearStart: boolean;
}

function calendar(time: number, utc: boolean): CalendarParts {
  const date = new Date(time);
  const hours = utc ? date.getUTCHours() : date.getHours();
  const minutes = utc ? date.getUTCMinutes() : date.getMinutes();
  const seconds = utc ? date.getUTCSeconds() : date.getSeconds();
  const day = utc ? date.getUTCDate() : date.getDate();
  const month = utc ? date.getUTCMonth() : date.getMonth();
  const midnight = hours === 0 && minutes === 0 && seconds === 0;
  return {
    midnight,
    monthStart: midnight && day === 1,
    yearStart: midnight && day === 1 && month === 0,
  };
}

/**
 * Labels for ticks `step` ms apart: the finest unit that step needs, and the next coarser unit
 * where a tick crosses it (a day's first tick shows the date, a year's first the year), as
 * trading charts label their time axes.
 */
export function formatTimeTick(time: number, step: number, utc: boolean): string {
  const { midnight, monthStart, yearStart } = calendar(time, utc);
  if (yearStart) return format('year', utc).format(time);
  if (step >= 28 * DAY) return format(monthStart ? 'month' : 'day', utc).format(time);
  if (monthStart && step >= DAY) return format('month', utc).format(time);
  if (midnight) return format('day', utc).format(time);
  return format(step < MINUTE ? 'seconds' : 'minutes', utc).format(time);
}

/** The crosshair's time: as precise as one candle of `intervalMs`. */
export function formatCandleTime(time: number, intervalMs: number, utc: boolean): string {
  if (intervalMs >= DAY) return format('date', utc).format(time);
  return format(intervalMs < MINUTE ? 'fullSeconds' : 'full', utc).format(time);
}
