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
export { FeedError, ClientErrorCode, HistoryError, isClientErrorCode } from './feed-error.js';
export type { FeedErrorCode, HistoryErrorCode } from './feed-error.js';
export { MAX_HISTORY_LIMIT } from './history.js';
export type { History, HistoryOptions, HistoryRequest } from './history.js';
// The intervals `history()` takes, from the protocol package, so an application needs only this one.
export { HISTORY_INTERVALS, HISTORY_INTERVAL_NAMES } from '@ticker/protocol';
export type { HistoryInterval } from '@ticker/protocol';
// The candle type `History` is made of, so that an application needs only this package.
export type { Candle, CandleSeries } from '@ticker/protocol';
export type { Percentiles } from './latency-window.js';
export { backoffDelay } from './backoff.js';
export { expiryOf, tokenClaims } from './token-refresh.js';
export type { BackoffOptions } from './backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
