import { describe, expect, it } from 'vitest';
import { MessageType, View, decodeQuote } from '@ticker/protocol';
import { QuotePublisher } from '../src/gateway/quote-publisher.js';
import type { Session } from '../src/gateway/session.js';
import { FakePublisher } from './fake-peer.js';
import type { FakePeer } from './fake-peer.js';
import { GatewayFixture } from './gateway-fixture.js';

/** A connection holding `indexes` live in the quote view, in their topics. */
function quoteHolder(
  fixture: GatewayFixture,
  publisher: FakePublisher,
  indexes: readonly number[],
): { session: Session; peer: FakePeer } {
  const held = fixture.session();
  for (const index of indexes) {
    held.session.holdings.set(index, { view: View.Quote, live: true });
    held.peer.subscribe(fixture.registry.topic(index, View.Quote));
  }
  held.session.quoteHoldings = indexes.length;
  publisher.peers.push(held.peer);
  return held;
}

const quotes = (peer: FakePeer) =>
  peer.sent.filter((f) => f[1] === MessageType.Quote).map((f) => decodeQuote(f));

describe('QuotePublisher', () => {
  it('publishes one quote per symbol that traded, only to quote topics with subscribers', () => {
    const fixture = new GatewayFixture(10);
    const publisher = new FakePublisher();
    const quoter = new QuotePublisher(
      publisher,
      fixture.registry,
      fixture.histories,
      fixture.stats,
    );
    const { session, peer } = quoteHolder(fixture, publisher, [0, 1]);
    const sessions = new Set([session]);
    quoter.tick(sessions);
    expect(quotes(peer).map((q) => q.symbolId)).toEqual([0, 1].map((i) => fixture.universe[i]?.id));
    expect(publisher.published.map((p) => p.topic)).toEqual(
      [0, 1].map((i) => fixture.registry.topic(i, View.Quote)),
    );
    // Nothing traded: nothing sent. Then one trade of symbol 1: its quote alone, the newest state.
    quoter.tick(sessions);
    expect(quotes(peer)).toHaveLength(2);
    fixture.trade(1, 3);
    quoter.tick(sessions);
    const latest = quotes(peer).at(-1);
    expect(quotes(peer)).toHaveLength(3);
    expect(latest?.symbolId).toBe(fixture.universe[1]?.id);
    expect(latest?.tradeCount).toBe(13);
    expect(fixture.stats.quotesPublished).toBe(3);
  });

  it('holds the quotes of a connection that is behind, and catches it up with the newest only', () => {
    const fixture = new GatewayFixture(10);
    const publisher = new FakePublisher();
    const quoter = new QuotePublisher(
      publisher,
      fixture.registry,
      fixture.histories,
      fixture.stats,
    );
    const slow = quoteHolder(fixture, publisher, [0]);
    const fast = quoteHolder(fixture, publisher, [0]);
    const sessions = new Set([slow.session, fast.session]);
    slow.peer.buffered = 1; // the kernel refused its last write: it is behind
    for (let interval = 0; interval < 5; interval++) {
      fixture.trade(0);
      quoter.tick(sessions);
    }
    expect(quotes(fast.peer)).toHaveLength(5);
    expect(quotes(slow.peer)).toHaveLength(0);
    expect(slow.session.quotesHeld).toBe(true);
    expect(slow.peer.topics.size).toBe(0);
    // It reads on: one quote, the newest, and it is back in its topic.
    slow.peer.buffered = 0;
    quoter.catchUp(slow.session);
    expect(quotes(slow.peer)).toEqual([quotes(fast.peer).at(-1)]);
    expect(slow.peer.topics).toEqual(new Set([fixture.registry.topic(0, View.Quote)]));
    fixture.trade(0);
    quoter.tick(sessions);
    expect(quotes(slow.peer)).toHaveLength(2);
  });

  it('does not catch up a connection for which anything is still held', () => {
    const fixture = new GatewayFixture(10);
    const publisher = new FakePublisher();
    const quoter = new QuotePublisher(
      publisher,
      fixture.registry,
      fixture.histories,
      fixture.stats,
    );
    const slow = quoteHolder(fixture, publisher, [0]);
    slow.peer.buffered = 1;
    quoter.tick(new Set([slow.session]));
    fixture.trade(0);
    quoter.tick(new Set([slow.session]));
    quoter.catchUp(slow.session);
    expect(slow.session.quotesHeld).toBe(true);
    expect(slow.peer.sent).toEqual([]);
  });
});

describe('QuotePublisher.afterFlush', () => {
  it('publishes once a quote interval has passed, flush after flush', () => {
    const fixture = new GatewayFixture(10);
    const publisher = new FakePublisher();
    const quoter = new QuotePublisher(
      publisher,
      fixture.registry,
      fixture.histories,
      fixture.stats,
    );
    const { session, peer } = quoteHolder(fixture, publisher, [0]);
    const sessions = new Set([session]);
    // Twenty 50 ms flushes with a trade each: a second, so four quotes (every fifth flush),
    // even with a few milliseconds of timer jitter.
    for (let flush = 0; flush < 20; flush++) {
      fixture.trade(0);
      quoter.afterFlush(sessions, fixture.time + flush * 50 + (flush % 3));
    }
    expect(quotes(peer)).toHaveLength(4);
  });
});
