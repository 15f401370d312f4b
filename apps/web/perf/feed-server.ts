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

/** Scrapes /metrics (Prometheus text) and picks the unlabelled counters above. */
export async function readServerCounters(url: string): Promise<ServerCounters> {
  const response = await fetch(new URL('metrics', url));
  if (!response.ok) throw new Error(`GET ${url}metrics answered ${response.status}`);
  const text = await response.text();
  const at = performance.now();
  const value = (name: string): number => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`/metrics has no ${name}`);
    return Number(match[1]);
  };
  return {
    at,
    ticksGenerated: value(COUNTERS.ticksGenerated),
    bytesPublished: value(COUNTERS.bytesPublished),
    slowConsumerPauses: value(COUNTERS.slowConsumerPauses),
    connections: value(COUNTERS.connections),
  };
}
