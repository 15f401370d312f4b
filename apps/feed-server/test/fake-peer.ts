import type { Peer, Publisher } from '../src/gateway/peer.js';

/**
 * A socket the gateway's modules can be driven with, without uWS: it records what is sent and
 * which topics it is in, and reports whatever buffered amount the test sets.
 */
export class FakePeer implements Peer {
  readonly sent: Uint8Array[] = [];
  readonly topics = new Set<string>();
  buffered = 0;
  ended: { code: number; reason: string } | null = null;
  dropped = false;

  constructor(private readonly log: FakePeer[] = []) {}

  send(message: Uint8Array): number {
    this.sent.push(message.slice());
    this.log.push(this);
    return 1;
  }

  subscribe(topic: string): boolean {
    this.topics.add(topic);
    return true;
  }

  unsubscribe(topic: string): boolean {
    return this.topics.delete(topic);
  }

  getBufferedAmount(): number {
    return this.buffered;
  }

  cork(callback: () => void): this {
    callback();
    return this;
  }

  end(code: number, reason: string): void {
    this.ended = { code, reason };
  }

  close(): void {
    this.dropped = true;
  }
}

/** uWS's pub/sub over fake peers: a publish reaches every peer in the topic. */
export class FakePublisher implements Publisher {
  readonly peers: FakePeer[] = [];
  readonly published: Array<{ topic: string; message: Uint8Array }> = [];

  publish(topic: string, message: Uint8Array): boolean {
    this.published.push({ topic, message: message.slice() });
    for (const peer of this.peers) if (peer.topics.has(topic)) peer.send(message);
    return true;
  }

  numSubscribers(topic: string): number {
    return this.peers.filter((peer) => peer.topics.has(topic)).length;
  }
}
