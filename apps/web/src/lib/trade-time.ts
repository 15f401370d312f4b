function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A trade's time to the millisecond, "14:03:07.123", in UTC or the reader's zone. */
export function formatTradeTime(epochMs: number, utc: boolean): string {
  const date = new Date(epochMs);
  const hours = utc ? date.getUTCHours() : date.getHours();
  const minutes = utc ? date.getUTCMinutes() : date.getMinutes();
  const seconds = utc ? date.getUTCSeconds() : date.getSeconds();
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(date.getUTCMilliseconds(), 3)}`;
}
