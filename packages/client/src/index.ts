export { FeedClient } from './feed-client.js';
export type {
  FeedClientEvents,
  FeedClientOptions,
  FeedState,
  SequenceGap,
  StateChange,
} from './feed-client.js';
export { FeedError, ClientErrorCode } from './feed-error.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
