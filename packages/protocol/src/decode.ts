import { peekClientMessageType, peekServerMessageType } from './header.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { Limits } from './limits.js';
import { decodeGoingAway } from './messages/going-away.js';
import type { GoingAway } from './messages/going-away.js';
import { decodeHello } from './messages/hello.js';
import type { Hello } from './messages/hello.js';
import { decodeHeartbeat, decodePing, decodePong } from './messages/liveness.js';
import type { Heartbeat, Ping, Pong } from './messages/liveness.js';
import { decodeAck, decodeErrorReply } from './messages/reply.js';
import type { Ack, ErrorReply } from './messages/reply.js';
import { decodeQuote, decodeQuoteSnapshot } from './messages/quote.js';
import type { Quote, QuoteSnapshot } from './messages/quote.js';
import { decodeMarketStatus } from './messages/market-status.js';
import type { MarketStatus } from './messages/market-status.js';
import { decodeRefreshToken } from './messages/refresh-token.js';
import type { RefreshTokenRequest } from './messages/refresh-token.js';
import { decodeResync } from './messages/resync.js';
import type { ResyncRequest } from './messages/resync.js';
import { decodeSnapshot } from './messages/snapshot.js';
import type { Snapshot } from './messages/snapshot.js';
import { decodeSubscribe, decodeUnsubscribe } from './messages/subscription.js';
import type { SubscriptionRequest } from './messages/subscription.js';
import { decodeSymbolDirectory } from './messages/symbol-directory.js';
import { decodeSymbolRefusals } from './messages/symbol-refusals.js';
import type { SymbolRefusals } from './messages/symbol-refusals.js';
import type { SymbolDirectory } from './messages/symbol-directory.js';
import { createTickBatch, decodeTickBatch } from './messages/tick-batch.js';
import type { TickBatch } from './messages/tick-batch.js';
import { MessageType } from './version.js';
import { decodeViewSubscribe } from './messages/view-subscription.js';
import type { ViewSubscribeRequest } from './messages/view-subscription.js';

/** Any server -> client message, discriminated by `type`. */
export type ServerMessage =
  | { readonly type: typeof MessageType.Hello; readonly hello: Hello }
  | { readonly type: typeof MessageType.SymbolDirectory; readonly directory: SymbolDirectory }
  | { readonly type: typeof MessageType.TickBatch; readonly batch: TickBatch }
  | { readonly type: typeof MessageType.Snapshot; readonly snapshot: Snapshot }
  | { readonly type: typeof MessageType.Ack; readonly ack: Ack }
  | { readonly type: typeof MessageType.Error; readonly error: ErrorReply }
  | { readonly type: typeof MessageType.Pong; readonly pong: Pong }
  | { readonly type: typeof MessageType.Heartbeat; readonly heartbeat: Heartbeat }
  | { readonly type: typeof MessageType.GoingAway; readonly goingAway: GoingAway }
  | { readonly type: typeof MessageType.SymbolRefusals; readonly refusals: SymbolRefusals }
  | { readonly type: typeof MessageType.QuoteSnapshot; readonly quoteSnapshot: QuoteSnapshot }
  | { readonly type: typeof MessageType.Quote; readonly quote: Quote }
  | { readonly type: typeof MessageType.MarketStatus; readonly marketStatus: MarketStatus };

/** Any client -> server message, discriminated by `type`. */
export type ClientMessage =
  | { readonly type: typeof MessageType.Subscribe; readonly request: SubscriptionRequest }
  | { readonly type: typeof MessageType.Unsubscribe; readonly request: SubscriptionRequest }
  | { readonly type: typeof MessageType.Resync; readonly request: ResyncRequest }
  | { readonly type: typeof MessageType.Ping; readonly ping: Ping }
  | { readonly type: typeof MessageType.ViewSubscribe; readonly request: ViewSubscribeRequest }
  | { readonly type: typeof MessageType.RefreshToken; readonly request: RefreshTokenRequest };

/**
 * Decodes one server frame. Tick batches are decoded into `batch` (reused: read it before the
 * next call); everything else is freshly allocated, being rare (quotes come a few times a second
 * per symbol at most). Throws only `DecodeError`.
 */
export function decodeServerMessage(
  bytes: Uint8Array,
  batch: TickBatch = createTickBatch(),
  limits: Limits = DEFAULT_LIMITS,
): ServerMessage {
  const type = peekServerMessageType(bytes);
  switch (type) {
    case MessageType.Hello:
      return { type, hello: decodeHello(bytes, limits) };
    case MessageType.SymbolDirectory:
      return { type, directory: decodeSymbolDirectory(bytes, limits) };
    case MessageType.TickBatch:
      return { type, batch: decodeTickBatch(bytes, batch, limits) };
    case MessageType.Snapshot:
      return { type, snapshot: decodeSnapshot(bytes, limits) };
    case MessageType.Ack:
      return { type, ack: decodeAck(bytes) };
    case MessageType.Error:
      return { type, error: decodeErrorReply(bytes, limits) };
    case MessageType.Pong:
      return { type, pong: decodePong(bytes) };
    case MessageType.Heartbeat:
      return { type, heartbeat: decodeHeartbeat(bytes) };
    case MessageType.GoingAway:
      return { type, goingAway: decodeGoingAway(bytes, limits) };
    case MessageType.SymbolRefusals:
      return { type, refusals: decodeSymbolRefusals(bytes, limits) };
    case MessageType.QuoteSnapshot:
      return { type, quoteSnapshot: decodeQuoteSnapshot(bytes, limits) };
    case MessageType.Quote:
      return { type, quote: decodeQuote(bytes) };
    case MessageType.MarketStatus:
      return { type, marketStatus: decodeMarketStatus(bytes, limits) };
  }
}

/** Decodes one client frame. Throws only `DecodeError`. */
export function decodeClientMessage(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): ClientMessage {
  const type = peekClientMessageType(bytes);
  switch (type) {
    case MessageType.Subscribe:
      return { type, request: decodeSubscribe(bytes, limits) };
    case MessageType.Unsubscribe:
      return { type, request: decodeUnsubscribe(bytes, limits) };
    case MessageType.Resync:
      return { type, request: decodeResync(bytes) };
    case MessageType.Ping:
      return { type, ping: decodePing(bytes) };
    case MessageType.ViewSubscribe:
      return { type, request: decodeViewSubscribe(bytes, limits) };
    case MessageType.RefreshToken:
      return { type, request: decodeRefreshToken(bytes) };
  }
}
