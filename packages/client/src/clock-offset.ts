/**
 * Estimates `server clock - local clock` so tick times (server clock) can be compared with local
 * receive times. The hello gives a first estimate, short by the one-way delay; each pong gives
 * an NTP-style one (server time against the midpoint of the round trip), and the one with the
 * shortest round trip wins, since its midpoint is the least uncertain.
 */
export class ClockOffset {
  private offset: number | null = null;
  private bestRttMs = Infinity;

  get ms(): number | null {
    return this.offset;
  }

  /** A new connection (maybe to another server): start over. */
  fromHello(serverTime: number, receivedAt: number): void {
    this.offset = serverTime - receivedAt;
    this.bestRttMs = Infinity;
  }

  fromPong(serverTime: number, receivedAt: number, rttMs: number): void {
    if (rttMs > this.bestRttMs) return;
    this.bestRttMs = rttMs;
    this.offset = serverTime - (receivedAt - rttMs / 2);
  }

  reset(): void {
    this.offset = null;
    this.bestRttMs = Infinity;
  }
}
