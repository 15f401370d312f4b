import { ByteWriter, MarketState, encodeMarketStatus } from '@ticker/protocol';
import type { MarketFeed } from '../feeds/market-feed.js';
import type { Publisher } from './peer.js';

/**
 * A gateway's source writes at least one entry a second (IDLE_ENTRY_MS in redis-source.ts):
 * past this without one, the market data is delayed, not merely quiet.
 */
const STALE_AFTER_MS = 3_000;

const NOT_RECEIVING = 'the server is not receiving market data';
const SOURCE_SILENT = `no market data from the source for over ${STALE_AFTER_MS / 1000} s`;

/**
 * Whether the market data this server serves is current (docs/PROTOCOL.md "Market status"):
 * delayed while the feed cannot serve (a gateway's Redis unreachable, no source, restoring) or
 * its source has written nothing for STALE_AFTER_MS; live otherwise, and always for the market
 * simulated in this process. Checked every second; a change (of state, or of why it is delayed)
 * is published to every connection (the broadcast topic), and a connection that opens while
 * delayed is told after its directory.
 */
export class MarketWatch {
  private readonly writer = new ByteWriter(96);
  /** The last status published, live or delayed; null while it has been live from the start. */
  private lastFrame: Uint8Array | null = null;
  /** Why it is delayed, as last published; empty while live. */
  private reason = '';

  constructor(
    private readonly feed: MarketFeed,
    private readonly publisher: Publisher,
    private readonly broadcastTopic: string,
    /** Milliseconds: the wall clock. */
    private readonly clock: () => number,
  ) {}

  /** Looks at the feed; tells every connection when the state, or why it is delayed, changed. */
  check(): void {
    const reason = this.delayReason();
    if ((reason ?? '') === this.reason) return;
    this.reason = reason ?? '';
    const lastDataTime = this.lastDataTime();
    const frame = encodeMarketStatus(
      reason === null
        ? { state: MarketState.Live, lastDataTime, reason: '' }
        : { state: MarketState.Delayed, lastDataTime, reason },
      this.writer,
    );
    this.lastFrame = frame.slice();
    this.publisher.publish(this.broadcastTopic, frame, true, false);
  }

  /** What a connection opening now must be told: the delay, or nothing while live. */
  get forNewConnection(): Uint8Array | null {
    return this.reason !== '' ? this.lastFrame : null;
  }

  /**
   * What a connection that was left out of the broadcast topic (a paused slow consumer) must be
   * told when it rejoins: the current status if it ever changed, since it may have missed both.
   */
  get forRejoiningConnection(): Uint8Array | null {
    return this.lastFrame;
  }

  /**
   * Plain words for every client. The feed's own reason (which names the Redis address) is for
   * operators, on /readyz: a public client is told what it means for the data, not the topology.
   */
  private delayReason(): string | null {
    if (this.feed.unavailableReason() !== null) return NOT_RECEIVING;
    const { broker } = this.feed;
    if (broker === null || broker.lastEntryAt === 0) return null;
    return this.clock() - broker.lastEntryAt > STALE_AFTER_MS ? SOURCE_SILENT : null;
  }

  private lastDataTime(): number {
    const { broker } = this.feed;
    return broker === null ? this.clock() : broker.lastEntryAt;
  }
}
