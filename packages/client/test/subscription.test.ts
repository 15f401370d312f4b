import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CloseCode,
  ErrorCode,
  LimitId,
  MessageType,
  View,
  decodeResync,
  decodeSubscribe,
  encodeHeartbeat,
} from '@ticker/protocol';
import type { Quote, QuoteSnapshot, Snapshot } from '@ticker/protocol';
import { ClientErrorCode, FeedClient, FeedError, isClientErrorCode } from '../src/index.js';
import type {
  FeedClientOptions,
  SequenceGap,
  Subscription,
  SubscriptionStateChange,
} from '../src/index.js';
import {
  AAPL,
  AAPL_INFO,
  BTC,
  BTC_INFO,
  ETH,
  ETH_INFO,
  FakeSocket,
  LEGACY_SERVER_LIMITS,
  VIEW_SERVER_LIMITS,
  settle,
  symbolInfo,
} from './fake-socket.js';
import type { GreetOptions } from './fake-socket.js';

const SOL = 4;
const SOL_INFO = symbolInfo(SOL, 'SOL-USD');
const DIRECTORY = [BTC_INFO, ETH_INFO, AAPL_INFO, SOL_INFO];
/** Symbols 101, 102, … named S101, S102, …: a dashboard's worth and more. */
const many = (count: number) =>
  Array.from({ length: count }, (_, i) => symbolInfo(101 + i, `S${101 + i}`));

