import { Market } from '../domain/market.js';
import type { MarketOptions } from '../domain/market.js';
import type { TradingHours } from '../domain/trading-hours.js';
import type { SymbolSpec } from '../domain/universe.js';
import { FROZEN_WARM_UP_MS } from '../domain/warm-up.js';
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
  /** See `ServerConfig.warmUpMs`. */
  readonly warmUpMs: number;
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
  const market = warmedUpMarket(
    options,
    frozenAt ?? now(),
    frozenAt === null ? options.warmUpMs : FROZEN_WARM_UP_MS,
  );
  let timer: ReturnType<typeof setInterval> | null = null;

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
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      return Promise.resolve();
    },
    isSynced: () => true,
    unavailableReason: () => null,
  };
}

/**
 * The market, simulated for `warmUpMs` up to `until` before anyone can connect, so the first
 * subscribers get full snapshots; its session opens where the warm-up starts. The flush loop
 * takes over from `until` (in a frozen market it then finds nothing more to generate).
 */
export function warmedUpMarket(
  options: Omit<MarketOptions, 'startTime'> & {
    readonly flushIntervalMs: number;
    readonly logger: Logger;
  },
  until: number,
  warmUpMs: number,
): Market {
  const market = new Market({ ...options, startTime: until - warmUpMs });
  if (warmUpMs === 0) return market;
  const started = performance.now();
  market.warmUp(until, options.flushIntervalMs);
  options.logger.info('market warmed up', {
    until: new Date(until).toISOString(),
    simulatedMs: warmUpMs,
    ticks: market.ticks,
    tookMs: Math.round(performance.now() - started),
  });
  return market;
}
