/** Why a connection was paused: its buffer passed the limit, stopped draining, or memory ran short. */
export type PauseReason = 'buffer' | 'stalled' | 'memory';

/** Why a snapshot could not go out when it was first due (it waits; nothing is lost). */
export type SnapshotDelay = 'connection_budget' | 'address_budget' | 'backpressure';

/**
 * Counters behind /metrics: the hot paths bump plain numbers, metrics.ts reads them when
 * scraped. All only ever grow except the gauges marked so. Views are indexed by `View`.
 */
export interface ServerStats {
  connections: number; // gauge
  /** Symbols held, by view (chart, quote). */
  readonly subscriptions: [number, number]; // gauges
  pausedConnections: number; // gauge
  /** Bytes uWS holds for all clients, as of the last check (every flush interval). */
  bufferedBytes: number; // gauge
  /** Snapshots waiting for their budget or their connection. */
  snapshotsQueued: number; // gauge
  connectionsAccepted: number;
  /** Connection requests turned away before the upgrade, by reason. */
  readonly refusedConnections: Map<string, number>;
  /** Ticks the market generated (on a gateway: received from the source). */
  readonly ticksGenerated: number;
  batchesPublished: number;
  bytesPublished: number;
  /** Snapshots sent, by view. */
  readonly snapshotsSent: [number, number];
  snapshotBytesSent: number;
  /** Snapshots encoded, by view: at most once per history change, however many receive it. */
  readonly snapshotsEncoded: [number, number];
  readonly snapshotsDelayed: Map<SnapshotDelay, number>;
  quotesPublished: number;
  quoteBytesPublished: number;
  readonly slowConsumerPauses: Map<PauseReason, number>;
  slowConsumerCloses: number;
  /** Connections dropped to keep all buffers under `maxBufferedBytes`. */
  memoryCapDrops: number;
  readonly rejectedRequests: Map<string, number>;
  /** Closes by code; codes a client picks freely (1000–4999 beyond ours) count as `other`. */
  readonly closesByCode: Map<string, number>;
  /** History API answers, by HTTP status (a fixed few: see docs/API.md). */
  readonly apiAnswers: Map<string, number>;
}

export function createServerStats(market: { readonly ticks: number }): ServerStats {
  return {
    connections: 0,
    subscriptions: [0, 0],
    pausedConnections: 0,
    bufferedBytes: 0,
    snapshotsQueued: 0,
    connectionsAccepted: 0,
    refusedConnections: new Map(),
    get ticksGenerated() {
      return market.ticks;
    },
    batchesPublished: 0,
    bytesPublished: 0,
    snapshotsSent: [0, 0],
    snapshotBytesSent: 0,
    snapshotsEncoded: [0, 0],
    snapshotsDelayed: new Map(),
    quotesPublished: 0,
    quoteBytesPublished: 0,
    slowConsumerPauses: new Map(),
    slowConsumerCloses: 0,
    memoryCapDrops: 0,
    rejectedRequests: new Map(),
    closesByCode: new Map(),
    apiAnswers: new Map(),
  };
}

export function increment<K>(counts: Map<K, number>, key: K, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** The close codes counted one by one: ours, and the standard ones clients meet. */
const COUNTED_CLOSE_CODES = new Set([1000, 1001, 1005, 1006, 1008, 1009, 4000, 4001, 4002]);

/** The `code` label of a close: a hostile client choosing codes cannot add metric series. */
export function closeCodeLabel(code: number): string {
  return COUNTED_CLOSE_CODES.has(code) ? String(code) : 'other';
}