/** Timers and both clocks are fake, as in reconnect.test.ts: no test waits in real time. */
beforeEach(() => {
  FakeSocket.created.length = 0;
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

function connect(greet: GreetOptions = {}, options: Partial<FeedClientOptions> = {}) {
  const client = new FeedClient({
    url: 'ws://a/ws',
    WebSocket: FakeSocket,
    reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
    pingIntervalMs: 0,
    ...options,
  });
  const errors: FeedError[] = [];
  client.on('error', (error) => errors.push(error));
  client.connect();
  const socket = FakeSocket.last;
  socket.greet(5_000, Date.now(), { symbols: DIRECTORY, ...greet });
  return { client, socket, errors };
}

/** Every state change of `subscription`, as `old>new:reason`. */
function transitions(subscription: Subscription): string[] {
  const seen: string[] = [];
  subscription.on('state', ({ oldState, newState, reason }) => {
    seen.push(`${oldState}>${newState}:${reason}`);
  });
  return seen;
}

function stateChanges(subscription: Subscription): SubscriptionStateChange[] {
  const seen: SubscriptionStateChange[] = [];
  subscription.on('state', (change) => seen.push(change));
  return seen;
}

/** Drops the connection, waits out the retry delay and greets on the new socket. */
function reconnect(client: FeedClient, greet: GreetOptions = {}): FakeSocket {
  const before = FakeSocket.last;
  let delay = 0;
  const off = client.on('state', (change) => {
    if (change.retryInMs !== undefined) delay = change.retryInMs;
  });
  before.drop();
  off();
  vi.advanceTimersByTime(Math.max(1, delay));
  const socket = FakeSocket.last;
  if (socket === before) throw new Error('the client did not reconnect');
  socket.greet(5_000, Date.now(), { symbols: DIRECTORY, ...greet });
  return socket;
}

describe('Subscription state', () => {
  it('is subscribing from subscribe() through the ack, and subscribed at its snapshot', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    expect(btc.state).toBe('unsubscribed');
    expect(btc.view).toBe(View.Chart);
    expect(btc.symbolId).toBe(BTC);
    const seen = transitions(btc);
    const order: string[] = [];
    btc.on('snapshot', () => order.push('snapshot'));
    btc.on('state', (change) => order.push(change.newState));

    btc.subscribe();
    btc.subscribe(); // already subscribing: no second event, no second request
    expect(btc.state).toBe('subscribing');
    await settle();
    expect(socket.viewSubscribes()).toEqual([
      { requestId: expect.any(Number) as number, view: View.Chart, symbolIds: [BTC] },
    ]);
    socket.answerViewSubscribe();
    expect(btc.state).toBe('subscribing'); // acked, but no data yet
    socket.snapshot(BTC, 10);
    expect(btc.state).toBe('subscribed');
    // The data comes first, so a `subscribed` listener can read it.
    expect(order).toEqual(['subscribing', 'snapshot', 'subscribed']);

    btc.unsubscribe();
    btc.unsubscribe();
    expect(seen).toEqual([
      'unsubscribed>subscribing:subscribe',
      'subscribing>subscribed:snapshot',
      'subscribed>unsubscribed:unsubscribe',
    ]);
    client.close();
  });

  it('waits for a snapshot that comes long after the ack without treating it as an error', async () => {
    const { client, socket, errors } = connect();
    const btc = client.subscription('BTC-USD');
    const subscriptionErrors: FeedError[] = [];
    btc.on('error', (error) => subscriptionErrors.push(error));
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();
    const framesAfterAck = socket.sent.length;
    // A minute of heartbeats and nothing else: the server's snapshot budget is busy elsewhere.
    for (let second = 0; second < 60; second += 4) {
      vi.advanceTimersByTime(4_000);
      socket.deliver(encodeHeartbeat({ serverTime: Date.now() }));
    }
    await settle();
    expect(client.state).toBe('open');
    expect(btc.state).toBe('subscribing');
    expect(socket.sent).toHaveLength(framesAfterAck); // no retry, no resync
    expect(errors).toEqual([]);
    expect(subscriptionErrors).toEqual([]);

    socket.snapshot(BTC, 500, socket.viewSubscribes()[0]?.requestId);
    expect(btc.state).toBe('subscribed');
    client.close();
  });

  it('goes back to subscribing on a lost connection and resubscribes, one request per view', async () => {
    const { client, socket } = connect();
    const charts = [client.subscription('BTC-USD'), client.subscription('ETH-USD')];
    const quotes = [
      client.subscription('AAPL', { view: View.Quote }),
      client.subscription('SOL-USD', { view: View.Quote }),
    ];
    for (const subscription of [...charts, ...quotes]) subscription.subscribe();
    await settle();
    socket.answer(socket.viewSubscribes()[0]?.requestId ?? -1);
    socket.answer(socket.viewSubscribes()[1]?.requestId ?? -1);
    socket.snapshot(BTC, 1);
    socket.snapshot(ETH, 1);
    socket.quoteSnapshot(AAPL);
    socket.quoteSnapshot(SOL);
    const btcSeen = transitions(charts[0] as Subscription);
    for (const subscription of [...charts, ...quotes])
      expect(subscription.state).toBe('subscribed');

    const next = reconnect(client);
    for (const subscription of [...charts, ...quotes])
      expect(subscription.state).toBe('subscribing');
    expect(btcSeen).toEqual(['subscribed>subscribing:connection-lost']);
    await settle();
    const requests = next.viewSubscribes();
    expect(requests).toHaveLength(2);
    const byView = new Map(requests.map((r) => [r.view, [...r.symbolIds].sort((a, b) => a - b)]));
    expect(byView.get(View.Chart)).toEqual([BTC, ETH]);
    expect(byView.get(View.Quote)).toEqual([AAPL, SOL]);
    expect(next.sent).toHaveLength(2); // nothing else: no unsubscribes on a fresh connection

    for (const request of requests) next.answer(request.requestId);
    next.snapshot(BTC, 40);
    next.quoteSnapshot(AAPL);
    expect(charts[0]?.state).toBe('subscribed');
    expect(quotes[0]?.state).toBe('subscribed');
    expect(charts[1]?.state).toBe('subscribing'); // its snapshot is still to come
    expect(btcSeen).toEqual([
      'subscribed>subscribing:connection-lost',
      'subscribing>subscribed:snapshot',
    ]);
    client.close();
  });

  it('keeps a ticker missing from a new directory subscribing and reports it', async () => {
    const { client, socket, errors } = connect();
    const btc = client.subscription('BTC-USD');
    const eth = client.subscription('ETH-USD');
    const ethErrors: FeedError[] = [];
    eth.on('error', (error) => ethErrors.push(error));
    btc.subscribe();
    eth.subscribe();
    await settle();
    socket.answerViewSubscribe();

    const next = reconnect(client, { symbols: [BTC_INFO, AAPL_INFO] });
    await settle();
    expect(next.viewSubscribes().map((r) => r.symbolIds)).toEqual([[BTC]]);
    expect(eth.state).toBe('subscribing');
    expect(ethErrors.map((e) => e.code)).toEqual([ErrorCode.UnknownSymbol]);
    expect(errors.at(-1)?.message).toMatch(/ETH-USD/);

    // The next server has it again: it is asked for without anyone calling subscribe().
    const third = reconnect(client);
    await settle();
    expect([...(third.viewSubscribes()[0]?.symbolIds ?? [])].sort((a, b) => a - b)).toEqual([
      BTC,
      ETH,
    ]);
    client.close();
  });

  it("ends unsubscribed with 'client-closed' when the client closes, and can subscribe again", async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    const seen = transitions(btc);
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 1);
    const pending = client.subscribe(['ETH-USD']).catch((e: unknown) => e);
    await settle();
    client.close();
    expect(btc.state).toBe('unsubscribed');
    expect(seen.at(-1)).toBe('subscribed>unsubscribed:client-closed');
    expect(((await pending) as FeedError).code).toBe(ClientErrorCode.Closed);
    expect(client.subscription('ETH-USD').state).toBe('unsubscribed');

    btc.subscribe(); // before connecting: asked for once the directory arrives
    client.connect();
    FakeSocket.last.greet(5_000, Date.now(), { symbols: DIRECTORY });
    await settle();
    expect(FakeSocket.last.viewSubscribes().map((r) => r.symbolIds)).toEqual([[BTC]]);
    client.close();
  });

  it('returns the existing subscription for a ticker, lists them, and removes one for good', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD', { view: View.Quote });
    expect(client.subscription('BTC-USD', { view: View.Chart })).toBe(btc);
    expect(btc.view).toBe(View.Quote); // an existing one is returned as it is
    const eth = client.subscription('ETH-USD');
    expect(client.subscriptions()).toEqual([btc, eth]);
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();

    const seen = transitions(btc);
    client.removeSubscription(btc);
    expect(seen).toEqual(['subscribing>unsubscribed:unsubscribe']);
    expect(client.subscriptions()).toEqual([eth]);
    await settle();
    expect(socket.unsubscribes().map((r) => r.symbolIds)).toEqual([[BTC]]);
    expect(() => {
      btc.subscribe();
    }).toThrow(/removed from its client/);
    const again = client.subscription('BTC-USD');
    expect(again).not.toBe(btc);
    expect(again.view).toBe(View.Chart);
    client.close();
  });

  it('rejects a view that does not exist', () => {
    const { client } = connect();
    expect(() => client.subscription('BTC-USD', { view: 7 as View })).toThrow(RangeError);
    expect(() => {
      client.subscription('ETH-USD').setView(2 as View);
    }).toThrow(/unknown view 2/);
    client.close();
  });
});

