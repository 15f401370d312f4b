import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  MessageType,
  View,
  decodeAck,
  decodeErrorReply,
  decodeQuote,
  decodeQuoteSnapshot,
  decodeSnapshot,
  decodeSymbolRefusals,
  decodeTickBatch,
  encodeResync,
  encodeSubscribe,
  encodeUnsubscribe,
  encodeViewSubscribe,
} from '@ticker/protocol';
import { secretKey, signToken } from '../src/auth/tokens.js';
import { DEFAULT_CONNECTION_LIMITS } from '../src/config.js';
import type { FeedServer, ServerConfig } from '../src/transport/feed-server.js';
import { TestSocket, startServer, typeOf } from './harness.js';

const BTC = 1;
const ETH = 2;
const UNKNOWN = 9_999;

let server: FeedServer | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await server?.close();
  server = null;
});

async function serve(overrides: Partial<ServerConfig> = {}): Promise<string> {
  const started = await startServer({ tickRate: 5_000, ...overrides });
  server = started.server;
  return started.url;
}

async function connect(url: string, options: { protocols?: string[] } = {}): Promise<TestSocket> {
  const socket = await TestSocket.open(url, options);
  sockets.push(socket);
  return socket;
}

const of = (client: TestSocket, frame: Uint8Array): number => client.frames.indexOf(frame);
const isQuoteOf = (id: number) => (f: Uint8Array) =>
  typeOf(f) === MessageType.Quote && decodeQuote(f).symbolId === id;
const isBatchOf = (id: number) => (f: Uint8Array) =>
  typeOf(f) === MessageType.TickBatch && decodeTickBatch(f).symbolId === id;
const isSnapshotOf = (id: number) => (f: Uint8Array) =>
  typeOf(f) === MessageType.Snapshot && decodeSnapshot(f).symbolId === id;
const isQuoteSnapshotOf = (id: number) => (f: Uint8Array) =>
  typeOf(f) === MessageType.QuoteSnapshot && decodeQuoteSnapshot(f).symbolId === id;
const isAck = (requestId: number) => (f: Uint8Array) =>
  typeOf(f) === MessageType.Ack && decodeAck(f).requestId === requestId;

/** The frames after `frame` that `match` accepts. */
const after = (client: TestSocket, frame: Uint8Array, match: (f: Uint8Array) => boolean) =>
  client.frames.slice(of(client, frame) + 1).filter(match);

