// The server is started exactly as the e2e suite starts it (built main.js, as `npm start` runs it).
export { startFeedServer } from '../../../e2e/server.js';

/** The counters of the server's /metrics that the report uses. */
export interface ServerCounters {
  /** performance.now() in this process when scraped. */
  readonly at: number;
  readonly ticksGenerated: number;
  readonly bytesPublished: number;
  readonly slowConsumerPauses: number;
  readonly connections: number;
}

const COUNTERS = {
  ticksGenerated: 'ticker_ticks_generated_total',
  bytesPublished: 'ticker_bytes_published_total',
  slowConsumerPauses: 'ticker_slow_consumer_pauses_total',
  connections: 'ticker_connections',
} as const;

/** Scrapes /metrics (Prometheus text) and picks the metrics above, each summed over its labels. */
export async function readServerCounters(url: string): Promise<ServerCounters> {
  const response = await fetch(new URL('metrics', url));
  if (!response.ok) throw new Error(`GET ${url}metrics answered ${response.status}`);
  const text = await response.text();
  const at = performance.now();
  // A labelled counter (slow-consumer pauses, by reason) has one sample per label value and none
  // before the first, so samples are summed; its TYPE line says the metric exists at all.
  const value = (name: string): number => {
    if (!new RegExp(`^# TYPE ${name} `, 'm').test(text)) throw new Error(`/metrics has no ${name}`);
    let sum = 0;
    for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
      sum += Number(match[1]);
    }
    return sum;
  };
  return {
    at,
    ticksGenerated: value(COUNTERS.ticksGenerated),
    bytesPublished: value(COUNTERS.bytesPublished),
    slowConsumerPauses: value(COUNTERS.slowConsumerPauses),
    connections: value(COUNTERS.connections),
  };
}
