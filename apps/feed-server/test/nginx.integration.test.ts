import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MessageType, decodeTickBatch, encodeSubscribe } from '@ticker/protocol';
import { DEFAULT_CONNECTION_LIMITS } from '../src/config.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { startServer, typeOf } from './harness.js';
import { RawPeer, within } from './hostile-harness.js';

/*
 * The production topology of docs/DEPLOY.md "Behind nginx": a real nginx (Debian's, which
 * .ci/run installs) running deploy/nginx/ticker-locations.conf in front of the feed server,
 * with TRUSTED_PROXIES naming it. What uWebSockets.js cannot do itself, the proxy must.
 */

const LOCATIONS = fileURLToPath(
  new URL('../../../deploy/nginx/ticker-locations.conf', import.meta.url),
);
const BTC = 1;
/** Debian puts it in /usr/sbin, which is not on every user's PATH. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

let server: FeedServer | null = null;
let nginx: ChildProcess | null = null;
let dir = '';
let proxyPort = 0;
const open: WebSocket[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

function nginxConfig(upstreamPort: number): string {
  return `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream ticker_gateways { server 127.0.0.1:${upstreamPort}; }
  server {
    listen 127.0.0.1:${proxyPort};
    server_name localhost;
    include ${LOCATIONS};
  }
}
`;
}

/** Resolves once something accepts TCP connections on `port`, within a bound. */
async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  const found = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  if (found.error) {
    throw new Error('nginx is needed for this test: apt-get install nginx (.ci/run does)');
  }
  const started = await startServer({
    trustedProxies: ['127.0.0.1'],
    limits: { ...DEFAULT_CONNECTION_LIMITS, maxConnectionsPerIp: 1 },
  });
  server = started.server;
  dir = mkdtempSync(join(tmpdir(), 'ticker-nginx-'));
  proxyPort = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(started.port));
  // -e: its own error log from the start, not /var/log/nginx's (which needs root).
  const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')];
  nginx = spawn(NGINX, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await listening(proxyPort);
});

afterAll(async () => {
  for (const socket of open) socket.terminate();
  nginx?.kill('SIGTERM');
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A feed connection through nginx from `localAddress`: the open socket, or the refusal's status. */
function connect(localAddress: string): Promise<WebSocket | number> {
  return within(
    new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${proxyPort}/ws`, { localAddress });
      socket.binaryType = 'nodebuffer';
      socket.once('open', () => {
        open.push(socket);
        resolve(socket);
      });
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
      });
      socket.once('error', reject);
    }),
    10_000,
    `a connection from ${localAddress}`,
  );
}

/** Writes `text` to nginx on a raw socket, `segment` bytes per TCP segment; resolves with the answer. */
async function raw(text: string, segment = text.length): Promise<string> {
  const peer = await RawPeer.connect(proxyPort);
  peer.socket.setNoDelay(true);
  try {
    for (let at = 0; at < text.length; at += segment) {
      await new Promise<void>((resolve) => {
        peer.socket.write(text.slice(at, at + segment), () => {
          resolve();
        });
      });
    }
    await peer.until(() => peer.received.includes('\r\n\r\n'), 'an answer from nginx');
    return peer.received.toString('latin1');
  } finally {
    peer.destroy();
  }
}

describe('behind nginx', () => {
  it('streams a WebSocket client gaplessly', async () => {
    const socket = await connect('127.0.0.2');
    if (typeof socket === 'number') throw new Error(`refused with ${socket}`);
    const seqs: number[] = [];
    await within(
      new Promise<void>((resolve) => {
        socket.on('message', (data: Buffer) => {
          const frame = new Uint8Array(data);
          if (typeOf(frame) !== MessageType.TickBatch) return;
          const batch = decodeTickBatch(frame);
          if (batch.symbolId === BTC) seqs.push(batch.seq);
          if (seqs.length === 20) resolve();
        });
        socket.send(encodeSubscribe({ requestId: 1, symbolIds: [BTC] }));
      }),
      20_000,
      '20 BTC batches through nginx',
    );
    expect(seqs.slice(1)).toEqual(seqs.slice(0, -1).map((seq) => seq + 1));
  });

  it('applies per-address limits to the forwarded address, not to the proxy', async () => {
    // 127.0.0.2 holds its one connection (the test above): another from it is refused, while
    // one from 127.0.0.3 is admitted, though every connection reaches the server from nginx.
    expect(await connect('127.0.0.2')).toBe(429);
    expect(typeof (await connect('127.0.0.3'))).toBe('object');
    expect(server?.stats.refusedConnections.get('per_ip_connections')).toBe(1);
  });

  it('refuses ambiguous framing at the proxy', async () => {
    const duplicate = await raw(
      'GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 4\r\n\r\n',
    );
    expect(duplicate).toMatch(/^HTTP\/1\.1 400 /);
    const both = await raw(
      'GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(both).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw('DELETE / HTTP/1.1\r\nHost: t\r\n\r\n')).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('answers a 6 KB header set sent in 1,460-byte segments, and HTTP/1.0', async () => {
    const cookies = Array.from({ length: 6 }, (_, i) => `Cookie-${i}: ${'c'.repeat(1_000)}`);
    const head = ['GET /healthz HTTP/1.1', 'Host: t', ...cookies, 'Connection: close', '', ''];
    const answer = await raw(head.join('\r\n'), 1_460);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(await raw('GET /readyz HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('passes the history API its origin, revalidation and preflights', async () => {
    // Closed candles only: the open one moves on with the live market, and its ETag with it.
    const path = `/api/v1/candles?symbol=BTC-USD&interval=1d&limit=3&end=${Date.now() - 86_400_000}`;
    const ask = (method: string, headers: string[]) =>
      raw(
        [`${method} ${path} HTTP/1.1`, 'Host: t', ...headers, 'Connection: close', '', ''].join(
          '\r\n',
        ),
      );
    const first = await ask('GET', ['Origin: http://t']);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toMatch(/\r\naccess-control-allow-origin: http:\/\/t\r\n/i);
    const etag = /\r\netag: ("[^"]+")\r\n/i.exec(first)?.[1] ?? 'none';
    expect(await ask('GET', [`If-None-Match: ${etag}`])).toMatch(/^HTTP\/1\.1 304 /);
    expect(await ask('OPTIONS', ['Origin: http://t'])).toMatch(/^HTTP\/1\.1 204 /);
    expect(await ask('GET', ['Origin: https://elsewhere.example'])).toMatch(/^HTTP\/1\.1 403 /);
    expect(await ask('POST', [])).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('keeps /metrics off the public side', async () => {
    expect(await raw('GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 404 /,
    );
  });
});
