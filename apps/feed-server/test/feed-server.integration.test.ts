import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  LimitId,
  MessageType,
  decodeAck,
  decodeGoingAway,
  decodeHeartbeat,
  decodeHello,
  decodePong,
  decodeSnapshot,
  encodePing,
  encodeResync,
  helloLimit,
  decodeErrorReply,
  decodeSymbolDirectory,
  decodeTickBatch,
  encodeSubscribe,
  encodeUnsubscribe,
} from '@ticker/protocol';
import { DEFAULT_CONNECTION_LIMITS } from '../src/config.js';
import { ANSWER_HEADERS } from '../src/transport/http-answers.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { TestSocket, startServer, typeOf } from './harness.js';

const BTC = 1;
const ETH = 2;

let server: FeedServer | null = null;
const sockets: TestSocket[] = [];

async function connect(url: string): Promise<TestSocket> {
  const socket = await TestSocket.open(url);
  sockets.push(socket);
  return socket;
}

afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await server?.close();
  server = null;
});

const isType = (type: number) => (frame: Uint8Array) => typeOf(frame) === type;
const batchOf = (symbolId: number) => (frame: Uint8Array) =>
  typeOf(frame) === MessageType.TickBatch && decodeTickBatch(frame).symbolId === symbolId;

describe('feed server over a real socket', () => {
  it('sends hello and the directory first, then decodable batches with consecutive sequence numbers', async () => {
    const before = Date.now();
    const started = await startServer();
    server = started.server;
    const client = await connect(started.url);

    const directory = decodeSymbolDirectory(
      await client.next(isType(MessageType.SymbolDirectory), 'directory'),
    );
    expect(client.frames.slice(0, 2).map(typeOf)).toEqual([
      MessageType.Hello,
      MessageType.SymbolDirectory,
    ]);
    const hello = decodeHello(client.frames[0] ?? new Uint8Array());
    expect(hello.serverTime).toBeGreaterThanOrEqual(before);
    expect(hello.heartbeatIntervalMs).toBe(5_000);
    expect(helloLimit(hello, LimitId.MaxClientFrameBytes)).toBe(4096);
    expect(directory.symbols.find((s) => s.id === BTC)).toMatchObject({
      ticker: 'BTC-USD',
      tickSize: 1,
      lotSize: 1,
    });

    client.send(encodeSubscribe({ requestId: 7, symbolIds: [BTC] }));
    expect(decodeAck(await client.next(isType(MessageType.Ack), 'ack'))).toEqual({ requestId: 7 });

    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const frame = await client.next(
        (f) => batchOf(BTC)(f) && !seqs.includes(decodeTickBatch(f).seq),
        `BTC batch #${i + 1}`,
      );
      const batch = decodeTickBatch(frame);
      expect(batch.count).toBeGreaterThan(0);
      expect(batch.price[0]).toBeGreaterThan(0);
      seqs.push(batch.seq);
    }
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] ?? 0) + 1);
    expect(client.frames.filter(batchOf(ETH))).toHaveLength(0);
  });

  it('stops a topic on unsubscribe', async () => {
    const started = await startServer();
    server = started.server;
    const client = await connect(started.url);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC, ETH] }));
    await client.next(batchOf(ETH), 'ETH batch');
    client.send(encodeUnsubscribe({ requestId: 2, symbolIds: [ETH] }));
    await client.next(
      (f) => typeOf(f) === MessageType.Ack && decodeAck(f).requestId === 2,
      'unsubscribe ack',
    );
    const ethBefore = client.frames.filter(batchOf(ETH)).length;
    // Wait for several BTC batches published after the ack: no ETH batch may be among them.
    const afterAck = client.frames.length;
    for (let i = 0; i < 5; i++) {
      await client.next(
        (f) => batchOf(BTC)(f) && client.frames.indexOf(f) >= afterAck + i,
        'BTC batch after ack',
      );
    }
    expect(client.frames.filter(batchOf(ETH)).length).toBe(ethBefore);
  });

  it('rejects an unknown symbol with its request id and applies nothing', async () => {
    const started = await startServer();
    server = started.server;
    const client = await connect(started.url);
    client.send(encodeSubscribe({ requestId: 9, symbolIds: [BTC, 9999] }));
    const reply = decodeErrorReply(await client.next(isType(MessageType.Error), 'error reply'));
    expect(reply).toEqual({
      requestId: 9,
      code: ErrorCode.UnknownSymbol,
      message: 'unknown symbol id(s): 9999',
    });
    client.send(encodeSubscribe({ requestId: 10, symbolIds: [ETH] }));
    await client.next(batchOf(ETH), 'ETH batch');
    expect(client.frames.filter(batchOf(BTC))).toHaveLength(0);
  });

  it('answers malformed, misdirected and text frames with errors while other clients keep streaming', async () => {
    const started = await startServer();
    server = started.server;
    const bystander = await connect(started.url);
    bystander.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC] }));
    await bystander.next(batchOf(BTC), 'bystander batch');

    const attacker = await connect(started.url);
    const cases: Array<[Uint8Array | string, number]> = [
      [new Uint8Array([1, 0x81, 5]), ErrorCode.MalformedFrame], // truncated subscribe
      [new Uint8Array([9, 0x81, 1, 1, 1]), ErrorCode.UnsupportedVersion],
      [new Uint8Array([1, 0x02, 0, 0]), ErrorCode.UnknownMessageType], // a server message type
      [new Uint8Array([]), ErrorCode.MalformedFrame],
      ['{"op":"subscribe"}', ErrorCode.TextFrameNotSupported],
    ];
    for (const [frame, code] of cases) {
      const before = attacker.frames.length;
      attacker.send(frame);
      const reply = decodeErrorReply(
        await attacker.next(
          (f) => typeOf(f) === MessageType.Error && attacker.frames.indexOf(f) >= before,
          'error',
        ),
      );
      expect(reply.code).toBe(code);
      expect(reply.message.length).toBeGreaterThan(0);
    }

    const seen = bystander.frames.length;
    await bystander.next(
      (f) => batchOf(BTC)(f) && bystander.frames.indexOf(f) >= seen,
      'bystander batch after attack',
    );
    attacker.send(encodeSubscribe({ requestId: 3, symbolIds: [ETH] }));
    await attacker.next(batchOf(ETH), 'attacker recovers');
  });

  it('closes a client that sends an oversized frame with 1009, leaving others connected', async () => {
    const started = await startServer();
    server = started.server;
    const bystander = await connect(started.url);
    bystander.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC] }));
    const attacker = await connect(started.url);
    attacker.send(new Uint8Array(5 * 1024));
    expect(await attacker.closed).toEqual({ code: 1009, reason: 'frame exceeds 4096 bytes' });
    expect(started.server.stats.rejectedRequests.get('frame_too_large')).toBe(1);
    const seen = bystander.frames.length;
    await bystander.next(
      (f) => batchOf(BTC)(f) && bystander.frames.indexOf(f) >= seen,
      'bystander batch',
    );
  });

  it('answers a ping with a pong carrying its nonce and the server clock', async () => {
    const started = await startServer();
    server = started.server;
    const client = await connect(started.url);
    const sent = Date.now();
    client.send(encodePing({ nonce: 987_654 }));
    const pong = decodePong(await client.next(isType(MessageType.Pong), 'pong'));
    expect(pong.nonce).toBe(987_654);
    expect(pong.serverTime).toBeGreaterThanOrEqual(sent);
  });

  it('sends every client a heartbeat each interval, subscribed or not', async () => {
    const started = await startServer({ heartbeatIntervalMs: 100 });
    server = started.server;
    const client = await connect(started.url);
    const first = decodeHeartbeat(await client.next(isType(MessageType.Heartbeat), 'heartbeat'));
    const second = decodeHeartbeat(
      await client.next(
        (f) =>
          typeOf(f) === MessageType.Heartbeat && decodeHeartbeat(f).serverTime > first.serverTime,
        'second heartbeat',
      ),
    );
    expect(second.serverTime - first.serverTime).toBeGreaterThanOrEqual(50);
  });

  it('sends a snapshot after the ack, and live batches continue from its nextSeq without a gap', async () => {
    const started = await startServer();
    server = started.server;
    const warm = await connect(started.url);
    warm.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC] }));
    for (let i = 0; i < 3; i++) {
      await warm.next(
        (f) => batchOf(BTC)(f) && warm.frames.filter(batchOf(BTC)).length > i,
        `warm-up batch ${i + 1}`,
      );
    }

    const client = await connect(started.url);
    client.send(encodeSubscribe({ requestId: 5, symbolIds: [BTC] }));
    const snapshotFrame = await client.next(isType(MessageType.Snapshot), 'snapshot');
    const ack = client.frames.findIndex(isType(MessageType.Ack));
    expect(ack).toBeGreaterThanOrEqual(0);
    expect(ack).toBeLessThan(client.frames.indexOf(snapshotFrame));
    const snapshot = decodeSnapshot(snapshotFrame);
    expect(snapshot).toMatchObject({ requestId: 5, symbolId: BTC });
    expect(snapshot.session.tradeCount).toBeGreaterThanOrEqual(snapshot.history.count);
    if (snapshot.history.count > 0) {
      expect(snapshot.session.last).toBe(snapshot.history.price[snapshot.history.count - 1]);
    }
    expect(snapshot.candles.map((series) => series.intervalMs)).toEqual([1_000, 60_000]);

    const lastHistoryTime = snapshot.history.time[snapshot.history.count - 1] ?? 0;
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = decodeTickBatch(
        await client.next(
          (f) => batchOf(BTC)(f) && !seqs.includes(decodeTickBatch(f).seq),
          `batch ${i + 1} after snapshot`,
        ),
      );
      if (i === 0) expect(batch.time[0]).toBeGreaterThanOrEqual(lastHistoryTime);
      seqs.push(batch.seq);
    }
    expect(seqs).toEqual([snapshot.nextSeq, snapshot.nextSeq + 1, snapshot.nextSeq + 2]);
    // The snapshot (perhaps encoded a few flushes ago) and the batches after it hold every tick
    // the first client saw: nothing was lost in between.
    const held = new Set([
      ...Array.from(snapshot.history.time.subarray(0, snapshot.history.count)),
      ...client.frames.filter(batchOf(BTC)).flatMap((f) => {
        const batch = decodeTickBatch(f);
        return Array.from(batch.time.subarray(0, batch.count));
      }),
    ]);
    const seen = warm.frames
      .filter(batchOf(BTC))
      .slice(0, 3)
      .flatMap((f) => {
        const batch = decodeTickBatch(f);
        return Array.from(batch.time.subarray(0, batch.count));
      });
    for (const time of seen) expect(held.has(time)).toBe(true);
  });

  it('answers a resync with a fresh snapshot carrying its request id, and an unknown symbol with an error', async () => {
    const started = await startServer();
    server = started.server;
    const client = await connect(started.url);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [ETH] }));
    await client.next(batchOf(ETH), 'ETH batch');
    client.send(encodeResync({ requestId: 77, symbolId: ETH }));
    const answer = await client.next(
      (f) => typeOf(f) === MessageType.Snapshot && decodeSnapshot(f).requestId === 77,
      'resync snapshot',
    );
    const snapshot = decodeSnapshot(answer);
    expect(snapshot.symbolId).toBe(ETH);
    // The series restarts from it: the next ETH batch carries its nextSeq.
    const next = await client.next(
      (f) => client.frames.indexOf(f) > client.frames.indexOf(answer) && batchOf(ETH)(f),
      'the batch after the resync snapshot',
    );
    expect(decodeTickBatch(next).seq).toBe(snapshot.nextSeq);
    client.send(encodeResync({ requestId: 78, symbolId: 9999 }));
    const reply = decodeErrorReply(await client.next(isType(MessageType.Error), 'error reply'));
    expect(reply).toMatchObject({ requestId: 78, code: ErrorCode.UnknownSymbol });
  });

  it('sends a going-away notice, then closes with 1001, on shutdown', async () => {
    const started = await startServer();
    const client = await connect(started.url);
    await client.next(isType(MessageType.SymbolDirectory), 'directory');
    await started.server.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const notice = client.frames.find(isType(MessageType.GoingAway));
    expect(notice && decodeGoingAway(notice)).toEqual({
      reconnectAfterMs: 1_000,
      reason: 'server shutting down',
    });
  });
});