describe('the quote view', () => {
  it('sends a small snapshot, then conflated quotes a few times a second, and no batches', async () => {
    const url = await serve();
    const client = await connect(url);
    client.send(encodeViewSubscribe({ requestId: 5, view: View.Quote, symbolIds: [BTC] }));
    const ack = await client.next(isAck(5), 'the ack');
    const snapshotFrame = await client.next(isQuoteSnapshotOf(BTC), 'the quote snapshot');
    expect(of(client, snapshotFrame)).toBeGreaterThan(of(client, ack));
    const snapshot = decodeQuoteSnapshot(snapshotFrame);
    expect(snapshot.requestId).toBe(5);
    expect(snapshotFrame.length).toBeLessThan(400);
    expect(snapshot.closes.intervalMs).toBe(1_000);
    expect(snapshot.closes.points.length).toBeLessThanOrEqual(60);

    // Eight quotes: at least a quote interval (250 ms) apart, each the newest state.
    const quotes: Array<{ at: number; quote: ReturnType<typeof decodeQuote> }> = [];
    let last = snapshotFrame;
    while (quotes.length < 8) {
      last = await client.next(
        (f) => of(client, f) > of(client, last) && isQuoteOf(BTC)(f),
        'a quote',
      );
      quotes.push({ at: Date.now(), quote: decodeQuote(last) });
    }
    for (let i = 1; i < quotes.length; i++) {
      const [previous, current] = [quotes[i - 1], quotes[i]];
      if (!previous || !current) continue;
      expect(current.at - previous.at).toBeGreaterThanOrEqual(150); // timers jitter a little
      expect(current.quote.tradeCount).toBeGreaterThan(previous.quote.tradeCount);
      expect(current.quote.volume).toBeGreaterThan(previous.quote.volume);
      expect(current.quote.lastTime).toBeGreaterThanOrEqual(previous.quote.lastTime);
    }
    for (const { quote } of quotes) {
      expect(quote.low).toBeLessThanOrEqual(quote.last);
      expect(quote.last).toBeLessThanOrEqual(quote.high);
    }
    expect(client.frames.filter((f) => typeOf(f) === MessageType.TickBatch)).toEqual([]);
    expect(server?.stats.subscriptions).toEqual([0, 1]);
  });

  it('moves a symbol between views: from the ack on, only the new view arrives', async () => {
    const url = await serve();
    const client = await connect(url);
    client.send(encodeViewSubscribe({ requestId: 1, view: View.Quote, symbolIds: [BTC] }));
    await client.next(isQuoteOf(BTC), 'a first quote');

    client.send(encodeSubscribe({ requestId: 2, symbolIds: [BTC] })); // the plain subscribe: chart
    const toChart = await client.next(isAck(2), 'the ack of the move to chart');
    const chartSnapshot = await client.next(
      (f) => of(client, f) > of(client, toChart) && isSnapshotOf(BTC)(f),
      'the chart snapshot',
    );
    const firstBatch = decodeTickBatch(
      await client.next(
        (f) => of(client, f) > of(client, chartSnapshot) && isBatchOf(BTC)(f),
        'a batch',
      ),
    );
    expect(firstBatch.seq).toBe(decodeSnapshot(chartSnapshot).nextSeq);
    expect(after(client, toChart, isQuoteOf(BTC))).toEqual([]);
    // No batch before its snapshot: the topic was joined when the snapshot went out.
    expect(
      client.frames.slice(of(client, toChart), of(client, chartSnapshot)).filter(isBatchOf(BTC)),
    ).toEqual([]);

    client.send(encodeViewSubscribe({ requestId: 3, view: View.Quote, symbolIds: [BTC] }));
    const toQuote = await client.next(isAck(3), 'the ack of the move back');
    const quoteSnapshot = await client.next(
      (f) => of(client, f) > of(client, toQuote) && isQuoteSnapshotOf(BTC)(f),
      'the quote snapshot',
    );
    await client.next(
      (f) => of(client, f) > of(client, quoteSnapshot) && isQuoteOf(BTC)(f),
      'a quote again',
    );
    expect(after(client, toQuote, isBatchOf(BTC))).toEqual([]);
    expect(server?.stats.subscriptions).toEqual([0, 1]);
  });
});

describe('view subscribe', () => {
  it('applies what it can and names each symbol refused, with its code, once', async () => {
    const url = await serve();
    const client = await connect(url);
    client.send(
      encodeViewSubscribe({
        requestId: 7,
        view: View.Quote,
        symbolIds: [BTC, UNKNOWN, BTC, ETH, UNKNOWN],
      }),
    );
    const reply = decodeSymbolRefusals(
      await client.next((f) => typeOf(f) === MessageType.SymbolRefusals, 'the refusals'),
    );
    expect(reply).toEqual({
      requestId: 7,
      refusals: [{ symbolId: UNKNOWN, code: ErrorCode.UnknownSymbol }],
    });
    await client.next(isQuoteSnapshotOf(BTC), 'BTC applied');
    await client.next(isQuoteSnapshotOf(ETH), 'ETH applied');
    expect(client.frames.filter(isQuoteSnapshotOf(BTC))).toHaveLength(1);
    expect(server?.stats.rejectedRequests.get('unknown_symbol')).toBe(1);
  });

  it('refuses the symbols an access token does not cover, and applies the others', async () => {
    const key = secretKey('a test secret that is long enough for HS256 use');
    const url = await serve({ access: { secret: key, allowedOrigins: [] } });
    const jwt = await signToken(key, { ttlSeconds: 60, symbols: ['BTC-USD'] });
    const client = await connect(`${url}?token=${jwt}`);
    client.send(encodeViewSubscribe({ requestId: 3, view: View.Chart, symbolIds: [ETH, BTC] }));
    const reply = decodeSymbolRefusals(
      await client.next((f) => typeOf(f) === MessageType.SymbolRefusals, 'the refusals'),
    );
    expect(reply.refusals).toEqual([{ symbolId: ETH, code: ErrorCode.Forbidden }]);
    const snapshot = decodeSnapshot(await client.next(isSnapshotOf(BTC), 'BTC applied'));
    expect(snapshot.requestId).toBe(3);
  });

  it('refuses the whole request past the subscription limit, applying nothing', async () => {
    const url = await serve({ limits: { ...DEFAULT_CONNECTION_LIMITS, maxSubscriptions: 2 } });
    const client = await connect(url);
    client.send(encodeViewSubscribe({ requestId: 4, view: View.Quote, symbolIds: [1, 2, 3] }));
    const error = decodeErrorReply(
      await client.next((f) => typeOf(f) === MessageType.Error, 'the error'),
    );
    expect(error).toMatchObject({ requestId: 4, code: ErrorCode.LimitExceeded });
    expect(server?.stats.subscriptions).toEqual([0, 0]);
  });
});

