import { beforeEach, describe, expect, it } from 'vitest';
import {
  MessageType,
  createTickBatch,
  createTickColumns,
  decodeResync,
  encodeSnapshot,
  encodeTickBatch,
} from '@ticker/protocol';
import { FeedClient } from '../src/index.js';
import type { Resync, SequenceGap } from '../src/index.js';
import { BTC, FakeSocket, settle } from './fake-socket.js';

const session = { startTime: 0, open: 0, high: 0, low: 0, last: 0, volume: 0, tradeCount: 0 };
const snapshot = (nextSeq: number) =>
  encodeSnapshot({
    requestId: 0,
    symbolId: BTC,
    nextSeq,
    session,
    history: createTickColumns(),
    candles: [],
  });
const batch = (seq: number) => encodeTickBatch({ ...createTickBatch(1), symbolId: BTC, seq });

async function connectedClient(): Promise<{
  client: FeedClient;
  socket: FakeSocket;
  gaps: SequenceGap[];
  resyncs: Resync[];
}> {
  const client = new FeedClient({ url: 'ws://test/ws', WebSocket: FakeSocket, pingIntervalMs: 0 });
  const gaps: SequenceGap[] = [];
  const resyncs: Resync[] = [];
  client.on('gap', (gap) => gaps.push(gap));
  client.on('resync', (resync) => resyncs.push(resync));
  client.connect();
  const socket = FakeSocket.last;
  socket.greet();
  const subscribed = client.subscribe(['BTC-USD']);
  await settle(); // let subscribe() send its request (requests of one tick go out together)
  socket.ackSubscribe();
  await subscribed;
  return { client, socket, gaps, resyncs };
}

const resyncsSent = (socket: FakeSocket) =>
  socket.sent
    .filter((frame) => frame[1] === MessageType.Resync)
    .map((frame) => decodeResync(frame));

beforeEach(() => {
  FakeSocket.created.length = 0;
});

describe('sequence checking', () => {
  it('accepts batches that continue from the snapshot and from each other', async () => {
    const { client, socket, gaps } = await connectedClient();
    socket.deliver(snapshot(10));
    for (const seq of [10, 11, 12]) socket.deliver(batch(seq));
    expect(gaps).toEqual([]);
    expect(resyncsSent(socket)).toEqual([]);
    expect(client.metrics().gaps).toBe(0);
    client.close();
  });

  it('reports a gap and asks once for a resync, then resumes from the new snapshot', async () => {
    const { client, socket, gaps, resyncs } = await connectedClient();
    socket.deliver(snapshot(10));
    socket.deliver(batch(10));
    socket.deliver(batch(13)); // 11 and 12 lost
    socket.deliver(batch(14));
    expect(gaps).toEqual([{ symbolId: BTC, expected: 11, received: 13 }]);
    expect(resyncsSent(socket).map((r) => r.symbolId)).toEqual([BTC]);
    expect(resyncs).toEqual([]);

    socket.deliver(snapshot(20));
    expect(resyncs).toEqual([{ symbolId: BTC, nextSeq: 20 }]);
    socket.deliver(batch(20));
    expect(gaps).toHaveLength(1);
    socket.deliver(batch(22));
    expect(gaps).toEqual([
      { symbolId: BTC, expected: 11, received: 13 },
      { symbolId: BTC, expected: 21, received: 22 },
    ]);
    expect(resyncsSent(socket)).toHaveLength(2);
    expect(client.metrics().gaps).toBe(2);
    client.close();
  });

  it('treats a batch that goes backwards as a gap too', async () => {
    const { client, socket, gaps } = await connectedClient();
    socket.deliver(snapshot(10));
    socket.deliver(batch(10));
    socket.deliver(batch(10)); // duplicated
    expect(gaps).toEqual([{ symbolId: BTC, expected: 11, received: 10 }]);
    client.close();
  });
});
