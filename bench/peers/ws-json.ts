// Peer: `ws` broadcasting one JSON message per tick to the symbol's subscribers, as the usual
// tutorial does, tuned as ws's docs advise: no permessage-deflate, each message serialised once
// and the same buffer sent to every subscriber.
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import {
  PerTickFeed,
  announceListening,
  indexByTicker,
  peerSettings,
  requestedIndexes,
  startOnSignal,
} from './simulated-feed.js';

const settings = peerSettings(process.env);
const known = indexByTicker(settings.universe);
const subscribers = settings.universe.map(() => new Set<WebSocket>());

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: settings.port,
  path: '/ws',
  perMessageDeflate: false,
  clientTracking: false,
});

server.on('connection', (socket) => {
  const mine: number[] = [];
  socket.on('message', (data: Buffer) => {
    let request: { type?: unknown; symbols?: unknown };
    try {
      request = JSON.parse(data.toString()) as typeof request;
    } catch {
      socket.close(1007, 'expected JSON');
      return;
    }
    if (request.type !== 'subscribe') return;
    const indexes = requestedIndexes(request.symbols, known);
    for (const index of indexes) subscribers[index]?.add(socket);
    mine.push(...indexes);
    socket.send(JSON.stringify({ type: 'subscribed', symbols: request.symbols }));
  });
  socket.on('close', () => {
    for (const index of mine) subscribers[index]?.delete(socket);
  });
});

const feed = new PerTickFeed(settings.universe, (index, tick) => {
  const audience = subscribers[index];
  if (audience === undefined || audience.size === 0) return;
  const data = Buffer.from(JSON.stringify(tick));
  for (const socket of audience) socket.send(data, { binary: false });
});

server.on('listening', () => {
  announceListening('ws-json', (server.address() as AddressInfo).port);
  startOnSignal(settings, 1, feed);
});
