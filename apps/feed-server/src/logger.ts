import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What the server logs through; `fields` become JSON properties beside the message. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON object per line on stderr (pino), so log shippers parse it as is; stdout is kept for
 * the single "live at" line that people and scripts wait for.
 */
export function createLogger(level: LogLevel): Logger {
  const log = pino({ level, base: { service: 'ticker-feed-server' } }, pino.destination(2));
  const at =
    (write: typeof log.info) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields) write.call(log, fields, message);
      else write.call(log, message);
    };
  return { debug: at(log.debug), info: at(log.info), warn: at(log.warn), error: at(log.error) };
}
