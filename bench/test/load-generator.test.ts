// The load generator on its own: where each connection goes and from which address (plain TCP
// listeners), and the protocol's views against a fake server that has them (the real one gets
// them later; the quick run covers today's protocol against the real servers).
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadGenerator, buildLoadGenerator, loadGeneratorArgs } from '../src/load-generator.js';
import type { LoadOptions } from '../src/load-generator.js';
import { FakeViewsServer } from './fake-views-server.js';
import type { FakeOptions } from './fake-views-server.js';

const sockets: Socket[] = [];
const servers: Server[] = [];
const fakes: FakeViewsServer[] = [];
const loads: LoadGenerator[] = [];

async function countingServer(): Promise<{ port: number; addresses: string[] }> {
  const addresses: string[] = [];
  const server = createServer((socket) => {
    addresses.push(socket.remoteAddress ?? '');
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, addresses };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (let waited = 0; !condition() && waited < timeoutMs; waited += 20) await delay(20);
}

function start(options: Omit<LoadOptions, 'mode' | 'symbols'>): LoadGenerator {
  buildLoadGenerator();
  const load = LoadGenerator.start({ mode: 'ticker', symbols: 500, ...options }, null);
  loads.push(load);
  return load;
}

async function fake(options: FakeOptions): Promise<FakeViewsServer> {
  const server = await FakeViewsServer.start(options);
  fakes.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(loads.splice(0).map((load) => load.exit()));
  await Promise.all(fakes.splice(0).map((server) => server.close()));
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((r) => server.close(r))));
});

describe('loadgen --port A,B', () => {
  it('spreads the clients evenly over the servers, client k to the (k mod n)-th', async () => {
    const [a, b, c] = await Promise.all([countingServer(), countingServer(), countingServer()]);
    start({ ports: [a.port, b.port, c.port], clients: 10, perClient: 20 });
    const counts = (): number[] => [a, b, c].map((s) => s.addresses.length);
    await until(() => counts().reduce((x, y) => x + y) >= 10);
    expect(counts()).toEqual([4, 3, 3]);
  });
});

describe('loadgen --source-addresses N', () => {
  it('binds client k to 127.1.0.1 + (k mod N), so the server sees N addresses', async () => {
    const server = await countingServer();
    start({ ports: [server.port], clients: 7, perClient: 20, sourceAddresses: 3 });
    await until(() => server.addresses.length >= 7);
    const byAddress = new Map<string, number>();
    for (const address of server.addresses)
      byAddress.set(address, (byAddress.get(address) ?? 0) + 1);
    expect(Object.fromEntries(byAddress)).toEqual({
      '127.1.0.1': 3,
      '127.1.0.2': 2,
      '127.1.0.3': 2,
    });
  });
});

describe('loadGeneratorArgs', () => {
  it('passes only the options given, by their loadgen names', () => {
    expect(
      loadGeneratorArgs({ ports: [1, 2], mode: 'ticker', clients: 3, symbols: 500, perClient: 20 }),
    ).toEqual([
      '--port',
      '1,2',
      '--mode',
      'ticker',
      '--clients',
      '3',
      '--symbols',
      '500',
      '--per-client',
      '20',
    ]);
    const storm = loadGeneratorArgs({
      ports: [1],
      mode: 'ticker',
      clients: 10_000,
      symbols: 500,
      perClient: 0,
      quotesPerClient: 20,
      chartView: true,
      sourceAddresses: 250,
      connectConcurrency: 10_000,
      readyTimeoutS: 180,
    });
    expect(storm.join(' ')).toBe(
      '--port 1 --mode ticker --clients 10000 --symbols 500 --per-client 0 --quotes-per-client 20 ' +
        '--chart-view --source-addresses 250 --connect-concurrency 10000 --ready-timeout-s 180',
    );
  });
});

