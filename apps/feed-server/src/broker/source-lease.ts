import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';

/** Held by the running source, renewed every second; lapses this long after it stops renewing. */
export const LEASE_KEY = 'ticker:source:lease';
export const LEASE_MS = 3_000;
const RENEW_MS = 1_000;
const POLL_MS = 100;

/**
 * Tells a source whether its predecessor has stopped. Only a stopped source's series may be
 * taken over: two sources writing one epoch would break every gateway's copy. A source that
 * stops cleanly lets go at once; one that crashed lets go when its lease lapses (3 s), which a
 * restarted source waits for.
 */
export class SourceLease {
  private readonly holder = randomUUID();
  private renewedAt = -Infinity;

  constructor(
    private readonly client: RedisClientType,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /**
   * Takes the lease, waiting at most for a predecessor's to lapse: true once held, false if
   * another source still renews it (it is running: this one must not take over its series).
   */
  async acquire(): Promise<boolean> {
    const giveUpAt = this.wallClock() + LEASE_MS + RENEW_MS;
    for (;;) {
      const taken = await this.client.set(LEASE_KEY, this.holder, { NX: true, PX: LEASE_MS });
      if (taken !== null) {
        this.renewedAt = this.wallClock();
        return true;
      }
      if (this.wallClock() >= giveUpAt) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Renews the lease about once a second (called every flush), taking it if it lapsed. */
  renew(): void {
    const time = this.wallClock();
    if (time - this.renewedAt < RENEW_MS) return;
    this.renewedAt = time;
    this.client.set(LEASE_KEY, this.holder, { PX: LEASE_MS }).catch(() => undefined);
  }

  /** Lets go, if it is still this source's, so a successor need not wait for it to lapse. */
  async release(): Promise<void> {
    try {
      if ((await this.client.get(LEASE_KEY)) === this.holder) await this.client.del(LEASE_KEY);
    } catch {
      // Redis is away: the lease lapses by itself.
    }
  }
}
