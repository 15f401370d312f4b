import { FeedClient } from '@ticker/client';
import {
  ErrorCode,
  MessageType,
  createTickBatch,
  decodeSubscribe,
  decodeUnsubscribe,
  encodeAck,
  encodeErrorReply,
  encodeSymbolDirectory,
  encodeTickBatch,
} from '@ticker/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedBridge } from '../src/feed/feed-bridge';
import { createDashboardStore } from '../src/store/dashboard-store';
import {
  BTC,
  DIRECTORY,
  ETH,
  FakeSocket,
  ManualScheduler,
  fillBatch,
  flushMicrotasks,
} from './fakes';

// The bridge against the real FeedClient and real wire frames, with only the socket faked.
function connect() {
  const store = createDashboardStore({ watchlist: ['BTC-USD'], focused: 'BTC-USD' });
  const scheduler = new ManualScheduler();
  const client = new FeedClient({ url: 'ws://test/ws', WebSocket: FakeSocket, pingIntervalMs: 0 });
  const bridge = new FeedBridge({ client, store, scheduler, everySecond: () => () => undefined });
  bridge.start();
  const socket = FakeSocket.instances.at(-1);
  if (!socket) throw new Error('the client opened no socket');
  return { store, scheduler, bridge, socket };
}

afterEach(() => {
  FakeSocket.instances.length = 0;
});

describe('FeedBridge with the real FeedClient', () => {
  it('subscribes the watchlist and commits decoded ticks once per frame', async () => {
    const { store, scheduler, socket } = connect();
    socket.receive(encodeSymbolDirectory({ symbols: DIRECTORY }));
    expect(store.getState().connection.state).toBe('open');
    await flushMicrotasks();
    const request = socket.sent.find((frame) => frame[1] === MessageType.Subscribe);
    if (!request) throw new Error('no subscribe frame was sent');
    expect(decodeSubscribe(request).symbolIds).toEqual([BTC.id]);
    socket.receive(encodeAck({ requestId: decodeSubscribe(request).requestId }));

    const batch = createTickBatch(4);
    socket.receive(encodeTickBatch(fillBatch(batch, BTC.id, [[1000, 6_500_000]])));
    socket.receive(encodeTickBatch(fillBatch(batch, BTC.id, [[1050, 6_500_150]])));
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')).toMatchObject({
      version: 1,
      last: 6_500_150,
      open: 6_500_000,
      direction: 1,
      tickCount: 2,
    });
  });

  it('turns a server error reply into an alert without an unhandled rejection', async () => {
    const { store, socket } = connect();
    socket.receive(encodeSymbolDirectory({ symbols: DIRECTORY }));
    await flushMicrotasks();
    store.getState().addSymbol('ETH-USD');
    await flushMicrotasks();
    const request = socket.sent.at(-1);
    if (!request) throw new Error('no subscribe frame was sent');
    const { requestId, symbolIds } = decodeSubscribe(request);
    expect(symbolIds).toEqual([ETH.id]);
    socket.receive(
      encodeErrorReply({ requestId, code: ErrorCode.UnknownSymbol, message: 'no such symbol' }),
    );
    await flushMicrotasks();
    expect(store.getState().error).toBe('Could not subscribe to ETH-USD: no such symbol');
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
  });

  it('sends an unsubscribe for a removed symbol', async () => {
    const { store, socket } = connect();
    socket.receive(encodeSymbolDirectory({ symbols: DIRECTORY }));
    await flushMicrotasks();
    store.getState().removeSymbol('BTC-USD');
    await flushMicrotasks();
    const request = socket.sent.at(-1);
    if (!request) throw new Error('no unsubscribe frame was sent');
    expect(decodeUnsubscribe(request).symbolIds).toEqual([BTC.id]);
  });
});
