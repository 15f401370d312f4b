export interface BackoffOptions {
  /** Upper bound of the first retry's delay. Default 250 ms. */
  readonly minDelayMs?: number;
  /** Cap on any delay. Default 10 s. */
  readonly maxDelayMs?: number;
}

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(max, min * 2^attempt)].
 * It spreads a crowd of clients reconnecting after a server restart better than equal or
 * decorrelated jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const min = options.minDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
