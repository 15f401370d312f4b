import { describe, expect, it } from 'vitest';
import {
  AssetClass,
  MessageType,
  createTickBatch,
  createTickColumns,
  decodeResync,
  decodeSubscribe,
  encodeAck,
  encodeHello,
  encodeSnapshot,
  encodeSymbolDirectory,
  encodeTickBatch,
} from '@ticker/protocol';
import { FeedClient } from '../src/index.js';
import type { SequenceGap, WebSocketLike } from '../src/index.js';

/** A socket the test drives by hand: it records what the client sends and delivers frames. */
class FakeSocket implements WebSocketLike {
  static last: FakeSocket | null = null;
  binaryType = 'arraybuffer';
  readyState = 1;
  readonly sent: Uint8Array[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.last = this;
  }

  send(data: Uint8Array): void {
    this.sent.push(data.slice());
  }

  close(): void {
    this.readyState = 3;
  }

  deliver(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
}

const BTC = 1;
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
}> {
  const client = new FeedClient({ url: 'ws://test/ws', WebSocket: FakeSocket });
  const gaps: SequenceGap[] = [];
  client.on('gap', (gap) => gaps.push(gap));
  client.connect();
  const socket = FakeSocket.last;
  if (!socket) throw new Error('no socket opened');
  socket.deliver(encodeHello({ serverTime: 0, heartbeatIntervalMs: 5_000, limits: [] }));
  socket.deliver(
    encodeSymbolDirectory({
      symbols: [
        {
          id: BTC,
          ticker: 'BTC-USD',
          name: 'Bitcoin',
          assetClass: AssetClass.Crypto,
          priceDecimals: 2,
          sizeDecimals: 4,
          tickSize: 1,
          lotSize: 1,
        },
      ],
    }),
  );
  const subscribed = client.subscribe(['BTC-USD']);
  await Promise.resolve(); // let subscribe() send its request
  const request = socket.sent.find((frame) => frame[1] === MessageType.Subscribe);
  if (!request) throw new Error('no subscribe sent');
  socket.deliver(encodeAck({ requestId: decodeSubscribe(request).requestId }));
  await subscribed;
  return { client, socket, gaps };
}

const resyncsSent = (socket: FakeSocket) =>
  socket.sent
    .filter((frame) => frame[1] === MessageType.Resync)
    .map((frame) => decodeResync(frame));

describe('sequence checking', () => {
  it('accepts batches that continue from the snapshot and from each other', async () => {
    const { socket, gaps } = await connectedClient();
    socket.deliver(snapshot(10));
    for (const seq of [10, 11, 12]) socket.deliver(batch(seq));
    expect(gaps).toEqual([]);
    expect(resyncsSent(socket)).toEqual([]);
  });

  it('reports a gap and asks once for a resync, then resumes from the new snapshot', async () => {
    const { socket, gaps } = await connectedClient();
    socket.deliver(snapshot(10));
    socket.deliver(batch(10));
    socket.deliver(batch(13)); // 11 and 12 lost
    socket.deliver(batch(14));
    expect(gaps).toEqual([{ symbolId: BTC, expected: 11, received: 13 }]);
    expect(resyncsSent(socket).map((r) => r.symbolId)).toEqual([BTC]);

    socket.deliver(snapshot(20));
    socket.deliver(batch(20));
    expect(gaps).toHaveLength(1);
    socket.deliver(batch(22));
    expect(gaps).toEqual([
      { symbolId: BTC, expected: 11, received: 13 },
      { symbolId: BTC, expected: 21, received: 22 },
    ]);
    expect(resyncsSent(socket)).toHaveLength(2);
  });

  it('treats a batch that goes backwards as a gap too', async () => {
    const { socket, gaps } = await connectedClient();
    socket.deliver(snapshot(10));
    socket.deliver(batch(10));
    socket.deliver(batch(10)); // duplicated
    expect(gaps).toEqual([{ symbolId: BTC, expected: 11, received: 10 }]);
  });
});
