import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BrokerStats, MarketFeed } from '../feeds/market-feed.js';
import type { ServerStats } from '../gateway/server-stats.js';

type Read = () => number;

/** Per label value, the number to report; read when scraped. */
type ReadLabelled = () => Iterable<readonly [string, number]>;

interface MetricsBuilder {
  readonly registry: Registry;
  readonly gauge: (name: string, help: string, read: Read) => void;
  readonly counter: (name: string, help: string, read: Read) => void;
  readonly labelledGauge: (name: string, help: string, label: string, read: ReadLabelled) => void;
  readonly labelledCounter: (name: string, help: string, label: string, read: ReadLabelled) => void;
}

const VIEW_NAMES = ['chart', 'quote'] as const;

/** A per-view array (indexed by `View`) as label values. */
const byView = (counts: readonly number[]) => (): Array<[string, number]> =>
  VIEW_NAMES.map((view, i) => [view, counts[i] ?? 0]);

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
    labelledGauge: (name, help, label, read) => {
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers: [registry],
        collect() {
          this.reset();
          for (const [value, count] of read()) this.set({ [label]: value }, count);
        },
      });
    },
    labelledCounter: (name, help, label, read) => {
      new Counter({
        name,
        help,
        labelNames: [label],
        registers: [registry],
        collect() {
          this.reset();
          for (const [value, count] of read()) this.inc({ [label]: value }, count);
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
  const { gauge, counter, labelledGauge, labelledCounter } = builder;
  if (feed.broker) addBrokerMetrics(builder, feed.broker);

  gauge('ticker_connections', 'Open WebSocket connections.', () => stats.connections);
  labelledGauge(
    'ticker_subscriptions',
    'Symbols held by all connections, by view.',
    'view',
    byView(stats.subscriptions),
  );
  gauge(
    'ticker_paused_connections',
    'Connections paused as slow consumers.',
    () => stats.pausedConnections,
  );
  gauge(
    'ticker_buffered_bytes',
    'Bytes uWS holds for all clients (sampled every flush); never beyond MAX_BUFFERED_BYTES for long.',
    () => stats.bufferedBytes,
  );
  gauge(
    'ticker_snapshots_queued',
    'Snapshots owed to connections, waiting for their budget or for the connection to read on.',
    () => stats.snapshotsQueued,
  );
  counter(
    'ticker_connections_accepted_total',
    'WebSocket connections accepted.',
    () => stats.connectionsAccepted,
  );
  labelledCounter(
    'ticker_api_answers_total',
    'History API answers (/api/v1/...), by HTTP status.',
    'status',
    () => stats.apiAnswers,
  );
  labelledCounter(
    'ticker_connections_refused_total',
    'Connection requests refused before the upgrade, by reason.',
    'reason',
    () => stats.refusedConnections,
  );
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
  labelledCounter(
    'ticker_snapshots_sent_total',
    'Snapshots sent (subscribe, resync, resume, restore), by view.',
    'view',
    byView(stats.snapshotsSent),
  );
  counter(
    'ticker_snapshot_bytes_sent_total',
    'Bytes of snapshots sent, of both views, counted once per receiver.',
    () => stats.snapshotBytesSent,
  );
  labelledCounter(
    'ticker_snapshots_encoded_total',
    'Snapshots encoded, by view: at most once per change of the symbol, however many receive it.',
    'view',
    byView(stats.snapshotsEncoded),
  );
  labelledCounter(
    'ticker_snapshots_delayed_total',
    'Snapshots that waited when first due, by the first reason (connection_budget, address_budget, backpressure).',
    'reason',
    () => stats.snapshotsDelayed,
  );
  counter(
    'ticker_quotes_published_total',
    'Quotes published (once per symbol and quote interval, before fan-out).',
    () => stats.quotesPublished,
  );
  counter(
    'ticker_quote_bytes_published_total',
    'Bytes of quotes published, before fan-out.',
    () => stats.quoteBytesPublished,
  );
  labelledCounter(
    'ticker_slow_consumer_pauses_total',
    'Times a client was paused, by reason: buffer (over SLOW_CONSUMER_BYTES), stalled (not draining for STALLED_READER_MS), memory (nearing MAX_BUFFERED_BYTES).',
    'reason',
    () => stats.slowConsumerPauses,
  );
  counter(
    'ticker_slow_consumer_closes_total',
    'Clients closed with 4001 for staying paused.',
    () => stats.slowConsumerCloses,
  );
  counter(
    'ticker_memory_cap_drops_total',
    'Clients dropped without a close frame to keep all buffers under MAX_BUFFERED_BYTES.',
    () => stats.memoryCapDrops,
  );
  labelledCounter(
    'ticker_rejected_requests_total',
    'Client frames or requests rejected, by reason.',
    'reason',
    () => stats.rejectedRequests,
  );
  labelledCounter(
    'ticker_connections_closed_total',
    'Connections closed, by WebSocket close code (1006: dropped, e.g. idle timeout).',
    'code',
    () => stats.closesByCode,
  );
  return builder.registry;
}
