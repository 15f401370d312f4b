import type { SymbolHistory } from '../domain/symbol-history.js';

/** How a feed hands its batches to the WebSocket gateway. */
export interface FeedSink {
  /** Whether anyone is subscribed to the symbol: a batch nobody wants need not be encoded. */
  wants(symbolIndex: number): boolean;
  /** The symbol's next batch, already in its history; `bytes` is only valid during the call. */
  publish(symbolIndex: number, bytes: Uint8Array): void;
  /** The symbol's history was replaced after a gap: its subscribers need a fresh snapshot. */
  resynced(symbolIndex: number): void;
  /**
   * A flush's batches have all been handed over. What should reach clients with them (quotes)
   * goes out now: uWS writes everything published within one callback to each socket at once.
   */
  flushed(): void;
}

/** The broker link of a scaled-out process; see docs/DEPLOY.md. */
export interface BrokerStats {
  connected: boolean;
  /** Times the link was lost. */
  disconnects: number;
  /** Stream entries written (source) or read (gateway). */
  entries: number;
  /** Epoch ms of the newest entry written or read; 0 before the first. */
  lastEntryAt: number;
  /** Source: flushes dropped because the broker was down or behind. */
  droppedFlushes: number;
  /** Gateway: symbols whose series broke (batches lost) and had to be restored from a snapshot. */
  gaps: number;
  /** Gateway: symbols restored from a snapshot kept in the broker. */
  restores: number;
}

export function createBrokerStats(): BrokerStats {
  return {
    connected: false,
    disconnects: 0,
    entries: 0,
    lastEntryAt: 0,
    droppedFlushes: 0,
    gaps: 0,
    restores: 0,
  };
}

/**
 * Where a gateway's market comes from: the simulator in this process (`createLocalFeed`), or a
 * source through Redis (`createRedisFeed`). Either way the feed keeps each symbol's history,
 * and the gateway answers subscribes and resyncs from it.
 */
export interface MarketFeed {
  /** One per symbol of the universe, in its order. */
  readonly histories: readonly SymbolHistory[];
  /** Ticks and batches received (or generated); only ever grow. */
  readonly stats: { readonly ticks: number; readonly batches: number };
  /** The broker link, or null for the in-process market. */
  readonly broker: BrokerStats | null;
  start(sink: FeedSink): void;
  stop(): Promise<void>;
  /** Whether the symbol's history is whole and current, so a snapshot of it can be sent. */
  isSynced(symbolIndex: number): boolean;
  /** Why the feed cannot serve now (for /readyz), or null when it can. */
  unavailableReason(): string | null;
}
