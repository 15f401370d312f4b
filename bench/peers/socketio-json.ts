// Peer: Socket.IO with one room per symbol and one JSON event per tick, tuned as its docs advise:
// the WebSocket transport only (no long-polling upgrade), no permessage-deflate, no client
// bundle served; a room broadcast encodes each packet once for all its sockets.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
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
const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
});

io.on('connection', (socket) => {
  socket.on('subscribe', (tickers: unknown, ack: unknown) => {
    const indexes = requestedIndexes(tickers, known);
    void socket.join(indexes.map((index) => settings.universe[index]?.ticker ?? ''));
    if (typeof ack === 'function') (ack as (count: number) => void)(indexes.length);
  });
});

const feed = new PerTickFeed(settings.universe, (_index, tick) => {
  io.to(tick.symbol).emit('tick', tick);
});

http.listen(settings.port, '127.0.0.1', () => {
  announceListening('socketio-json', (http.address() as AddressInfo).port);
  startOnSignal(settings, 1, feed);
});
