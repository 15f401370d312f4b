import type { us_listen_socket } from 'uWebSockets.js';
import { createRedisSource } from '../broker/redis-source.js';
import { marketIdentity } from '../market-path/market-identity.js';
import type { RedisSource } from '../broker/redis-source.js';
import { Market } from '../domain/market.js';
import type { ProcessConfig } from '../config.js';
import { encodeDirectory } from '../domain/directory.js';
import { addHealthRoutes } from './health.js';
import { listenForOperations, publicMetricsGate } from './operations.js';
import type { OperationsListener } from './operations.js';
import { answerText } from './http-answers.js';
import { createSourceMetrics } from './metrics.js';
import { listenOn, loadNativeUws } from './uws.js';

export type SourceConfig = Pick<
  ProcessConfig,
  | 'port'
  | 'host'
  | 'seed'
  | 'tickRate'
  | 'flushIntervalMs'
  | 'stockHours'
  | 'universe'
  | 'logger'
  | 'redisUrl'
  | 'replayMs'
  | 'operations'
  | 'now'
>;

export interface SourceServer {
  /** Starts the market and the health endpoints; resolves with the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
  readonly market: Market;
  readonly source: RedisSource;
}

/**
 * The `source` role: the one market simulator of a scaled-out deployment, publishing every
 * flush to Redis for the gateways. It has no clients; its port serves only /healthz, /readyz
 * (ready while Redis takes its flushes) and /metrics.
 */
export function createSourceServer(config: SourceConfig): SourceServer {
  const uWS = loadNativeUws();
  const now = config.now ?? Date.now;
  const market = new Market({ ...config, startTime: now() });
  const source = createRedisSource({
    url: config.redisUrl,
    market,
    directory: encodeDirectory(config.universe),
    marketIdentity: marketIdentity(config),
    flushIntervalMs: config.flushIntervalMs,
    replayMs: config.replayMs,
    logger: config.logger,
    now,
  });
  const app = uWS.App();
  const metrics = createSourceMetrics(market, source.stats);
  const unavailableReason = (): string | null => source.unavailableReason();
  // No clients, so no access control: its /metrics follows METRICS_PORT and METRICS_TOKEN alone.
  addHealthRoutes(app, metrics, unavailableReason, publicMetricsGate(config.operations, false));
  let operations: OperationsListener | null = null;
  app.any('/*', (res) => {
    answerText(
      res,
      '404 Not Found',
      'This is a Ticker market source; clients connect to a gateway (docs/DEPLOY.md).',
    );
  });
  let listenSocket: us_listen_socket | null = null;
  let flushTimer: ReturnType<typeof setInterval> | null = null;

  return {
    market,
    source,

    async listen() {
      listenSocket = await listenOn(app, config.host, config.port);
      operations = await listenForOperations(config.operations, metrics, unavailableReason);
      flushTimer = setInterval(() => {
        source.flush();
      }, config.flushIntervalMs);
      return uWS.us_socket_local_port(listenSocket);
    },

    close() {
      if (flushTimer) clearInterval(flushTimer);
      flushTimer = null;
      if (listenSocket) uWS.us_listen_socket_close(listenSocket);
      listenSocket = null;
      operations?.close();
      operations = null;
      return source.close();
    },
  };
}
