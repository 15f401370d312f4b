// Peer: an expert `ws` server sending this project's binary batches. Each flush encodes every
// topic once (the feed server's own Batcher), then sends each client ONE frame holding the
// batches of its symbols, each prefixed by its varint length. Set against the feed server it
// separates uWS's native fan-out from the gain of batching and binary encoding.
import { Batcher } from '@ticker/feed-server';
import { ByteWriter, MessageType, decodeClientMessage, encodeAck } from '@ticker/protocol';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { announceListening, peerSettings, startOnSignal } from './simulated-feed.js';

const settings = peerSettings(process.env);
const indexById = new Map(settings.universe.map((symbol, index) => [symbol.id, index]));
const subscriberCount = new Uint32Array(settings.universe.length);
const clients = new Map<WebSocket, number[]>();
/** This flush's length-prefixed batch of each topic, or null when it had no ticks. */
const records: (Buffer | null)[] = settings.universe.map(() => null);

const prefix = new ByteWriter(8);
/** `bytes` prefixed by its length as a varint: the unit a bundle frame concatenates. */
function lengthPrefixed(bytes: Uint8Array): Buffer {
  prefix.reset();
  prefix.varint(bytes.length);
  const head = prefix.finish();
  const record = Buffer.allocUnsafe(head.length + bytes.length);
  record.set(head, 0);
  record.set(bytes, head.length);
  return record;
}

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: settings.port,
  path: '/ws',
  perMessageDeflate: false,
  clientTracking: false,
});

server.on('connection', (socket) => {
  const mine: number[] = [];
  clients.set(socket, mine);
  socket.on('message', (data: Buffer) => {
    let message;
    try {
      message = decodeClientMessage(new Uint8Array(data.buffer, data.byteOffset, data.length));
    } catch {
      socket.close(1007, 'malformed frame');
      return;
    }
    if (message.type !== MessageType.Subscribe) return;
    for (const id of message.request.symbolIds) {
      const index = indexById.get(id);
      if (index === undefined || mine.includes(index)) continue;
      mine.push(index);
      subscriberCount[index] = (subscriberCount[index] ?? 0) + 1;
    }
    socket.send(lengthPrefixed(encodeAck({ requestId: message.request.requestId })));
  });
  socket.on('close', () => {
    clients.delete(socket);
    for (const index of mine) subscriberCount[index] = (subscriberCount[index] ?? 1) - 1;
  });
});

const batcher = Object.assign(new Batcher(settings.universe.map((s) => s.id)), { now: 0 });

function flush(): void {
  batcher.flush(
    (index, bytes) => {
      records[index] = lengthPrefixed(bytes);
    },
    (index) => (subscriberCount[index] ?? 0) > 0,
  );
  const parts: Buffer[] = [];
  for (const [socket, mine] of clients) {
    let total = 0;
    for (const index of mine) {
      const record = records[index];
      if (record === null || record === undefined) continue;
      parts.push(record);
      total += record.length;
    }
    if (total > 0) socket.send(Buffer.concat(parts, total));
    parts.length = 0;
  }
  records.fill(null);
}

server.on('listening', () => {
  announceListening('ws-batch', (server.address() as AddressInfo).port);
  startOnSignal(settings, settings.flushIntervalMs, batcher, flush);
});
