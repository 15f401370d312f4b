import { afterEach, describe, expect, it } from 'vitest';
import { secretKey } from '../src/auth/tokens.js';
import { ConfigError, configFromEnv } from '../src/config.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { DEFAULT_OPERATIONS } from '../src/transport/operations.js';
import type { OperationsConfig } from '../src/transport/operations.js';
import { startServer } from './harness.js';

/* Who may read /metrics (README "Endpoints"), and the operations port of its own. */

const SECRET = secretKey('a secret of at least thirty-two bytes, for tests');

let server: FeedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serverWith(
  operations: Partial<OperationsConfig>,
  accessControl: boolean,
): Promise<{ base: string; ops: string | null }> {
  const started = await startServer({
    operations: { ...DEFAULT_OPERATIONS, ...operations },
    access: { secret: accessControl ? SECRET : null, allowedOrigins: [] },
  });
  server = started.server;
  const opsPort = started.server.operationsPort;
  return {
    base: `http://127.0.0.1:${started.port}`,
    ops: opsPort === null ? null : `http://127.0.0.1:${opsPort}`,
  };
}

async function get(url: string, token?: string): Promise<[number, string]> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  return [response.status, text.startsWith('# HELP') ? 'metrics' : text];
}

describe('/metrics', () => {
  it('is open on an open server', async () => {
    const { base } = await serverWith({}, false);
    expect(await get(`${base}/metrics`)).toEqual([200, 'metrics']);
  });

  it('is refused on the public port while access control is on, health is not', async () => {
    const { base } = await serverWith({}, true);
    expect(await get(`${base}/metrics`)).toEqual([
      403,
      'metrics are private while AUTH_SECRET is set: set METRICS_PORT or METRICS_TOKEN\n',
    ]);
    expect(await get(`${base}/healthz`)).toEqual([200, 'ok\n']);
    expect(await get(`${base}/readyz`)).toEqual([200, 'ready\n']);
  });

  it('needs METRICS_TOKEN as a bearer token when one is set, access control or not', async () => {
    const { base } = await serverWith({ token: 'scrape-me' }, true);
    const refused = [401, 'metrics need Authorization: Bearer <METRICS_TOKEN>\n'];
    expect(await get(`${base}/metrics`)).toEqual(refused);
    expect(await get(`${base}/metrics`, 'scrape-mf')).toEqual(refused);
    expect(await get(`${base}/metrics`, 'scrape-me-too')).toEqual(refused);
    expect(await get(`${base}/metrics`, 'scrape-me')).toEqual([200, 'metrics']);
  });

  it('moves to METRICS_PORT, with health, and leaves the public port', async () => {
    const { base, ops } = await serverWith({ port: 0 }, true);
    if (ops === null) throw new Error('no operations port');
    expect(await get(`${base}/metrics`)).toEqual([404, 'metrics are served on METRICS_PORT\n']);
    expect(await get(`${ops}/metrics`)).toEqual([200, 'metrics']);
    expect(await get(`${ops}/healthz`)).toEqual([200, 'ok\n']);
    expect((await fetch(`${ops}/readyz`, { method: 'HEAD' })).status).toBe(200);
    expect(await get(`${ops}/ws`)).toEqual([
      404,
      'operations port: /healthz, /readyz and /metrics only\n',
    ]);
    expect(await get(`${base}/healthz`)).toEqual([200, 'ok\n']);
  });

  it('on METRICS_PORT still needs METRICS_TOKEN when one is set', async () => {
    const { ops } = await serverWith({ port: 0, token: 'scrape-me' }, false);
    if (ops === null) throw new Error('no operations port');
    expect((await get(`${ops}/metrics`))[0]).toBe(401);
    expect(await get(`${ops}/metrics`, 'scrape-me')).toEqual([200, 'metrics']);
  });
});

describe('METRICS_* settings', () => {
  it('default to no port of their own, loopback, no token', () => {
    expect(configFromEnv({}).operations).toEqual({ port: null, host: '127.0.0.1', token: null });
    expect(
      configFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: 't' })
        .operations,
    ).toEqual({ port: 9464, host: '10.0.0.5', token: 't' });
  });

  it('refuse a port that is not one', () => {
    for (const value of ['x', '-1', '65536', '80.5']) {
      expect(() => configFromEnv({ METRICS_PORT: value })).toThrow(ConfigError);
    }
    expect(() => configFromEnv({ METRICS_PORT: 'x' })).toThrow(
      'METRICS_PORT (--metrics-port) must be a port, 0–65535 (0 picks a free one), or empty for none (got "x")',
    );
  });
});
