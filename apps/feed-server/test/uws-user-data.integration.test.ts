import { once } from 'node:events';
import uWS from 'uWebSockets.js';
import type { TemplatedApp, WebSocket as UwsSocket, us_listen_socket } from 'uWebSockets.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listenOn } from '../src/transport/uws.js';

// Why the feed server hands uWS `{ session }` rather than the Session (SocketData in
// src/transport/feed-server.ts): what uWS does with the user data given to `upgrade`.

class Counterpart {
  readonly first = 1;
  readonly second = new Map<number, number>();
  describe(): string {
    return 'a class instance';
  }
}

let listening: { app: TemplatedApp; socket: us_listen_socket } | null = null;
let client: WebSocket | null = null;
afterEach(() => {
  client?.terminate();
  client = null;
  if (listening) uWS.us_listen_socket_close(listening.socket);
  listening = null;
});

/** Upgrades one client with `userData` and resolves with what `open` was handed back. */
async function userDataSeenOnOpen<T>(userData: T): Promise<T> {
  let opened: (seen: T) => void = () => undefined;
  const seen = new Promise<T>((resolve) => {
    opened = resolve;
  });
  const app = uWS.App().ws<T>('/ws', {
    upgrade: (res, req, context) => {
      res.upgrade(
        userData,
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open: (ws: UwsSocket<T>) => {
      opened(ws.getUserData());
    },
  });
  const socket = await listenOn(app, '127.0.0.1', 0);
  listening = { app, socket };
  const opening = new WebSocket(`ws://127.0.0.1:${uWS.us_socket_local_port(socket)}/ws`);
  client = opening;
  // Both ends open before the test ends, so that closing the client is a clean close.
  const [data] = await Promise.all([seen, once(opening, 'open')]);
  return data;
}

describe('uWS user data', () => {
  it('is copied property by property: the callbacks get a plain copy, not the object given', async () => {
    const original = new Counterpart();
    const seen = await userDataSeenOnOpen(original);
    expect(seen).not.toBe(original);
    expect(seen).not.toBeInstanceOf(Counterpart);
    expect(Object.keys(seen).sort()).toEqual(['first', 'second']);
    expect(seen.second).toBe(original.second); // a shallow copy
  });

  it('brings back the very instance when it is held by the one property copied', async () => {
    const session = new Counterpart();
    const seen = await userDataSeenOnOpen({ session });
    expect(seen.session).toBe(session);
    expect(seen.session.describe()).toBe('a class instance');
  });
});
