export { FeedClient } from './feed-client.js';
export type {
  FeedClientEvents,
  FeedClientOptions,
  FeedMetrics,
  FeedState,
  ReconnectOptions,
  Resync,
  SequenceGap,
  StateChange,
} from './feed-client.js';
export { FeedError, ClientErrorCode } from './feed-error.js';
export type { FeedErrorCode } from './feed-error.js';
export type { Percentiles } from './latency-window.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