describe('snapshots', () => {
  it('are not sent again for a symbol already held: resync asks for one', async () => {
    const url = await serve();
    const client = await connect(url);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC, ETH] }));
    await client.next(isSnapshotOf(ETH), 'the first snapshots');
    client.send(encodeSubscribe({ requestId: 2, symbolIds: [BTC] }));
    await client.next(isAck(2), 'the ack of the repeat');
    // Snapshots owed to one connection go out in order: a resync of ETH answered means no BTC
    // snapshot was owed before it.
    client.send(encodeResync({ requestId: 3, symbolId: ETH }));
    await client.next(
      (f) => isSnapshotOf(ETH)(f) && decodeSnapshot(f).requestId === 3,
      'the resync',
    );
    expect(client.frames.filter(isSnapshotOf(BTC))).toHaveLength(1);
    client.send(encodeResync({ requestId: 4, symbolId: BTC }));
    const fresh = decodeSnapshot(
      await client.next(
        (f) => isSnapshotOf(BTC)(f) && decodeSnapshot(f).requestId === 4,
        'BTC resynced',
      ),
    );
    expect(fresh.requestId).toBe(4);
  });

  it('refuse a resync of a symbol not held (9), with its request id', async () => {
    const url = await serve();
    const client = await connect(url);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC] }));
    client.send(encodeUnsubscribe({ requestId: 2, symbolIds: [BTC] }));
    client.send(encodeResync({ requestId: 3, symbolId: BTC }));
    const error = decodeErrorReply(
      await client.next((f) => typeOf(f) === MessageType.Error, 'the error'),
    );
    expect(error).toEqual({
      requestId: 3,
      code: ErrorCode.NotSubscribed,
      message: 'not subscribed to BTC-USD: subscribe first',
    });
  });

  it('are encoded once for every connection that needs the same one', async () => {
    // A frozen market's histories never change: one encoding of each serves every request.
    // At 1,000 ticks/s its 15 minutes of warm-up take a fraction of a second, even under load.
    const url = await serve({ frozenAt: Date.UTC(2026, 0, 5, 15, 30), tickRate: 1_000 });
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect(url)));
    clients.forEach((client, i) => {
      client.send(encodeSubscribe({ requestId: 100 + i, symbolIds: [BTC, ETH] }));
    });
    const frames = await Promise.all(
      clients.map((client) => client.next(isSnapshotOf(ETH), 'ETH')),
    );
    const quotes = await connect(url);
    quotes.send(encodeViewSubscribe({ requestId: 1, view: View.Quote, symbolIds: [BTC] }));
    await quotes.next(isQuoteSnapshotOf(BTC), 'a quote snapshot');
    expect(server?.stats.snapshotsEncoded).toEqual([2, 1]);
    expect(server?.stats.snapshotsSent).toEqual([20, 1]);
    // The same bytes but for the request id (100-109: one byte, after the two of the header).
    const bodies = new Set(frames.map((frame) => Buffer.from(frame.subarray(3)).toString('hex')));
    expect(bodies.size).toBe(1);
    expect(frames.map((frame) => decodeSnapshot(frame).requestId)).toEqual(
      Array.from({ length: 10 }, (_, i) => 100 + i),
    );
  });
});
