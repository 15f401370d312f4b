export { createServer, MAX_CLIENT_FRAME_BYTES } from './transport/feed-server.js';
export type {
  ConnectionLimits,
  FeedServer,
  ServerConfig,
  ServerStats,
} from './transport/feed-server.js';
export {
  DEFAULT_CONNECTION_LIMITS,
  configFromEnv,
  defaultDashboardDir,
  defaultUniverse,
  ConfigError,
} from './config.js';
export { createLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { MarketPath } from './market-path/market-path.js';
export type { MarketPathOptions } from './market-path/market-path.js';
export { PathPlayer } from './market-path/path-player.js';
export type { TickSink } from './domain/tick-sink.js';
export { Batcher } from './domain/batcher.js';
export { TopicRegistry } from './domain/topic-registry.js';
export { parseUniverse } from './domain/universe.js';
export type { SymbolSpec } from './domain/universe.js';
export { secretKey, signToken, verifyToken } from './auth/tokens.js';
export type { Grant, TokenOptions } from './auth/tokens.js';
export type { AccessConfig } from './transport/admission.js';
