import { FeedClient, View } from '@ticker/client';
import {
  ErrorCode,
  MessageType,
  createTickBatch,
  createTickColumns,
  decodeSubscribe,
  encodeAck,
  encodeQuote,
  encodeQuoteSnapshot,
  encodeSnapshot,
  encodeSymbolRefusals,
  encodeTickBatch,
} from '@ticker/protocol';
import type { ViewSubscribeRequest } from '@ticker/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedBridge } from '../src/feed/feed-bridge';
import { createDashboardStore } from '../src/store/dashboard-store';
import type { InitialView } from '../src/store/dashboard-store';
import { AAPL, BTC, ETH, FakeSocket, ManualScheduler, fillBatch, flushMicrotasks } from './fakes';
import { session } from './series-fixtures';

const THREE: Partial<InitialView> = {
  watchlist: ['BTC-USD', 'ETH-USD', 'AAPL'],
  focused: 'BTC-USD',
};

// The bridge against the real FeedClient and real wire frames, with only the socket faked.
function connect(view: Partial<InitialView> = THREE) {
  const store = createDashboardStore(view);
  const scheduler = new ManualScheduler();
  const client = new FeedClient({ url: 'ws://test/ws', WebSocket: FakeSocket, pingIntervalMs: 0 });
  const bridge = new FeedBridge({ client, store, scheduler, everySecond: () => () => undefined });
  bridge.start();
  const socket = FakeSocket.instances.at(-1);
  if (!socket) throw new Error('the client opened no socket');
  stops.push(() => {
    bridge.stop();
  });
  return { store, scheduler, bridge, socket };
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  FakeSocket.instances.length = 0;
});

/** The symbol ids that `requests` asked for, by view. */
function idsByView(requests: readonly ViewSubscribeRequest[]): Map<number, number[]> {
  const byView = new Map<number, number[]>();
  for (const { view, symbolIds } of requests) {
    byView.set(view, [...(byView.get(view) ?? []), ...symbolIds]);
  }
  return byView;
}

function ackAll(socket: FakeSocket, requests: readonly ViewSubscribeRequest[]): void {
  for (const { requestId } of requests) socket.receive(encodeAck({ requestId }));
}

function quoteSnapshotFrame(symbolId: number, last: number): Uint8Array {
  return encodeQuoteSnapshot({
    requestId: 0,
    symbolId,
    session: session({ open: last - 10, high: last, low: last - 10, last, tradeCount: 5 }),
    closes: { intervalMs: 1_000, points: [{ start: 60_000, close: last }] },
  });
}

describe('FeedBridge with the real FeedClient', () => {
  it('asks for the rows as quotes and the focused chart as a chart, one request per view', async () => {
    const { store, scheduler, socket, bridge } = connect();
    socket.greet();
    expect(store.getState().connection.state).toBe('open');
    await flushMicrotasks();
    const requests = socket.viewSubscribes();
    expect(requests).toHaveLength(2);
    expect(idsByView(requests)).toEqual(
      new Map([
        [View.Chart, [BTC.id]],
        [View.Quote, [ETH.id, AAPL.id]],
      ]),
    );
    ackAll(socket, requests);

    const batch = createTickBatch(4);
    socket.receive(
      encodeSnapshot({
        requestId: 0,
        symbolId: BTC.id,
        nextSeq: 1,
        session: session(),
        history: createTickColumns(),
        candles: [],
      }),
    );
    batch.seq = 0;
    socket.receive(encodeTickBatch(fillBatch(batch, BTC.id, [[1_000, 6_500_000]])));
    socket.receive(encodeTickBatch(fillBatch(batch, BTC.id, [[1_050, 6_500_150]])));
    socket.receive(quoteSnapshotFrame(ETH.id, 300_000));
    socket.receive(
      encodeQuote({
        symbolId: ETH.id,
        lastTime: 61_500,
        last: 300_500,
        high: 300_500,
        low: 299_990,
        volume: 9,
        tradeCount: 6,
      }),
    );
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')).toMatchObject({
      version: 1,
      last: 6_500_150,
      open: 6_500_000,
      direction: 1,
      tradeCount: 2,
    });
    expect(store.getState().quotes.get('ETH-USD')).toMatchObject({
      version: 1,
      last: 300_500,
      open: 299_990,
      high: 300_500,
      volume: 9,
      direction: 1,
      tradeCount: 6,
    });
    const bars = bridge.series('ETH-USD')?.seconds;
    expect(bars && [bars.closeAt(0), bars.closeAt(1)]).toEqual([300_000, 300_500]);
  });

  it('moves one ticker each way on a focus change, without unsubscribing', async () => {
    const { store, socket } = connect();
    socket.greet();
    await flushMicrotasks();
    ackAll(socket, socket.viewSubscribes());
    const sent = socket.viewSubscribes().length;
    store.getState().focus('AAPL');
    await flushMicrotasks();
    expect(idsByView(socket.viewSubscribes().slice(sent))).toEqual(
      new Map([
        [View.Quote, [BTC.id]],
        [View.Chart, [AAPL.id]],
      ]),
    );
    expect(socket.unsubscribes()).toEqual([]);
  });

  it('drops only the refused symbol with its message; the request’s others stream on', async () => {
    const { store, scheduler, socket } = connect();
    socket.greet();
    await flushMicrotasks();
    const quotes = socket.viewSubscribes().find(({ view }) => view === View.Quote);
    if (!quotes) throw new Error('no quote-view subscribe was sent');
    socket.receive(
      encodeSymbolRefusals({
        requestId: quotes.requestId,
        refusals: [{ symbolId: ETH.id, code: ErrorCode.Forbidden }],
      }),
    );
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD', 'AAPL']);
    expect(store.getState().error).toBe('Your access link does not cover ETH-USD');

    socket.receive(quoteSnapshotFrame(AAPL.id, 18_000));
    scheduler.runFrame();
    expect(store.getState().quotes.get('AAPL')?.last).toBe(18_000);
  });

  it('drops a symbol the server does not know with the unknown-symbol message', async () => {
    const { store, socket } = connect();
    socket.greet();
    await flushMicrotasks();
    const quotes = socket.viewSubscribes().find(({ view }) => view === View.Quote);
    if (!quotes) throw new Error('no quote-view subscribe was sent');
    socket.receive(
      encodeSymbolRefusals({
        requestId: quotes.requestId,
        refusals: [{ symbolId: AAPL.id, code: ErrorCode.UnknownSymbol }],
      }),
    );
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD', 'ETH-USD']);
    expect(store.getState().error).toBe('Unknown symbol: AAPL');
  });

  it('sends an unsubscribe for a removed symbol', async () => {
    const { store, socket } = connect();
    socket.greet();
    await flushMicrotasks();
    ackAll(socket, socket.viewSubscribes());
    store.getState().removeSymbol('AAPL');
    await flushMicrotasks();
    expect(socket.unsubscribes().map(({ symbolIds }) => symbolIds)).toEqual([[AAPL.id]]);
  });

  it('streams every row in the chart view from a server without views', async () => {
    const { store, socket } = connect();
    socket.greet(undefined, { views: false });
    await flushMicrotasks();
    expect(socket.viewSubscribes()).toEqual([]);
    const subscribed = socket.sent
      .filter((frame) => frame[1] === MessageType.Subscribe)
      .flatMap((frame) => decodeSubscribe(frame).symbolIds);
    expect(subscribed.sort()).toEqual([BTC.id, ETH.id, AAPL.id].sort());
    expect(store.getState().watchlist).toEqual(THREE.watchlist);
    expect(store.getState().error).toBeNull();
  });
});
