// The load generator's client split over several servers, against plain TCP listeners: only
// where each connection goes is checked here; the quick run covers the protocols.
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadGenerator, buildLoadGenerator } from '../src/load-generator.js';

const sockets: Socket[] = [];
const servers: Server[] = [];

async function countingServer(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, accepted: () => accepted };
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((r) => server.close(r))));
});

describe('loadgen --port A,B', () => {
  it('spreads the clients evenly over the servers, client k to the (k mod n)-th', async () => {
    buildLoadGenerator();
    const [a, b, c] = await Promise.all([countingServer(), countingServer(), countingServer()]);
    const load = LoadGenerator.start(
      { ports: [a.port, b.port, c.port], mode: 'ticker', clients: 10, symbols: 500, perClient: 20 },
      null,
    );
    try {
      const total = (): number => a.accepted() + b.accepted() + c.accepted();
      for (let waited = 0; total() < 10 && waited < 5_000; waited += 20) await delay(20);
      expect([a.accepted(), b.accepted(), c.accepted()]).toEqual([4, 3, 3]);
    } finally {
      await load.exit();
    }
  });
});
