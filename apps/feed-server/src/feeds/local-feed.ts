import { warmHistories } from '../domain/history-warming.js';
import { Market } from '../domain/market.js';
import type { TradingHours } from '../domain/trading-hours.js';
import type { SymbolSpec } from '../domain/universe.js';
import type { Logger } from '../logger.js';
import type { FeedSink, MarketFeed } from './market-feed.js';

export interface LocalFeedOptions {
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  readonly tickRate: number;
  readonly flushIntervalMs: number;
  readonly stockHours: TradingHours | null;
  /** See `ServerConfig.frozenAt`. */
  readonly frozenAt: number | null;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The market simulated in this process (the `all` role): every flush interval it generates the
 * ticks up to now and publishes each wanted topic's batch straight to the gateway.
 */
export function createLocalFeed(options: LocalFeedOptions): MarketFeed {
  const { frozenAt, flushIntervalMs } = options;
  const now = frozenAt === null ? (options.now ?? Date.now) : () => frozenAt;
  // Its histories are full from the first second, whatever the time (src/market-path).
  const market = new Market({ ...options, startTime: frozenAt ?? now() });
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopWarming: (() => void) | null = null;

  return {
    histories: market.histories,
    stats: market,
    broker: null,
    start(sink: FeedSink) {
      const publish = sink.publish.bind(sink);
      const wants = sink.wants.bind(sink);
      timer ??= setInterval(() => {
        market.flush(now(), publish, wants);
        sink.flushed();
      }, flushIntervalMs);
      stopWarming ??= warmHistories(market.histories);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      stopWarming?.();
      stopWarming = null;
      return Promise.resolve();
    },
    isSynced: () => true,
    unavailableReason: () => null,
  };
}
