import {
  ByteWriter,
  encodeAck,
  encodeErrorReply,
  encodePong,
  encodeSymbolRefusals,
} from '@ticker/protocol';
import type { ErrorCode, SymbolRefusal } from '@ticker/protocol';
import type { LogThrottle } from '../log-throttle.js';
import type { Peer } from './peer.js';
import type { ServerStats } from './server-stats.js';
import { increment } from './server-stats.js';

/**
 * Answers to client requests, encoded into one reused buffer (uWS copies on send). Every
 * refusal goes through `refuse`: counted by reason for /metrics and logged at debug (clients'
 * mistakes are not the operator's), a few a minute per reason.
 */
export class Replies {
  private readonly writer = new ByteWriter(256);

  constructor(
    private readonly stats: ServerStats,
    private readonly logs: LogThrottle,
  ) {}

  ack(peer: Peer, requestId: number): void {
    peer.send(encodeAck({ requestId }, this.writer), true);
  }

  refusals(peer: Peer, requestId: number, refusals: readonly SymbolRefusal[]): void {
    peer.send(encodeSymbolRefusals({ requestId, refusals }, this.writer), true);
  }

  pong(peer: Peer, nonce: number, serverTime: number): void {
    peer.send(encodePong({ nonce, serverTime }, this.writer), true);
  }

  /** Counts a refusal under `reason` and answers it with an error carrying `requestId`. */
  refuse(peer: Peer, reason: string, requestId: number, code: ErrorCode, message: string): void {
    this.count(reason);
    peer.send(encodeErrorReply({ requestId, code, message }, this.writer), true);
  }

  /** Counts a refusal that gets no error reply of its own (a close, or a per-symbol refusal). */
  count(reason: string, details: Record<string, unknown> = {}): void {
    increment(this.stats.rejectedRequests, reason);
    this.logs.log('debug', `rejected ${reason}`, 'rejected a client request', {
      reason,
      ...details,
    });
  }
}