describe('coalescing', () => {
  it('sends the subscriptions of one tick as one view subscribe per view', async () => {
    const symbols = many(53);
    const { client, socket } = connect({ symbols });
    const charts = symbols.slice(0, 50).map((s) => client.subscription(s.ticker));
    const quotes = symbols
      .slice(50)
      .map((s) => client.subscription(s.ticker, { view: View.Quote }));
    for (const subscription of [...charts, ...quotes]) subscription.subscribe();
    expect(socket.sent).toEqual([]); // nothing before the tick ends
    await settle();
    expect(socket.sent).toHaveLength(2);
    const [chart, quote] = socket.viewSubscribes();
    expect(chart?.view).toBe(View.Chart);
    expect(chart?.symbolIds).toEqual(symbols.slice(0, 50).map((s) => s.id));
    expect(quote?.view).toBe(View.Quote);
    expect(quote?.symbolIds).toEqual(symbols.slice(50).map((s) => s.id));
    expect(chart?.requestId).not.toBe(quote?.requestId);

    for (const subscription of charts) subscription.unsubscribe();
    await settle();
    expect(socket.unsubscribes()).toHaveLength(1);
    expect(socket.unsubscribes()[0]?.symbolIds).toEqual(symbols.slice(0, 50).map((s) => s.id));
    client.close();
  });

  it('splits a request at the MaxSymbolsPerRequest the hello announces (256 by default)', async () => {
    const symbols = many(300);
    const { client, socket } = connect({ symbols });
    for (const s of symbols) client.subscription(s.ticker).subscribe();
    await settle();
    expect(socket.viewSubscribes().map((r) => r.symbolIds.length)).toEqual([256, 44]);
    client.close();

    const limits = VIEW_SERVER_LIMITS.map((limit) =>
      limit.id === LimitId.MaxSymbolsPerRequest ? { ...limit, value: 100 } : limit,
    );
    const small = connect({ symbols, limits });
    for (const s of symbols.slice(0, 250)) small.client.subscription(s.ticker).subscribe();
    await settle();
    const sizes = small.socket.viewSubscribes().map((r) => r.symbolIds.length);
    expect(sizes).toEqual([100, 100, 50]);
    small.client.close();
  });

  it('coalesces the ticker-array calls of one tick too', async () => {
    const { client, socket } = connect();
    const both = Promise.all([
      client.subscribe(['BTC-USD']),
      client.subscribe(['ETH-USD', 'AAPL']),
    ]);
    await settle();
    expect(socket.viewSubscribes()).toHaveLength(1);
    expect(socket.viewSubscribes()[0]?.symbolIds).toEqual([BTC, ETH, AAPL]);
    socket.answerViewSubscribe();
    await both;
    client.close();
  });
});

