import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET_BACKLOG } from '../src/transport/listen-group.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { startServer } from './harness.js';

/** TCP states in /proc/net/tcp. */
const LISTEN = '0A';
const SYN_SENT = '02';

const servers: FeedServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(listenBacklog: number): Promise<number> {
  const { server, port } = await startServer({ listenBacklog });
  servers.push(server);
  return port;
}

/** IPv4 TCP sockets in `state` whose local (or remote) port is `port`. */
function socketsIn(state: string, port: number, end: 'local' | 'remote'): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => {
      const [, local = '', remote = '', st] = line.trim().split(/\s+/);
      const address = end === 'local' ? local : remote;
      return st === state && address.endsWith(`:${hex}`);
    }).length;
}

/**
 * Sends `count` connects at once while the server accepts none of them (its event loop, this
 * thread, is held), and counts those whose SYN found no room: dropped by the kernel, they wait in
 * SYN_SENT for its retransmission a second later. The kernel completes the others' handshakes
 * into the accept queues meanwhile; the hold ends once none is left waiting, or before that
 * second.
 */
async function connectsLeftWaiting(port: number, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {}); // destroyed at the end of the test
    sockets.push(socket);
  }
  // net.connect issues its connect() on the next tick; then the loop is held.
  await new Promise((resolve) => {
    process.nextTick(resolve);
  });
  const until = Date.now() + 900;
  let waiting = socketsIn(SYN_SENT, port, 'remote');
  while (waiting > 0 && Date.now() < until) waiting = socketsIn(SYN_SENT, port, 'remote');
  return waiting;
}

describe('the listen group', () => {
  it('holds LISTEN_BACKLOG / 512 listening sockets on the port', async () => {
    const port = await serve(4 * SOCKET_BACKLOG);
    expect(socketsIn(LISTEN, port, 'local')).toBe(4);
    const single = await serve(SOCKET_BACKLOG);
    expect(socketsIn(LISTEN, single, 'local')).toBe(1);
  });

  it('refuses a port another server holds, and lets it go on close', async () => {
    const port = await serve(4 * SOCKET_BACKLOG);
    await expect(startServer({ port, listenBacklog: 4 * SOCKET_BACKLOG })).rejects.toThrow(
      `could not listen on 127.0.0.1 port ${port} (in use, or not permitted)`,
    );
    await servers.shift()?.close();
    expect(socketsIn(LISTEN, port, 'local')).toBe(0);
    const again = await startServer({ port, listenBacklog: 4 * SOCKET_BACKLOG });
    servers.push(again.server);
    expect([again.port, socketsIn(LISTEN, port, 'local')]).toEqual([port, 4]);
  });

  it('queues a storm of connects beyond one socket’s 512 instead of dropping their SYNs', async () => {
    const storm = 3 * SOCKET_BACKLOG;
    const grouped = await serve(8 * SOCKET_BACKLOG);
    expect(await connectsLeftWaiting(grouped, storm)).toBe(0);
    for (const socket of sockets.splice(0)) socket.destroy();
    // The same storm against one socket: what does not fit waits a second for its next SYN.
    const single = await serve(SOCKET_BACKLOG);
    expect(await connectsLeftWaiting(single, storm)).toBeGreaterThan(0);
  });
});
