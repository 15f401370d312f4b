/**
 * Views end to end against the real feed server: the quote view, moves between views,
 * coalesced requests, per-symbol refusals and resubscribing after a restart.
 *
 * These need the server's view support (docs/PROTOCOL.md "Views": view subscribe 0x85, symbol
 * refusals, quote snapshots and quotes, hello limits 6–9). Against a server without it they fail,
 * starting with the first test, which says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { secretKey, signToken } from '@ticker/feed-server';
import type { FeedServer, ServerConfig } from '@ticker/feed-server';
import {
  ErrorCode,
  LimitId,
  MessageType,
  View,
  decodeQuoteSnapshot,
  decodeSymbolDirectory,
  decodeTickBatch,
  decodeViewSubscribe,
  encodeSymbolDirectory,
  helloLimit,
} from '@ticker/protocol';
import type { Quote } from '@ticker/protocol';
import type {
  FeedClient,
  FeedError,
  Subscription,
  SubscriptionEvents,
  SubscriptionStateChange,
  WebSocketConstructor,
  WebSocketLike,
} from '../src/index.js';
import { FaultProxy } from './fault-proxy.js';
import { NodeWebSocket, batchesOf, feedClient, feedServer, freePort, until } from './harness.js';

const servers: FeedServer[] = [];
const clients: FeedClient[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(port = 0, overrides: Partial<ServerConfig> = {}) {
  const server = feedServer(port, overrides);
  servers.push(server);
  return { server, port: await server.listen() };
}

/** Every frame the client's sockets sent and received, in order, across reconnects. */
interface Wiretap {
  readonly WebSocket: WebSocketConstructor;
  readonly sent: Uint8Array[];
  readonly received: Uint8Array[];
}

function wiretap(): Wiretap {
  const sent: Uint8Array[] = [];
  const received: Uint8Array[] = [];
  // A constructor that returns a real `ws` socket with its traffic recorded.
  function Tapped(url: string, protocols: string[]): WebSocketLike {
    const socket = new NodeWebSocket(url, protocols) as WebSocketLike & {
      addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
    };
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      sent.push(data.slice());
      send(data);
    };
    socket.addEventListener('message', ({ data }) => {
      if (data instanceof ArrayBuffer) received.push(new Uint8Array(data.slice(0)));
    });
    return socket;
  }
  return { WebSocket: Tapped as unknown as WebSocketConstructor, sent, received };
}