describe('refusals', () => {
  it('refuses exactly the symbols a refusals reply names; the others continue', async () => {
    const { client, socket, errors } = connect();
    const [btc, eth, aapl] = ['BTC-USD', 'ETH-USD', 'AAPL'].map((t) => client.subscription(t));
    if (!btc || !eth || !aapl) throw new Error('unreachable');
    const ethChanges = stateChanges(eth);
    for (const subscription of [btc, eth, aapl]) subscription.subscribe();
    await settle();
    const request = socket.answerViewSubscribe([[ETH, ErrorCode.Forbidden]]);

    expect(eth.state).toBe('unsubscribed');
    const refused = ethChanges.at(-1);
    expect(refused?.reason).toBe('refused');
    expect(refused?.error).toBeInstanceOf(FeedError);
    expect(refused?.error?.code).toBe(ErrorCode.Forbidden);
    expect(refused?.error?.requestId).toBe(request.requestId);
    expect(refused?.error?.message).toMatch(/ETH-USD/);
    expect(errors).toEqual([refused?.error]); // no promise to report it, so the client does

    socket.snapshot(BTC, 1);
    socket.snapshot(ETH, 1); // a snapshot it was never sent: ignored
    socket.snapshot(AAPL, 1);
    expect([btc.state, eth.state, aapl.state]).toEqual([
      'subscribed',
      'unsubscribed',
      'subscribed',
    ]);

    // Refused, so not asked for again after a reconnect.
    const next = reconnect(client);
    await settle();
    expect([...(next.viewSubscribes()[0]?.symbolIds ?? [])].sort((a, b) => a - b)).toEqual([
      BTC,
      AAPL,
    ]);
    client.close();
  });

  it('refuses every symbol of a request the server refuses whole', async () => {
    const { client, socket } = connect();
    const subscriptions = ['BTC-USD', 'ETH-USD'].map((t) => client.subscription(t));
    const changes = subscriptions.map(stateChanges);
    for (const subscription of subscriptions) subscription.subscribe();
    await settle();
    const request = socket.viewSubscribes()[0];
    socket.refuse(
      request?.requestId ?? -1,
      ErrorCode.LimitExceeded,
      'at most 20 messages per second',
    );
    for (const seen of changes) {
      expect(seen.at(-1)).toMatchObject({
        newState: 'unsubscribed',
        reason: 'refused',
        error: { code: ErrorCode.LimitExceeded, message: 'at most 20 messages per second' },
      });
    }
    client.close();
  });

  it("rejects subscribe(tickers) with the server's code; the other tickers stay subscribed", async () => {
    const { client, socket, errors } = connect();
    const pending = client.subscribe(['BTC-USD', 'ETH-USD']).catch((e: unknown) => e);
    await settle();
    socket.answerViewSubscribe([[ETH, ErrorCode.Forbidden]]);
    const error = await pending;
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(ErrorCode.Forbidden);
    expect((error as FeedError).message).toBe('your access token does not cover: ETH-USD');
    expect(errors).toEqual([]); // the promise reported it
    expect(client.subscription('BTC-USD').state).toBe('subscribing');
    expect(client.subscription('ETH-USD').state).toBe('unsubscribed');
    const snapshots: Snapshot[] = [];
    client.on('snapshot', (snapshot) => snapshots.push(snapshot));
    socket.snapshot(BTC, 1);
    expect(snapshots.map((s) => s.symbolId)).toEqual([BTC]);
    client.close();
  });

  it('lets the answer to a newer request decide, not a refusal of a superseded one', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    btc.subscribe();
    await settle();
    const chart = socket.viewSubscribes()[0];
    btc.setView(View.Quote); // before the chart request was answered
    await settle();
    const quote = socket.viewSubscribes()[1];
    expect(quote).toMatchObject({ view: View.Quote, symbolIds: [BTC] });
    socket.refuse(chart?.requestId ?? -1, ErrorCode.LimitExceeded, 'over the message rate');
    expect(btc.state).toBe('subscribing');
    socket.answer(quote?.requestId ?? -1);
    socket.quoteSnapshot(BTC, quote?.requestId);
    expect(btc.state).toBe('subscribed');
    client.close();
  });

  it('drops the old view of a symbol whose move was refused', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 1);
    btc.setView(View.Quote);
    client.subscription('ETH-USD', { view: View.Quote }).subscribe();
    await settle();
    const move = socket.viewSubscribes().at(-1);
    expect(move).toMatchObject({ view: View.Quote, symbolIds: [BTC, ETH] });
    socket.refuse(move?.requestId ?? -1, ErrorCode.LimitExceeded, 'at most 2 subscriptions');
    expect(btc.state).toBe('unsubscribed');
    await settle();
    // The server still holds BTC as a chart: the client tells it to let go.
    expect(socket.unsubscribes().map((r) => r.symbolIds)).toEqual([[BTC]]);
    client.close();
  });
});

