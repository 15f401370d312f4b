export { FeedClient } from './feed-client.js';
export type {
  FeedClientEvents,
  FeedClientOptions,
  FeedMetrics,
  FeedState,
  ReconnectOptions,
  StateChange,
} from './feed-client.js';
export { Subscription } from './subscription.js';
// The views a subscription can hold, and the market states, re-exported so that an application
// needs only this package.
export { MarketState, View } from '@ticker/protocol';
export type { MarketStatus } from '@ticker/protocol';
export type {
  Resync,
  SequenceGap,
  SubscriptionDataEvents,
  SubscriptionEvents,
  SubscriptionOptions,
  SubscriptionState,
  SubscriptionStateChange,
  SubscriptionStateReason,
} from './subscription.js';
export { FeedError, ClientErrorCode, isClientErrorCode } from './feed-error.js';
export type { FeedErrorCode } from './feed-error.js';
export type { Percentiles } from './latency-window.js';
export { backoffDelay } from './backoff.js';
export { expiryOf, tokenClaims } from './token-refresh.js';
export type { BackoffOptions } from './backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
