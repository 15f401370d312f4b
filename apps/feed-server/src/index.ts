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
export { MarketSimulator } from './domain/market-simulator.js';
export type { TickSink, SimulatorOptions } from './domain/market-simulator.js';
export { Batcher } from './domain/batcher.js';
export { TopicRegistry } from './domain/topic-registry.js';
export { parseUniverse } from './domain/universe.js';
export type { SymbolSpec } from './domain/universe.js';
export { secretKey, signToken, verifyToken } from './auth/tokens.js';
export type { Grant, TokenOptions } from './auth/tokens.js';
export type { AccessConfig } from './transport/admission.js';