describe('views', () => {
  it('moves a symbol to the quote view with one view subscribe and no unsubscribe', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    const seen = transitions(btc);
    const batches: number[] = [];
    const quotes: Quote[] = [];
    const clientQuotes: Quote[] = [];
    btc.on('batch', (batch) => batches.push(batch.seq));
    btc.on('quote', (quote) => quotes.push(quote));
    client.on('quote', (quote) => clientQuotes.push(quote));
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 10);
    socket.batch(BTC, 10);
    const framesBefore = socket.sent.length;

    btc.setView(View.Quote);
    expect(btc.view).toBe(View.Quote);
    expect(btc.state).toBe('subscribing');
    await settle();
    const sinceMove = socket.sent.slice(framesBefore);
    expect(sinceMove.map((frame) => frame[1])).toEqual([MessageType.ViewSubscribe]);
    expect(socket.viewSubscribes().at(-1)).toMatchObject({ view: View.Quote, symbolIds: [BTC] });
    socket.batch(BTC, 11); // sent before the server read the move: not for a quote subscription
    socket.answerViewSubscribe();
    socket.quoteSnapshot(BTC);
    socket.quote(BTC, 6_500_000);
    expect(batches).toEqual([10]);
    expect(quotes.map((q) => q.last)).toEqual([6_500_000]);
    expect(clientQuotes).toEqual(quotes);

    // And back: the chart restarts from its new snapshot, with no gap reported.
    const gaps: SequenceGap[] = [];
    btc.on('gap', (gap) => gaps.push(gap));
    btc.setView(View.Chart);
    await settle();
    expect(socket.viewSubscribes().at(-1)).toMatchObject({ view: View.Chart, symbolIds: [BTC] });
    expect(socket.unsubscribes()).toEqual([]);
    socket.quote(BTC, 6_500_100); // in flight: dropped
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 30);
    socket.batch(BTC, 30);
    expect(quotes).toHaveLength(1);
    expect(batches).toEqual([10, 30]);
    expect(gaps).toEqual([]);
    expect(seen).toEqual([
      'unsubscribed>subscribing:subscribe',
      'subscribing>subscribed:snapshot',
      'subscribed>subscribing:view-change',
      'subscribing>subscribed:snapshot',
      'subscribed>subscribing:view-change',
      'subscribing>subscribed:snapshot',
    ]);
    client.close();
  });

  it('delivers quote snapshots and quotes to the subscription and the client', async () => {
    const { client, socket } = connect();
    const aapl = client.subscription('AAPL', { view: View.Quote });
    const own: Array<QuoteSnapshot | Quote> = [];
    const all: Array<QuoteSnapshot | Quote> = [];
    const charts: Snapshot[] = [];
    aapl.on('quoteSnapshot', (snapshot) => own.push(snapshot));
    aapl.on('quote', (quote) => own.push(quote));
    aapl.on('snapshot', (snapshot) => charts.push(snapshot));
    client.on('quoteSnapshot', (snapshot) => all.push(snapshot));
    client.on('quote', (quote) => all.push(quote));
    aapl.subscribe();
    await settle();
    const request = socket.answerViewSubscribe();
    expect(request).toMatchObject({ view: View.Quote, symbolIds: [AAPL] });

    socket.snapshot(AAPL, 5); // a chart snapshot is not this view's
    expect(aapl.state).toBe('subscribing');
    socket.quoteSnapshot(AAPL, request.requestId);
    expect(aapl.state).toBe('subscribed');
    socket.quote(AAPL, 18_950);
    socket.quote(ETH, 1); // another symbol's, not subscribed: nobody hears it
    expect(charts).toEqual([]);
    expect(own).toHaveLength(2);
    expect(own[0]).toMatchObject({ requestId: request.requestId, symbolId: AAPL });
    expect(own[1]).toMatchObject({ symbolId: AAPL, last: 18_950 });
    expect(all).toEqual(own);
    client.close();
  });
});

