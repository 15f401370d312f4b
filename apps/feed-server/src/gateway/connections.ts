import { CloseCode } from '@ticker/protocol';
import type { Peer } from './peer.js';
import type { ServerStats } from './server-stats.js';
import { closeCodeLabel, increment } from './server-stats.js';
import type { Session } from './session.js';
import type { SubscriptionRules } from './subscriptions.js';

/** What uWS says when it dropped a client itself, before any handler of ours could answer. */
const UWS_DROPS: ReadonlyArray<readonly [string, string]> = [
  ['invalid UTF-8', 'invalid_utf8'],
  ['too big', 'frame_too_large'],
];

/**
 * The open connections: how many per address (admission reads it), their lifecycle, and what
 * must be undone when one closes. A session's peer is set on open and cleared on close, so
 * nothing can touch a closed uWS socket.
 */
export class Connections {
  readonly sessions = new Set<Session>();
  private readonly perIp = new Map<string, number>();
  /** Called once the last connection has closed (see `allClosed`). */
  private onEmpty: (() => void) | null = null;

  constructor(
    private readonly stats: ServerStats,
    private readonly rules: SubscriptionRules,
    /** Counts a refusal (for uWS's own drops). */
    private readonly count: (reason: string) => void,
  ) {}

  countFrom(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  opened(session: Session, peer: Peer): void {
    session.peer = peer;
    this.sessions.add(session);
    this.perIp.set(session.ip, this.countFrom(session.ip) + 1);
    this.stats.connections += 1;
    this.stats.connectionsAccepted += 1;
  }

  closed(session: Session, code: number, reason: string): void {
    if (!this.sessions.delete(session)) return;
    session.peer = null;
    increment(this.stats.closesByCode, closeCodeLabel(code));
    // uWS drops a client for invalid UTF-8 in a text frame, or a frame past its payload
    // backstop, before a handler could answer: it says so only here.
    if (code === 1006) {
      const drop = UWS_DROPS.find(([text]) => reason.includes(text));
      if (drop) this.count(drop[1]);
    }
    const left = this.countFrom(session.ip) - 1;
    if (left > 0) this.perIp.set(session.ip, left);
    else this.perIp.delete(session.ip);
    this.stats.connections -= 1;
    if (session.pausedSince !== null) this.stats.pausedConnections -= 1;
    this.rules.forget(session);
    if (this.sessions.size === 0) this.onEmpty?.();
  }

  /**
   * Resolves once every connection has closed, or after `timeoutMs` for those whose client
   * never answered the close: a process that exits at once would drop close frames still
   * unwritten, and clients would see 1006 rather than the notice and 1001.
   */
  allClosed(timeoutMs: number): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.onEmpty = null;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.onEmpty = done;
    });
  }

  /** Connections whose token has expired are closed; they may come back with a fresh one. */
  closeExpired(now: number): void {
    for (const session of this.sessions) {
      if (session.grant.expiresAt <= now) {
        session.peer?.end(CloseCode.TokenExpired, 'access token expired');
      }
    }
  }

  /** Tells every client the server is going away (`notice`), then closes it with 1001. */
  closeAll(notice: Uint8Array): void {
    for (const session of [...this.sessions]) {
      const peer = session.peer;
      if (peer === null) continue;
      peer.cork(() => {
        peer.send(notice, true);
        peer.end(CloseCode.GoingAway, 'server shutting down');
      });
    }
  }
}
