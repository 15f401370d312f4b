const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A daily trading session in UTC, Monday to Friday (e.g. 14:30-21:00 is the NYSE's regular
 * session in winter). `null` everywhere means always open, the default.
 */
export class TradingHours {
  private constructor(
    private readonly openMinute: number,
    private readonly closeMinute: number,
  ) {}

  /** Parses "HH:MM-HH:MM" (UTC, open before close); throws an Error naming the problem. */
  static parse(text: string): TradingHours {
    const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
    const minutes = match?.slice(1).map(Number) ?? [];
    const [oh, om, ch, cm] = minutes;
    if (oh === undefined || om === undefined || ch === undefined || cm === undefined) {
      throw new Error(`expected "always" or "HH:MM-HH:MM" in UTC, got "${text}"`);
    }
    const open = oh * 60 + om;
    const close = ch * 60 + cm;
    if (oh > 23 || ch > 24 || om > 59 || cm > 59 || close > 24 * 60 || open >= close) {
      throw new Error(`"${text}" is not a session: open must come before close within one UTC day`);
    }
    return new TradingHours(open, close);
  }

  /** "HH:MM-HH:MM", as parsed. */
  toString(): string {
    const clock = (minute: number) =>
      `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    return `${clock(this.openMinute)}-${clock(this.closeMinute)}`;
  }

  isOpen(time: number): boolean {
    const day = new Date(time).getUTCDay();
    if (day === 0 || day === 6) return false;
    const minute = (time % DAY) / MINUTE;
    return minute >= this.openMinute && minute < this.closeMinute;
  }

  /**
   * Milliseconds of session in [start, end), for a span within one UTC day (every candle of a
   * day or shorter is one).
   */
  openMsWithin(start: number, end: number): number {
    const day = start - (start % DAY);
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) return 0;
    const open = day + this.openMinute * MINUTE;
    const close = day + this.closeMinute * MINUTE;
    return Math.max(0, Math.min(end, close) - Math.max(start, open));
  }

  /** The next session open at or after `time` (the same instant if the market is open). */
  nextOpen(time: number): number {
    if (this.isOpen(time)) return time;
    let day = time - (time % DAY);
    for (let i = 0; i < 8; i++, day += DAY) {
      const open = day + this.openMinute * MINUTE;
      if (open >= time && this.isOpen(open)) return open;
    }
    throw new Error('unreachable: a weekday session opens within a week');
  }
}
