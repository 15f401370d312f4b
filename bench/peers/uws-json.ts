// Peer: uWebSockets.js publishing one JSON message per tick to the symbol's topic. Same
// transport and settings as the feed server, but per-tick JSON: set against the feed server it
// separates what batching and binary encoding gain from what uWS's native fan-out gains.
import uWS from 'uWebSockets.js';
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

const app = uWS.App().ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 16 * 1024,
  idleTimeout: 120,
  maxBackpressure: 16 * 1024 * 1024,
  message(socket, message) {
    let request: { type?: unknown; symbols?: unknown };
    try {
      request = JSON.parse(Buffer.from(message).toString()) as typeof request;
    } catch {
      socket.end(1007, 'expected JSON');
      return;
    }
    if (request.type !== 'subscribe') return;
    for (const index of requestedIndexes(request.symbols, known)) {
      socket.subscribe(settings.universe[index]?.ticker ?? '');
    }
    socket.send(JSON.stringify({ type: 'subscribed', symbols: request.symbols }), false);
  },
});

const feed = new PerTickFeed(settings.universe, (_index, tick) => {
  app.publish(tick.symbol, JSON.stringify(tick), false);
});

app.listen('127.0.0.1', settings.port, (listening) => {
  if (!listening) throw new Error(`uws-json: could not listen on ${settings.port}`);
  announceListening('uws-json', uWS.us_socket_local_port(listening));
  startOnSignal(settings, 1, feed);
});