describe('unsubscribe while subscribing', () => {
  it('sends nothing when both happen in the same tick', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    const seen = transitions(btc);
    btc.subscribe();
    btc.unsubscribe();
    await settle();
    expect(socket.sent).toEqual([]);
    expect(seen).toEqual([
      'unsubscribed>subscribing:subscribe',
      'subscribing>unsubscribed:unsubscribe',
    ]);
    client.close();
  });

  it('unsubscribes a request already sent and ignores its late answer and snapshot', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    const seen = transitions(btc);
    const snapshots: Snapshot[] = [];
    btc.on('snapshot', (s) => snapshots.push(s));
    client.on('snapshot', (s) => snapshots.push(s));
    btc.subscribe();
    await settle();
    const request = socket.viewSubscribes()[0];
    btc.unsubscribe();
    await settle();
    expect(socket.unsubscribes().map((r) => r.symbolIds)).toEqual([[BTC]]);
    socket.answer(request?.requestId ?? -1);
    socket.snapshot(BTC, 3, request?.requestId);
    socket.batch(BTC, 3);
    expect(btc.state).toBe('unsubscribed');
    expect(snapshots).toEqual([]);
    expect(seen.at(-1)).toBe('subscribing>unsubscribed:unsubscribe');
    client.close();
  });

  it('drops and holds again a symbol unsubscribed and subscribed in one tick, for a fresh snapshot', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 1);
    const before = socket.sent.length;
    btc.unsubscribe();
    btc.subscribe();
    await settle();
    // A subscribe of a symbol already held in its view brings no snapshot, so drop it first.
    expect(socket.sent.slice(before).map((frame) => frame[1])).toEqual([
      MessageType.Unsubscribe,
      MessageType.ViewSubscribe,
    ]);
    expect(btc.state).toBe('subscribing');
    socket.answer(socket.unsubscribes()[0]?.requestId ?? -1);
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 9);
    expect(btc.state).toBe('subscribed');
    client.close();
  });

  it('resolves unsubscribe(tickers) on the ack', async () => {
    const { client, socket } = connect();
    await Promise.all([
      client.subscribe(['BTC-USD']),
      settle().then(() => socket.answerViewSubscribe()),
    ]);
    let done = false;
    const unsubscribed = client.unsubscribe(['BTC-USD']).then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);
    socket.answer(socket.unsubscribes()[0]?.requestId ?? -1);
    await unsubscribed;
    expect(done).toBe(true);
    client.close();
  });
});