describe('HTTP', () => {
  it('answers /healthz and serves the dashboard with the app shell for routes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ticker-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Ticker</title>');
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'app-abc123.js.map'), '{}');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    const started = await startServer({ staticDir: dir });
    server = started.server;
    const base = `http://127.0.0.1:${started.port}`;

    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);

    const index = await fetch(`${base}/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await index.text()).toContain('<title>Ticker</title>');
    expect(await (await fetch(`${base}/some/route`)).text()).toContain('<title>Ticker</title>');

    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/app-abc123.js.map`)).status).toBe(404);
    expect((await fetch(`${base}/.env`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('refuses dot-dot and encoded traversal paths with 400', async () => {
    const started = await startServer({ staticDir: null });
    server = started.server;
    // node:http sends the path as written; fetch would normalise the dot segments away first.
    const statusOf = (path: string) =>
      new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port: started.port, path }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });
    for (const path of [
      '/../package.json',
      '/assets/../../etc/passwd',
      '/%2e%2e/',
      '/assets/..%2f..%2fpackage.json',
      '/%2E%2E%5Cetc',
    ]) {
      expect([path, await statusOf(path)]).toEqual([path, 400]);
    }
  });

  it('answers /readyz and serves Prometheus metrics that count what happened', async () => {
    const started = await startServer();
    server = started.server;
    const base = `http://127.0.0.1:${started.port}`;
    expect(await (await fetch(`${base}/readyz`)).text()).toBe('ready\n');
    const client = await connect(started.url);
    client.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC] }));
    await client.next(batchOf(BTC), 'BTC batch');
    client.send(new Uint8Array([1, 0x81, 5])); // malformed
    await client.next(isType(MessageType.Error), 'error');

    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('ticker_connections')).toBe(1);
    expect(value('ticker_subscriptions\\{view="chart"\\}')).toBe(1);
    expect(value('ticker_subscriptions\\{view="quote"\\}')).toBe(0);
    expect(value('ticker_batches_published_total')).toBeGreaterThan(0);
    expect(value('ticker_bytes_published_total')).toBeGreaterThan(
      value('ticker_batches_published_total'),
    );
    expect(value('ticker_snapshots_sent_total\\{view="chart"\\}')).toBe(1);
    expect(value('ticker_snapshots_encoded_total\\{view="chart"\\}')).toBe(1);
    expect(value('ticker_rejected_requests_total\\{reason="malformed"\\}')).toBe(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('answers HEAD on /healthz and /readyz, and sends security headers with every answer', async () => {
    const started = await startServer({
      staticDir: null,
      limits: { ...DEFAULT_CONNECTION_LIMITS, maxConnectionsPerIp: 0 },
    });
    server = started.server;
    const base = `http://127.0.0.1:${started.port}`;
    for (const path of ['/healthz', '/readyz']) {
      const head = await fetch(`${base}${path}`, { method: 'HEAD' });
      expect([path, head.status, head.headers.get('content-type'), await head.text()]).toEqual([
        path,
        200,
        'text/plain; charset=utf-8',
        '',
      ]);
    }
    // Health, readiness, metrics, a refused connection (no address may open one here), a
    // missing dashboard: none is a page, and each says so.
    const answers = await Promise.all(
      ['/healthz', '/readyz', '/metrics', '/ws', '/'].map((path) => fetch(`${base}${path}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 503]);
    for (const answer of answers) {
      expect([
        answer.url,
        Object.fromEntries(ANSWER_HEADERS.map(([name]) => [name, answer.headers.get(name)])),
      ]).toEqual([answer.url, Object.fromEntries(ANSWER_HEADERS)]);
    }
  });

  it('explains a missing dashboard build with 503', async () => {
    const started = await startServer({ staticDir: null });
    server = started.server;
    const response = await fetch(`http://127.0.0.1:${started.port}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/npm run build/);
  });
});
