import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BrokerStats, MarketFeed } from '../feeds/market-feed.js';
import type { ServerStats } from './feed-server.js';

type Read = () => number;

interface MetricsBuilder {
  readonly registry: Registry;
  readonly gauge: (name: string, help: string, read: Read) => void;
  readonly counter: (name: string, help: string, read: Read) => void;
}

/**
 * The hot paths only bump plain numbers; these metrics read them when scraped, so publishing a
 * batch costs nothing extra. Each server has its own registry, so several can run in one
 * process (tests).
 */
function metricsBuilder(): MetricsBuilder {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // includes nodejs_eventloop_lag_seconds
  return {
    registry,
    gauge: (name, help, read) => {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
    counter: (name, help, read) => {
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    },
  };
}

/** The broker link's health, for the source and gateway roles. */
function addBrokerMetrics({ gauge, counter }: MetricsBuilder, broker: BrokerStats): void {
  gauge('ticker_broker_connected', '1 while the Redis link is up, else 0.', () =>
    broker.connected ? 1 : 0,
  );
  counter(
    'ticker_broker_disconnects_total',
    'Times the Redis link was lost.',
    () => broker.disconnects,
  );
  counter(
    'ticker_broker_entries_total',
    'Stream entries (one per flush) written by the source or read by a gateway.',
    () => broker.entries,
  );
  gauge(
    'ticker_broker_last_entry_timestamp_seconds',
    'When the newest stream entry was written or read (0 before the first).',
    () => broker.lastEntryAt / 1000,
  );
  counter(
    'ticker_broker_dropped_flushes_total',
    'Source: flushes not written because Redis was down or too far behind.',
    () => broker.droppedFlushes,
  );
  counter(
    'ticker_broker_gaps_total',
    'Gateway: symbol series that broke (batches lost) and were restored from a snapshot.',
    () => broker.gaps,
  );
  counter(
    'ticker_broker_restores_total',
    'Gateway: symbol histories restored from snapshots kept in Redis.',
    () => broker.restores,
  );
}

/** The market source's metrics: what it generated and how its link to Redis fares. */
export function createSourceMetrics(
  market: { readonly ticks: number; readonly batches: number },
  broker: BrokerStats,
): Registry {
  const builder = metricsBuilder();
  builder.counter(
    'ticker_ticks_generated_total',
    'Ticks produced by the simulator.',
    () => market.ticks,
  );
  builder.counter(
    'ticker_batches_sealed_total',
    'Tick batches sealed (one per topic with ticks per flush).',
    () => market.batches,
  );
  addBrokerMetrics(builder, broker);
  return builder.registry;
}

/** A gateway's metrics (and the all-in-one server's): its clients, and its feed. */
export function createMetrics(stats: ServerStats, feed: MarketFeed): Registry {
  const builder = metricsBuilder();
  const { registry, gauge, counter } = builder;
  if (feed.broker) addBrokerMetrics(builder, feed.broker);

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
  new Counter({
    name: 'ticker_connections_refused_total',
    help: 'Connection requests refused before the upgrade, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of stats.refusedConnections) this.inc({ reason }, count);
    },
  });
  counter(
    'ticker_ticks_generated_total',
    'Ticks produced by the simulator (on a gateway: received from the source).',
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
      for (const [code, count] of stats.closesByCode) this.inc({ code }, count);
    },
  });
  return registry;
}
