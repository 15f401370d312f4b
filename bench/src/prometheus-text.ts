// Reads the feed server's /metrics (Prometheus text format 0.0.4) into numbers: enough for the
// soak's samples and the API phases, not a general parser (no timestamps, no escaped quotes in
// label values).

/** Scrapes 127.0.0.1:`port`/metrics; prom-client's event-loop histogram restarts with every scrape. */
export async function scrapeMetrics(port: number): Promise<ReadonlyMap<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

/** Every sample line as `name` or `name{labels}` exactly as written, to its value. */
export function parsePrometheusText(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    const value = line.slice(space + 1);
    const number =
      value === '+Inf'
        ? Infinity
        : value === '-Inf'
          ? -Infinity
          : value === 'NaN'
            ? NaN
            : Number(value);
    if (value !== 'NaN' && Number.isNaN(number)) continue;
    values.set(line.slice(0, space).trim(), number);
  }
  return values;
}

/** A metric's value, or `fallback` when the server does not expose it (an older build). */
export function metricValue(
  metrics: ReadonlyMap<string, number>,
  key: string,
  fallback = NaN,
): number {
  return metrics.get(key) ?? fallback;
}

/**
 * The sum of every series of a family (`name` and each `name{…}`): a labelled counter's total.
 * 0 when it has none, as a labelled counter shows no series before its first count.
 */
export function metricTotal(metrics: ReadonlyMap<string, number>, name: string): number {
  let total = 0;
  for (const [key, value] of metrics) {
    if (key === name || key.startsWith(`${name}{`)) total += value;
  }
  return total;
}
