import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServerStats } from './feed-server.js';

/**
 * Prometheus metrics for one server. The hot paths only bump plain numbers in `stats`; these
 * metrics read them when scraped, so publishing a batch costs nothing extra. Each server has
 * its own registry, so several can run in one process (tests).
 */
export function createMetrics(stats: ServerStats): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // includes nodejs_eventloop_lag_seconds

  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  };
  const counter = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };

  gauge('ticker_connections', 'Open WebSocket connections.', () => stats.connections);
  gauge(
    'ticker_subscriptions',
    'Topic subscriptions held by all connections.',
    () => stats.subscriptions,
  );
  gauge(
    'ticker_paused_connections',
    'Connections paused as slow consumers.',
    () => stats.pausedConnections,
  );
  gauge(
    'ticker_buffered_bytes',
    'Bytes uWS holds for all clients (sampled every flush).',
    () => stats.bufferedBytes,
  );
  counter(
    'ticker_connections_accepted_total',
    'WebSocket connections accepted.',
    () => stats.connectionsAccepted,
  );
  counter(
    'ticker_connections_refused_total',
    'Upgrades refused by the per-address limit.',
    () => stats.connectionsRefused,
  );
  counter(
    'ticker_ticks_generated_total',
    'Ticks produced by the simulator.',
    () => stats.ticksGenerated,
  );
  counter(
    'ticker_batches_published_total',
    'Tick batches published (once per topic, before fan-out).',
    () => stats.batchesPublished,
  );
  counter(
    'ticker_bytes_published_total',
    'Bytes of tick batches published, before fan-out.',
    () => stats.bytesPublished,
  );
  counter(
    'ticker_snapshots_sent_total',
    'Snapshots sent (subscribe, resync, resume).',
    () => stats.snapshotsSent,
  );
  counter(
    'ticker_slow_consumer_pauses_total',
    'Times a client was paused for not keeping up.',
    () => stats.slowConsumerPauses,
  );
  counter(
    'ticker_slow_consumer_closes_total',
    'Clients closed with 4001 for staying paused.',
    () => stats.slowConsumerCloses,
  );
  new Counter({
    name: 'ticker_rejected_requests_total',
    help: 'Client frames or requests rejected, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of stats.rejectedRequests) this.inc({ reason }, count);
    },
  });
  new Counter({
    name: 'ticker_connections_closed_total',
    help: 'Connections closed, by WebSocket close code (1006: dropped, e.g. idle timeout).',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [code, count] of stats.closesByCode) this.inc({ code: String(code) }, count);
    },
  });
  return registry;
}
