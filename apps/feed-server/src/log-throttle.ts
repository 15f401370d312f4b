import type { Logger } from './logger.js';

/** Events of one kind logged in full per window; the rest are counted into one summary line. */
const LOGGED_PER_WINDOW = 5;
const WINDOW_MS = 60_000;
/** Client-supplied text (an Origin, a Host, a token's error) is cut to this many characters. */
const CLIENT_TEXT_CHARS = 100;

type Level = 'debug' | 'info' | 'warn';

interface Tally {
  logged: number;
  suppressed: number;
  readonly level: Level;
  readonly message: string;
}

/**
 * Logging of what clients make happen (a refused connection, a rejected request, a paused slow
 * reader), which an attacker would otherwise drive at will: per kind of event, the first
 * LOGGED_PER_WINDOW of each minute are logged and the rest only counted, in one summary line at
 * the end of the minute. Kinds are the server's own reason labels, never client text, so the
 * tallies are bounded by the code. /metrics keeps the exact counts.
 */
export class LogThrottle {
  private readonly tallies = new Map<string, Tally>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly logger: Logger,
    windowMs = WINDOW_MS,
  ) {
    this.timer = setInterval(() => {
      this.endWindow();
    }, windowMs);
    this.timer.unref();
  }

  /** Logs `message` with `fields`, unless `kind` has had its share of this window. */
  log(level: Level, kind: string, message: string, fields: Record<string, unknown>): void {
    let tally = this.tallies.get(kind);
    if (!tally) {
      tally = { logged: 0, suppressed: 0, level, message };
      this.tallies.set(kind, tally);
    }
    if (tally.logged < LOGGED_PER_WINDOW) {
      tally.logged += 1;
      this.logger[level](message, fields);
    } else {
      tally.suppressed += 1;
    }
  }

  /** Writes the summary lines of the window that ended, and starts the next. */
  endWindow(): void {
    for (const [kind, { level, message, suppressed }] of this.tallies) {
      if (suppressed > 0) {
        this.logger[level](`${message} (more not logged)`, { kind, notLogged: suppressed });
      }
    }
    this.tallies.clear();
  }

  stop(): void {
    clearInterval(this.timer);
    this.endWindow();
  }
}

/** Client-supplied text as it may appear in a log line or a response body: short. */
export function clip(text: string): string {
  if (text.length <= CLIENT_TEXT_CHARS) return text;
  return `${text.slice(0, CLIENT_TEXT_CHARS)}… (${text.length} characters)`;
}