describe('sequence checking per chart subscription', () => {
  it('reports a gap and sends one resync per subscription, until its snapshot arrives', async () => {
    const { client, socket } = connect();
    const btc = client.subscription('BTC-USD');
    const eth = client.subscription('ETH-USD');
    const btcGaps: SequenceGap[] = [];
    const ethGaps: SequenceGap[] = [];
    const allGaps: SequenceGap[] = [];
    const resyncs: number[] = [];
    btc.on('gap', (gap) => btcGaps.push(gap));
    eth.on('gap', (gap) => ethGaps.push(gap));
    client.on('gap', (gap) => allGaps.push(gap));
    btc.on('resync', (resync) => resyncs.push(resync.nextSeq));
    btc.subscribe();
    eth.subscribe();
    await settle();
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 10);
    socket.snapshot(ETH, 20);
    const resyncsSent = () => socket.framesOf(MessageType.Resync).map((f) => decodeResync(f));

    for (const seq of [10, 13, 14, 16]) socket.batch(BTC, seq); // 11, 12 and 15 lost
    for (const seq of [20, 25, 27]) socket.batch(ETH, seq);
    expect(btcGaps).toEqual([{ symbolId: BTC, expected: 11, received: 13 }]);
    expect(ethGaps).toEqual([{ symbolId: ETH, expected: 21, received: 25 }]);
    expect(allGaps).toEqual([...btcGaps, ...ethGaps]);
    expect(resyncsSent().map((r) => r.symbolId)).toEqual([BTC, ETH]);
    expect(client.metrics().gaps).toBe(2);

    const btcResync = resyncsSent()[0];
    socket.snapshot(BTC, 40, btcResync?.requestId);
    expect(resyncs).toEqual([40]);
    socket.batch(BTC, 40);
    socket.batch(BTC, 42); // a new gap after the resync: a new resync
    socket.batch(ETH, 28); // ETH is still waiting for its own
    expect(resyncsSent().map((r) => r.symbolId)).toEqual([BTC, ETH, BTC]);
    expect(btc.state).toBe('subscribed');
    client.close();
  });

  it("reports a refused resync on the subscription's error event", async () => {
    const { client, socket, errors } = connect();
    const btc = client.subscription('BTC-USD');
    const btcErrors: FeedError[] = [];
    btc.on('error', (error) => btcErrors.push(error));
    btc.subscribe();
    await settle();
    socket.answerViewSubscribe();
    socket.snapshot(BTC, 10);
    socket.batch(BTC, 12);
    const resync = decodeResync(socket.framesOf(MessageType.Resync)[0] ?? new Uint8Array());
    socket.refuse(resync.requestId, ErrorCode.Unavailable, 'paused as a slow consumer');
    expect(btcErrors.map((e) => e.code)).toEqual([ErrorCode.Unavailable]);
    expect(errors.map((e) => e.code)).toEqual([ErrorCode.Unavailable]);
    expect(btc.state).toBe('subscribed'); // the snapshot follows unasked
    client.close();
  });
});