/** Resolves with the first value `pick` returns for a subscription's event. */
function untilSub<K extends keyof SubscriptionEvents, T>(
  subscription: Subscription,
  event: K,
  pick: (payload: SubscriptionEvents[K]) => T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `timed out waiting for ${what} (${subscription.ticker} is ${subscription.state})`,
        ),
      );
    }, timeoutMs);
    const off = subscription.on(event, (payload) => {
      const value = pick(payload);
      if (value === undefined) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

const subscribed = (subscription: Subscription, what: string) =>
  untilSub(
    subscription,
    'state',
    (change) => (change.newState === 'subscribed' ? change : undefined),
    what,
  );

const ascending = (values: ReadonlyArray<number | undefined>) =>
  [...values].sort((a, b) => (a ?? 0) - (b ?? 0));

const viewSubscribes = (frames: readonly Uint8Array[]) =>
  frames.filter((f) => f[1] === MessageType.ViewSubscribe).map((f) => decodeViewSubscribe(f));

describe('views against the real feed server', () => {
  it('talks to a server that announces views in its hello', async () => {
    const { port } = await startServer();
    const client = feedClient(`ws://127.0.0.1:${port}/ws`);
    clients.push(client);
    const hello = until(client, 'hello', (h) => h, 'hello');
    client.connect();
    // Without QuoteIntervalMs the client takes the server for one without views (and these
    // tests cannot pass): the server's view support has not landed.
    expect(helloLimit(await hello, LimitId.QuoteIntervalMs)).toBeGreaterThan(0);
    expect(helloLimit(await hello, LimitId.ControlMessageBurst)).toBeGreaterThan(0);
  });

  it('holds a symbol in the quote view: a quote snapshot, then quotes, and no batches', async () => {
    const { port } = await startServer();
    const tap = wiretap();
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, { WebSocket: tap.WebSocket });
    clients.push(client);
    client.connect();
    const btc = client.subscription('BTC-USD', { view: View.Quote });
    const snapshot = untilSub(btc, 'quoteSnapshot', (s) => s, 'quote snapshot');
    const ready = subscribed(btc, 'BTC subscribed as a quote');
    btc.subscribe();
    expect((await ready).reason).toBe('snapshot');
    const id = client.symbol('BTC-USD')?.id;
    expect((await snapshot).symbolId).toBe(id);
    expect((await snapshot).session.startTime).toBeGreaterThan(0);

    const quotes: Quote[] = [];
    const clientQuotes: Quote[] = [];
    client.on('quote', (quote) => clientQuotes.push(quote));
    await untilSub(btc, 'quote', (q) => (quotes.push(q) >= 3 ? true : undefined), 'three quotes');
    for (const quote of quotes) {
      expect(quote.symbolId).toBe(id);
      expect(quote.last).toBeGreaterThan(0);
      expect(quote.low).toBeLessThanOrEqual(quote.last);
      expect(quote.high).toBeGreaterThanOrEqual(quote.last);
    }
    expect(clientQuotes.slice(0, 3)).toEqual(quotes);
    expect(viewSubscribes(tap.sent)).toEqual([
      { requestId: expect.any(Number) as number, view: View.Quote, symbolIds: [id] },
    ]);
    expect(tap.received.filter((f) => f[1] === MessageType.TickBatch)).toEqual([]);
  });

  it('moves a symbol between views with one view subscribe each way and no unsubscribe', async () => {
    const { port } = await startServer();
    const tap = wiretap();
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, { WebSocket: tap.WebSocket });
    clients.push(client);
    client.connect();
    const btc = client.subscription('BTC-USD');
    const changes: SubscriptionStateChange[] = [];
    btc.on('state', (change) => changes.push(change));
    btc.subscribe();
    await subscribed(btc, 'BTC subscribed as a chart');
    await batchesOf(client, 'BTC-USD', 3, 'BTC batches');
    const id = client.symbol('BTC-USD')?.id;

    btc.setView(View.Quote);
    await subscribed(btc, 'BTC subscribed as a quote');
    await untilSub(btc, 'quote', (q) => q, 'a quote');
    // Nothing of the chart view follows the quote snapshot.
    const quoteSnapshotAt = tap.received.findIndex(
      (f) => f[1] === MessageType.QuoteSnapshot && decodeQuoteSnapshot(f).symbolId === id,
    );
    expect(quoteSnapshotAt).toBeGreaterThan(0);
    const batchesAfter = tap.received
      .slice(quoteSnapshotAt)
      .filter((f) => f[1] === MessageType.TickBatch && decodeTickBatch(f).symbolId === id);
    expect(batchesAfter).toEqual([]);

    const gaps: unknown[] = [];
    btc.on('gap', (gap) => gaps.push(gap));
    btc.setView(View.Chart);
    await subscribed(btc, 'BTC subscribed as a chart again');
    await batchesOf(client, 'BTC-USD', 3, 'BTC batches again');
    expect(gaps).toEqual([]);
    expect(viewSubscribes(tap.sent).map((r) => r.view)).toEqual([
      View.Chart,
      View.Quote,
      View.Chart,
    ]);
    expect(tap.sent.filter((f) => f[1] === MessageType.Unsubscribe)).toEqual([]);
    expect(changes.map((c) => `${c.newState}:${c.reason}`)).toEqual([
      'subscribing:subscribe',
      'subscribed:snapshot',
      'subscribing:view-change',
      'subscribed:snapshot',
      'subscribing:view-change',
      'subscribed:snapshot',
    ]);
  });

  it('sends 50 subscriptions made at once as one request, and subscribes every one', async () => {
    const { port } = await startServer();
    const tap = wiretap();
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, { WebSocket: tap.WebSocket });
    clients.push(client);
    const errors: FeedError[] = [];
    client.on('error', (error) => errors.push(error));
    const directory = until(client, 'directory', (d) => d, 'directory');
    client.connect();
    const tickers = (await directory).symbols.slice(0, 50).map((s) => s.ticker);
    expect(tickers).toHaveLength(50);
    const subscriptions = tickers.map((ticker, i) =>
      client.subscription(ticker, { view: i % 2 === 0 ? View.Chart : View.Quote }),
    );
    const all = Promise.all(subscriptions.map((s) => subscribed(s, `${s.ticker} subscribed`)));
    for (const subscription of subscriptions) subscription.subscribe();
    await all;
    const requests = viewSubscribes(tap.sent);
    expect(requests.map((r) => [r.view, r.symbolIds.length])).toEqual([
      [View.Chart, 25],
      [View.Quote, 25],
    ]);
    expect(errors).toEqual([]);
  });

  it('refuses only the symbols outside the access token; the others stream', async () => {
    const key = secretKey('a test secret that is long enough for HS256 use');
    const { port } = await startServer(0, { access: { secret: key, allowedOrigins: [] } });
    const token = await signToken(key, { ttlSeconds: 3_600, symbols: ['BTC-USD', 'SOL-USD'] });
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, { token });
    clients.push(client);
    client.connect();
    const btc = client.subscription('BTC-USD');
    const eth = client.subscription('ETH-USD', { view: View.Quote });
    const refused = untilSub(
      eth,
      'state',
      (change) => (change.reason === 'refused' ? change : undefined),
      'ETH refused',
    );
    const ready = subscribed(btc, 'BTC subscribed');
    btc.subscribe();
    eth.subscribe();
    expect((await refused).error?.code).toBe(ErrorCode.Forbidden);
    await ready;
    await batchesOf(client, 'BTC-USD', 2, 'BTC batches');
    expect(eth.state).toBe('unsubscribed');

    // The ticker-array call: rejected with the server's code, the covered ticker subscribed.
    await expect(client.subscribe(['SOL-USD', 'XRP-USD'])).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(client.subscription('SOL-USD').state).not.toBe('unsubscribed');
    await batchesOf(client, 'SOL-USD', 2, 'SOL batches');
  });

  it('takes a per-symbol refusal for a symbol the server does not know', async () => {
    const { port } = await startServer();
    const proxy = await FaultProxy.start(`ws://127.0.0.1:${port}/ws`);
    proxies.push(proxy);
    // The client's directory lists a symbol the server has never heard of.
    proxy.rewriteFromServer = (frame) => {
      if (frame[1] !== MessageType.SymbolDirectory) return frame;
      const directory = decodeSymbolDirectory(frame);
      const ghost = { ...directory.symbols[0], id: 60_000, ticker: 'GHOST', name: 'Ghost' };
      return encodeSymbolDirectory({ symbols: [...directory.symbols, ghost] } as never);
    };
    const client = feedClient(proxy.url);
    clients.push(client);
    client.connect();
    const ghost = client.subscription('GHOST', { view: View.Quote });
    const btc = client.subscription('BTC-USD', { view: View.Quote });
    const refused = untilSub(
      ghost,
      'state',
      (c) => (c.reason === 'refused' ? c : undefined),
      'GHOST refused',
    );
    const ready = subscribed(btc, 'BTC subscribed');
    ghost.subscribe();
    btc.subscribe();
    const { error } = await refused;
    expect(error?.code).toBe(ErrorCode.UnknownSymbol);
    expect(error?.message).toMatch(/60000/);
    await ready;
  });

  it('resubscribes both views after the server restarts, one request per view', async () => {
    const port = await freePort();
    await startServer(port);
    const tap = wiretap();
    const client = feedClient(`ws://127.0.0.1:${port}/ws`, { WebSocket: tap.WebSocket });
    clients.push(client);
    client.connect();
    const charts = ['BTC-USD', 'ETH-USD'].map((t) => client.subscription(t));
    const quotes = ['SOL-USD', 'XRP-USD'].map((t) => client.subscription(t, { view: View.Quote }));
    const every = [...charts, ...quotes];
    const first = Promise.all(every.map((s) => subscribed(s, `${s.ticker} subscribed`)));
    for (const subscription of every) subscription.subscribe();
    await first;

    const lost = Promise.all(
      every.map((s) =>
        untilSub(s, 'state', (c) => (c.reason === 'connection-lost' ? c : undefined), 'lost'),
      ),
    );
    await servers.splice(0, 1)[0]?.close();
    await lost;
    const sentBefore = tap.sent.length;
    const again = Promise.all(every.map((s) => subscribed(s, `${s.ticker} subscribed again`)));
    await startServer(port);
    await again;
    const requests = viewSubscribes(tap.sent.slice(sentBefore));
    expect(ascending(requests.map((r) => r.view))).toEqual([View.Chart, View.Quote]);
    const ids = (tickers: string[]) => ascending(tickers.map((t) => client.symbol(t)?.id));
    expect(ascending(requests.find((r) => r.view === View.Chart)?.symbolIds ?? [])).toEqual(
      ids(['BTC-USD', 'ETH-USD']),
    );
    expect(ascending(requests.find((r) => r.view === View.Quote)?.symbolIds ?? [])).toEqual(
      ids(['SOL-USD', 'XRP-USD']),
    );
  });
});