describe('loadgen with views', () => {
  it('holds charts and quotes: quote snapshots count toward ready, quotes apart with their bytes', async () => {
    const server = await fake({ views: true, quoteIntervalMs: 50 });
    const load = start({ ports: [server.port], clients: 20, perClient: 1, quotesPerClient: 5 });
    const ready = await load.ready(20_000);
    expect(ready).toMatchObject({ clients: 20, snapshots: 20 * 6, slowHandshakes: 0 });
    // Every snapshot the fake sent before ready, with its framing, and nothing else counted.
    expect(ready.snapshotBytes).toBe(server.sent.snapshotBytes);
    // The chart as the plain subscribe (request 1), then the quotes as one view subscribe
    // (request 2, view 1), of other symbols.
    for (let connection = 0; connection < 20; connection++) {
      const [chart, quotes, ...more] = server.received.filter((r) => r.connection === connection);
      expect(more).toEqual([]);
      expect(chart).toMatchObject({ requestId: 1, view: 'subscribe' });
      expect(chart?.symbolIds).toHaveLength(1);
      expect(quotes).toMatchObject({ requestId: 2, view: 1 });
      expect(new Set([...(chart?.symbolIds ?? []), ...(quotes?.symbolIds ?? [])]).size).toBe(6);
    }
    load.go();
    await delay(600);
    const result = await load.stop();
    expect(result).toMatchObject({ unexpected: 0, outOfOrder: 0, serverErrors: 0, snapshots: 0 });
    // 100 quote symbols at one quote per 50 ms for 0.6 s: about 1,200, timers permitting.
    expect(result.quotes).toBeGreaterThan(200);
    expect(result.quoteBytes / result.quotes).toBeGreaterThan(20); // 2 of framing, ~20 of quote
    expect(result.quoteBytes / result.quotes).toBeLessThan(40);
  });

  it('sends the charts as a view subscribe (view 0) with --chart-view', async () => {
    const server = await fake({ views: true });
    const load = start({ ports: [server.port], clients: 2, perClient: 3, chartView: true });
    await load.ready(20_000);
    expect(server.received.map((r) => [r.requestId, r.view, r.symbolIds.length])).toEqual([
      [1, 0, 3],
      [1, 0, 3],
    ]);
  });

  it('fails the run, naming them, when a view subscribe has symbols refused before ready', async () => {
    const server = await fake({
      views: true,
      refuse: new Set(Array.from({ length: 500 }, (_, i) => i + 1)),
    });
    const load = start({ ports: [server.port], clients: 1, perClient: 0, quotesPerClient: 2 });
    await expect(load.ready(20_000)).rejects.toThrow(
      /refused 2 symbol\(s\) of request 2 before ready: \d+ \(code 4\), \d+ \(code 4\)/,
    );
  });

  it('refuses to send a view subscribe to a server whose hello has no QuoteIntervalMs', async () => {
    const server = await fake({ views: false });
    const load = start({ ports: [server.port], clients: 1, perClient: 20, quotesPerClient: 1 });
    await expect(load.ready(20_000)).rejects.toThrow(
      /hello does not announce QuoteIntervalMs \(limit 7\): it has no views/,
    );
  });

  it('times each client from the first connect to its last snapshot: p50, p99 and max', async () => {
    // The n-th connection's snapshots wait n × 150 ms: readiness spreads over about 1.35 s.
    const server = await fake({ views: true, snapshotDelayMs: (n) => n * 150 });
    const load = start({ ports: [server.port], clients: 10, perClient: 2, quotesPerClient: 2 });
    const ready = await load.ready(20_000);
    const { p50, p99, max } = ready.readyMs;
    expect(max).toBeGreaterThanOrEqual(9 * 150);
    expect(p99).toBe(max); // the nearest rank of 99% of 10 clients is the 10th
    // p50 is the 5th of 10: at least 4 delays in, some 5 delays before the last.
    expect(p50).toBeGreaterThanOrEqual(4 * 150);
    expect(max - p50).toBeGreaterThan(3 * 150);
    expect(ready.handshakeMs.max).toBeLessThan(1_000);
    expect(ready.handshakeMs.p50).toBeGreaterThan(0);
  });
});