describe('error codes', () => {
  it("numbers the client's own codes from 100, apart from every wire and close code", () => {
    const own = Object.values(ClientErrorCode);
    expect(own.length).toBeGreaterThan(0);
    for (const code of own) {
      expect(code).toBeGreaterThanOrEqual(100);
      expect(code).toBeLessThan(1000); // not a WebSocket close code either
      expect(isClientErrorCode(code)).toBe(true);
    }
    expect(new Set(own).size).toBe(own.length);
    for (const code of Object.values(ErrorCode)) {
      expect(code).toBeLessThan(100);
      expect(isClientErrorCode(code)).toBe(false);
    }
    for (const code of Object.values(CloseCode)) expect(isClientErrorCode(code)).toBe(false);
  });

  it('rejects a subscribe cut short by a lost connection with ConnectionLost (100)', async () => {
    const { client } = connect();
    const pending = client.subscribe(['BTC-USD']).catch((e: unknown) => e);
    await settle();
    FakeSocket.last.drop();
    const error = await pending;
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe(100);
    expect((error as FeedError).code).toBe(ClientErrorCode.ConnectionLost);
    expect(client.subscription('BTC-USD').state).toBe('subscribing'); // resumes on reconnect
    client.close();
  });
});

describe('a server without views', () => {
  it('subscribes charts with the plain subscribe, one request per ticker-array call', async () => {
    const { client, socket } = connect({ limits: LEGACY_SERVER_LIMITS });
    const first = client.subscribe(['BTC-USD']);
    const second = client.subscribe(['ETH-USD']);
    await settle();
    expect(socket.viewSubscribes()).toEqual([]);
    const requests = socket.framesOf(MessageType.Subscribe).map((f) => decodeSubscribe(f));
    // All or nothing there: one refused ticker must not take another call's down with it.
    expect(requests.map((r) => r.symbolIds)).toEqual([[BTC], [ETH]]);
    socket.refuse(requests[1]?.requestId ?? -1, ErrorCode.Forbidden, 'not covered: ETH-USD');
    socket.answer(requests[0]?.requestId ?? -1);
    await first;
    await expect(second).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(client.subscription('BTC-USD').state).toBe('subscribing');
    expect(client.subscription('ETH-USD').state).toBe('unsubscribed');
    client.close();
  });

  it('refuses the quote view with ViewsUnsupported, and drops a chart moved to it', async () => {
    const { client, socket } = connect({ limits: LEGACY_SERVER_LIMITS });
    const aapl = client.subscription('AAPL', { view: View.Quote });
    const aaplChanges = stateChanges(aapl);
    const btc = client.subscription('BTC-USD');
    aapl.subscribe();
    btc.subscribe();
    await settle();
    expect(socket.sent.map((frame) => frame[1])).toEqual([MessageType.Subscribe]);
    expect(aaplChanges.at(-1)).toMatchObject({
      reason: 'refused',
      error: { code: ClientErrorCode.ViewsUnsupported },
    });
    socket.ackSubscribe();
    socket.snapshot(BTC, 1);
    btc.setView(View.Quote);
    await settle();
    expect(btc.state).toBe('unsubscribed');
    await settle();
    expect(socket.unsubscribes().map((r) => r.symbolIds)).toEqual([[BTC]]);
    client.close();
  });
});
