import {
  CloseCode,
  DecodeError,
  ErrorCode,
  MessageType,
  decodeClientMessage,
  peekRequestId,
} from '@ticker/protocol';
import { MAX_CLIENT_FRAME_BYTES } from './connection-limits.js';
import type { Replies } from './replies.js';
import type { Session } from './session.js';
import type { SubscriptionRules } from './subscriptions.js';
import type { TokenRefresh } from './token-refresh.js';

export interface ClientFramesOptions {
  readonly rules: SubscriptionRules;
  readonly replies: Replies;
  readonly tokens: TokenRefresh;
  readonly maxMessagesPerSecond: number;
  /** Milliseconds for the message rate: the wall clock even in a frozen market. */
  readonly clock: () => number;
  /** The market's clock, for pongs. */
  readonly now: () => number;
}

/**
 * One client frame, from its arrival to its answer: size, rate, framing, decoding, then the rule
 * it asks for. Every request is answered exactly once, with its own request id whenever one can
 * be read (docs/PROTOCOL.md "Error").
 */
export class ClientFrames {
  constructor(private readonly options: ClientFramesOptions) {}

  /** `message` is only valid during the call (uWS frees it): decoded synchronously, never kept. */
  handle(session: Session, message: ArrayBuffer, isBinary: boolean): void {
    const peer = session.peer;
    if (peer === null) return;
    const { replies, rules } = this.options;
    if (message.byteLength > MAX_CLIENT_FRAME_BYTES) {
      replies.count('frame_too_large', { bytes: message.byteLength });
      peer.end(CloseCode.MessageTooBig, `frame exceeds ${MAX_CLIENT_FRAME_BYTES} bytes`);
      return;
    }
    const bytes = new Uint8Array(message);
    const verdict = session.rate.admit(this.options.clock());
    if (verdict === 'close') {
      replies.count('rate_limit_close');
      peer.end(CloseCode.PolicyViolation, 'message rate limit exceeded');
      return;
    }
    if (verdict === 'refuse') {
      const rate = this.options.maxMessagesPerSecond;
      replies.refuse(
        peer,
        'rate_limit',
        requestIdOf(bytes, isBinary),
        ErrorCode.LimitExceeded,
        `at most ${rate} messages per second`,
      );
      return;
    }
    if (!isBinary) {
      replies.refuse(
        peer,
        'text_frame',
        0,
        ErrorCode.TextFrameNotSupported,
        'text frames are not supported; send binary protocol frames',
      );
      return;
    }
    let decoded;
    try {
      decoded = decodeClientMessage(bytes);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      replies.refuse(peer, 'malformed', requestIdOf(bytes, true), error.code, error.message);
      return;
    }
    switch (decoded.type) {
      case MessageType.Subscribe:
        rules.subscribe(session, peer, decoded.request);
        break;
      case MessageType.ViewSubscribe:
        rules.subscribeView(session, peer, decoded.request);
        break;
      case MessageType.Unsubscribe:
        rules.unsubscribe(session, peer, decoded.request);
        break;
      case MessageType.Resync:
        rules.resync(session, peer, decoded.request);
        break;
      case MessageType.Ping:
        replies.pong(peer, decoded.ping.nonce, this.options.now());
        break;
      case MessageType.RefreshToken:
        this.options.tokens.refresh(session, decoded.request);
        break;
    }
  }
}

/** The id to answer a frame with: its own if it is a request whose id can be read, else 0. */
function requestIdOf(bytes: Uint8Array, isBinary: boolean): number {
  return (isBinary ? peekRequestId(bytes) : null) ?? 0;
}
