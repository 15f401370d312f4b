import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { us_listen_socket } from 'uWebSockets.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secretKey, signToken } from '../src/auth/tokens.js';
import { DEFAULT_CONNECTION_LIMITS, defaultUniverse } from '../src/config.js';
import { TradingHours } from '../src/domain/trading-hours.js';
import { createServerStats } from '../src/gateway/server-stats.js';
import { decimal } from '../src/history/candles-json.js';
import { HistoryAnswers } from '../src/history/history-answers.js';
import { HistoryThreadError } from '../src/history/history-thread.js';
import { INTERVALS, SECOND_LEVEL, candleIndex } from '../src/market-path/intervals.js';
import { MarketPath } from '../src/market-path/market-path.js';
import { Admission, OPEN_ACCESS } from '../src/transport/admission.js';
import type { AccessConfig } from '../src/transport/admission.js';
import { ClientAddress } from '../src/transport/client-address.js';
import type { ConnectionLimits, FeedServer, ServerConfig } from '../src/transport/feed-server.js';
import { addHistoryApi } from '../src/transport/history-api.js';
import { listenOn, loadNativeUws } from '../src/transport/uws.js';
import { startServer } from './harness.js';
import { loadApiSchemas } from './openapi-schemas.js';
import type { ApiSchemas } from './openapi-schemas.js';

const FROZEN_AT = Date.UTC(2026, 10, 30, 15, 30, 12, 345);
const SECRET = 'a test secret that is long enough for HS256 use';
const KEY = secretKey(SECRET);
const DAY = 86_400_000;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Ask {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A loopback address to send from: each is another client to the server's budgets. */
  readonly from?: string;
}

/** One HTTP request to the server under test, answered in full. */
function ask(port: number, path: string, options: Ask = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        localAddress: options.from ?? '127.0.0.1',
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

/** `ask`, asked again (at most five times) after each 503's Retry-After. */
async function answered(port: number, path: string): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await ask(port, path);
    if (answer.status !== 503 || attempt === 5) return answer;
    const seconds = Number(answer.headers['retry-after'] ?? '1');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  }
}

const servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(
  overrides: Partial<ServerConfig> = {},
  limits: Partial<ConnectionLimits> = {},
): Promise<number> {
  const { server, port } = await startServer({
    frozenAt: FROZEN_AT,
    ...overrides,
    limits: { ...DEFAULT_CONNECTION_LIMITS, maxApiRequestsPerSecond: 1_000, ...limits },
  });
  servers.push(server);
  return port;
}

let schemas: ApiSchemas;
beforeAll(async () => {
  schemas = await loadApiSchemas();
});

type Row = [number, string, string, string, string, string];

/** Whether `value` is what docs/openapi.yaml declares for its header `name` (a component). */
function declaredHeader(name: string, value: unknown): boolean {
  const header = schemas.document.components?.headers?.[name];
  if (header === undefined || '$ref' in header || header.schema === undefined) {
    throw new Error(`docs/openapi.yaml declares no header ${name}`);
  }
  return schemas.compile(header.schema)(value);
}

/**
 * The candle of `interval` holding `until`, aggregated here from the market's trades at or
 * before `until`, as the API writes a row (null while none has traded); and how many trades of
 * its interval came after `until`, which it must not hold.
 */
function candleOfTrades(
  path: MarketPath,
  ticker: string,
  interval: string,
  until: number,
): { row: Row | null; after: number } {
  const symbolIndex = defaultUniverse().findIndex((s) => s.ticker === ticker);
  const spec = defaultUniverse()[symbolIndex];
  const ms = INTERVALS.find((i) => i.name === interval)?.ms;
  if (spec === undefined || ms === undefined) throw new Error(`${ticker} ${interval}?`);
  const start = Math.floor(until / ms) * ms;
  const prices: number[] = [];
  let volume = 0;
  let after = 0;
  const lastSecond = candleIndex(SECOND_LEVEL, start + ms - 1);
  for (let second = candleIndex(SECOND_LEVEL, start); second <= lastSecond; second++) {
    path.trades(symbolIndex, second, (price, size, time) => {
      if (time > until) {
        after++;
      } else {
        prices.push(price);
        volume += size;
      }
    });
  }
  const open = prices[0];
  const close = prices.at(-1);
  if (open === undefined || close === undefined) return { row: null, after };
  const price = (scaled: number) => decimal(scaled, spec.priceDecimals);
  const row: Row = [
    start,
    price(open),
    price(prices.reduce((a, b) => Math.max(a, b))),
    price(prices.reduce((a, b) => Math.min(a, b))),
    price(close),
    decimal(volume, spec.sizeDecimals),
  ];
  return { row, after };
}

describe('GET /api/v1/candles', () => {
  it('answers the documented JSON: closed candles up to end, final, cached for a year', async () => {
    const port = await serve();
    const end = FROZEN_AT - 2 * DAY;
    const answer = await ask(
      port,
      `/api/v1/candles?symbol=BTC-USD&interval=1h&end=${end}&limit=48`,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const body = JSON.parse(answer.body) as { symbol: string; interval: string; candles: Row[] };
    expect(schemas.schema('CandlesAnswer')(body)).toBe(true);
    expect(body.symbol).toBe('BTC-USD');
    expect(body.interval).toBe('1h');
    expect(body.candles).toHaveLength(48);
    const starts = body.candles.map(([start]) => start);
    expect(starts.at(-1)).toBe(Math.floor(end / 3_600_000) * 3_600_000 - 3_600_000);
    expect(starts.every((start, i) => i === 0 || start - (starts[i - 1] ?? 0) === 3_600_000)).toBe(
      true,
    );
  });

  it('ends with the open candle without end, and may be kept for a second only', async () => {
    const port = await serve();
    const answer = await ask(port, '/api/v1/candles?symbol=ETH-USD&interval=1m&limit=10');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=1');
    const { candles } = JSON.parse(answer.body) as { candles: Row[] };
    expect(candles).toHaveLength(10);
    expect(candles.at(-1)?.[0]).toBe(Math.floor(FROZEN_AT / 60_000) * 60_000);
  });

  it('answers 304 to a matching If-None-Match, with the same tag and caching', async () => {
    const port = await serve();
    const path = `/api/v1/candles?symbol=AAPL&interval=1d&end=${FROZEN_AT}&limit=30`;
    const first = await ask(port, path);
    const etag = first.headers.etag ?? '';
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await ask(port, path, { headers: { 'if-none-match': ifNoneMatch } });
      expect([again.status, again.body, again.headers.etag]).toEqual([304, '', etag]);
      expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
      expect(again.headers['ticker-as-of']).toBeUndefined();
    }
    const other = await ask(port, path, { headers: { 'if-none-match': '"stale"' } });
    expect(other.status).toBe(200);
  });

  it.each([
    ['interval=1m', 400, 'symbol is required, e.g. symbol=BTC-USD'],
    ['symbol=BTC-USD&interval=7m', 400, 'interval must be one of 1s, 1m, 5m, 15m, 1h, 4h, 1d'],
    ['symbol=BTC-USD&interval=1m&limit=5000', 400, 'limit must be an integer from 1 to 1000'],
    ['symbol=BTC-USD&interval=1m&end=yesterday', 400, /^end must be epoch milliseconds from/],
    ['symbol=BTC-USD&interval=1m&from=1', 400, /^unknown parameter: from/],
    ['symbol=NOPE&interval=1m', 404, 'unknown symbol: NOPE'],
  ])('refuses %s with %d and a one-line reason', async (query, status, reason) => {
    const port = await serve();
    const answer = await ask(port, `/api/v1/candles?${query}`);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body.endsWith('\n') && !answer.body.slice(0, -1).includes('\n')).toBe(true);
    if (typeof reason === 'string') expect(answer.body).toBe(`${reason}\n`);
    else expect(answer.body).toMatch(reason);
  });

  it('gives byte-identical answers on two servers with the same market, and after a restart', async () => {
    const paths = [
      `/api/v1/candles?symbol=BTC-USD&interval=1d&end=${FROZEN_AT}&limit=365`,
      `/api/v1/candles?symbol=MSFT&interval=15m&end=${FROZEN_AT - 30 * DAY}&limit=1000`,
      `/api/v1/candles?symbol=ETH-USD&interval=1s&end=${Date.UTC(2017, 4, 1)}&limit=100`,
      '/api/v1/candles?symbol=SOL-USD&interval=5m',
    ];
    // What is compared is the answer, not the budget: a 503 (busy, when the suites share two
    // loaded cores) is asked again after its Retry-After, as the API tells a client to.
    const bodies = async (port: number) =>
      Promise.all(paths.map(async (path) => answered(port, path))).then((answers) =>
        answers.map((a) => [a.status, a.headers.etag, a.body]),
      );
    const first = await bodies(await serve());
    const second = await bodies(await serve());
    await servers.shift()?.close();
    const restarted = await bodies(await serve());
    expect(first.map(([status]) => status)).toEqual(paths.map(() => 200));
    expect(second).toEqual(first);
    expect(restarted).toEqual(first);
    const otherSeed = await bodies(await serve({ seed: 99 }));
    expect(otherSeed[0]?.[2]).not.toBe(first[0]?.[2]);
    // Four rounds of four draws, each maybe asked again after a 503's Retry-After: 4 s alone,
    // over 30 s once when every suite shared two slow cores.
  }, 120_000);
});

describe('Ticker-As-Of', () => {
  const live = '/api/v1/candles?symbol=BTC-USD&interval=1m&limit=5';

  it('says which instant an answer up to now is as of: the market clock when it was asked', async () => {
    let instant = Date.UTC(2026, 0, 5, 15, 30, 0, 250);
    const port = await serve({ frozenAt: null, now: () => instant });
    const first = await ask(port, live);
    expect([first.status, first.headers['ticker-as-of']]).toEqual([200, String(instant)]);
    instant += 1_234;
    const later = await ask(port, live);
    expect([later.status, later.headers['ticker-as-of']]).toEqual([200, String(instant)]);
  });

  it('answers the frozen instant on a FROZEN_AT server, and nothing with end or for symbols', async () => {
    const port = await serve();
    const asOf = (await ask(port, live)).headers['ticker-as-of'];
    expect(asOf).toBe(String(FROZEN_AT));
    expect(declaredHeader('TickerAsOf', Number(asOf))).toBe(true);
    for (const path of [
      `/api/v1/candles?symbol=BTC-USD&interval=1m&end=${FROZEN_AT - DAY}&limit=5`,
      `/api/v1/candles?symbol=BTC-USD&interval=1m&end=${FROZEN_AT + DAY}&limit=5`,
      '/api/v1/symbols',
    ]) {
      const answer = await ask(port, path);
      expect([answer.status, answer.headers['ticker-as-of']], path).toEqual([200, undefined]);
    }
  });

  it('holds in the open candle exactly the trades up to it, and the candles closed by it', async () => {
    const port = await serve({ seed: 3, tickRate: 1_000, stockHours: null });
    const path = new MarketPath({
      universe: defaultUniverse(),
      seed: 3,
      ticksPerSecond: 1_000,
      stockHours: null,
    });
    for (const [ticker, interval] of [
      ['BTC-USD', '1s'],
      ['BTC-USD', '1m'],
      ['AAPL', '1m'],
      ['ETH-USD', '1h'],
    ] as const) {
      const answer = await ask(port, `/api/v1/candles?symbol=${ticker}&interval=${interval}`);
      const asOf = Number(answer.headers['ticker-as-of']);
      expect(asOf).toBe(FROZEN_AT);
      const { candles } = JSON.parse(answer.body) as { candles: Row[] };
      const { row, after } = candleOfTrades(path, ticker, interval, asOf);
      expect(candles.at(-1), `${ticker} ${interval}`).toEqual(row);
      // The instant cuts the candle: trades of its interval came after it, and are not in it.
      expect(after, `${ticker} ${interval}`).toBeGreaterThan(0);
      // Every candle before it closed by then.
      const ms = INTERVALS.find((i) => i.name === interval)?.ms ?? Infinity;
      expect(candles.slice(0, -1).every(([start]) => start + ms <= asOf)).toBe(true);
    }
  });

  it('comes with a 304 too: the instant of this request, to which the kept answer is still exact', async () => {
    // A stock on a Saturday: nothing trades, so its tag holds while the clock moves on.
    let instant = Date.UTC(2026, 0, 10, 12, 0, 0, 500);
    const port = await serve({
      frozenAt: null,
      now: () => instant,
      stockHours: TradingHours.parse('14:30-21:00'),
    });
    const path = '/api/v1/candles?symbol=AAPL&interval=1m&limit=5';
    const first = await ask(port, path);
    expect([first.status, first.headers['ticker-as-of']]).toEqual([200, String(instant)]);
    instant += 90_000;
    const etag = first.headers.etag ?? '';
    const again = await ask(port, path, { headers: { 'if-none-match': etag } });
    expect([again.status, again.body, again.headers.etag]).toEqual([304, '', etag]);
    expect(again.headers['ticker-as-of']).toBe(String(instant));
  });
});

describe('GET /api/v1/symbols', () => {
  it('lists the intervals and the directory, with exact tick and lot sizes', async () => {
    const port = await serve();
    const answer = await ask(port, '/api/v1/symbols');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=60');
    const body = JSON.parse(answer.body) as {
      intervals: string[];
      symbols: Array<{ symbol: string; tickSize: string; priceDecimals: number }>;
    };
    expect(schemas.schema('SymbolsAnswer')(body)).toBe(true);
    expect(body.intervals).toEqual(['1s', '1m', '5m', '15m', '1h', '4h', '1d']);
    expect(body.symbols.map((s) => s.symbol)).toEqual(defaultUniverse().map((s) => s.ticker));
    expect(body.symbols[0]).toMatchObject({ symbol: 'BTC-USD', tickSize: '0.01' });
  });
});

describe('the API edges', () => {
  it('answers an unknown endpoint 404 and another method 405 with Allow', async () => {
    const port = await serve();
    const missing = await ask(port, '/api/v2/candles');
    expect([missing.status, missing.headers['content-type']]).toEqual([
      404,
      'text/plain; charset=utf-8',
    ]);
    const posted = await ask(port, '/api/v1/candles?symbol=BTC-USD&interval=1m', {
      method: 'POST',
    });
    expect([posted.status, posted.headers.allow]).toEqual([405, 'GET, OPTIONS']);
  });

  it('holds each address to its request budget with 429 and Retry-After, others unaffected', async () => {
    // The budgets' clock stands still: no request is refilled, however slow a loaded machine.
    const instant = Date.now();
    const port = await serve({ now: () => instant }, { maxApiRequestsPerSecond: 2 });
    const path = '/api/v1/symbols';
    // A burst of twice the rate, then nothing until the bucket refills (at 2 a second).
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await ask(port, path, { from: '127.0.0.2' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const over = await ask(port, path, { from: '127.0.0.2' });
    expect([over.status, over.headers['retry-after'], over.body]).toEqual([
      429,
      '1',
      'too many requests: at most 2 a second per address\n',
    ]);
    expect((await ask(port, path, { from: '127.0.0.3' })).status).toBe(200);
    const metrics = await ask(port, '/metrics');
    expect(metrics.body).toMatch(/ticker_api_answers_total\{status="429"\} [2-9]/);
  });

  it('follows ALLOWED_ORIGINS: CORS headers for allowed origins, 403 for others, preflight', async () => {
    const access: AccessConfig = { ...OPEN_ACCESS, allowedOrigins: ['https://charts.example'] };
    const port = await serve({ access });
    const path = '/api/v1/candles?symbol=BTC-USD&interval=1m&limit=2';
    const allowed = await ask(port, path, { headers: { origin: 'https://charts.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://charts.example');
    expect(allowed.headers.vary).toBe('Origin');
    const exposed = allowed.headers['access-control-expose-headers'];
    expect(exposed).toBe('ETag, Retry-After, Ticker-As-Of');
    expect(declaredHeader('AccessControlExposeHeaders', exposed)).toBe(true);
    expect(allowed.headers['ticker-as-of']).toBe(String(FROZEN_AT));
    const revalidated = await ask(port, path, {
      headers: { origin: 'https://charts.example', 'if-none-match': allowed.headers.etag ?? '' },
    });
    expect([
      revalidated.status,
      revalidated.headers['access-control-expose-headers'],
      revalidated.headers['ticker-as-of'],
    ]).toEqual([304, 'ETag, Retry-After, Ticker-As-Of', String(FROZEN_AT)]);
    const refused = await ask(port, path, { headers: { origin: 'https://evil.example' } });
    expect([refused.status, refused.body]).toEqual([
      403,
      'origin https://evil.example is not allowed\n',
    ]);
    const preflight = await ask(port, path, {
      method: 'OPTIONS',
      headers: { origin: 'https://charts.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toBe('Authorization, If-None-Match');
    const noOrigin = await ask(port, path);
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
    expect(noOrigin.headers.vary).toBe('Origin');
  });

  it('refuses a host outside PUBLIC_HOSTS with 421', async () => {
    const access: AccessConfig = { ...OPEN_ACCESS, publicHosts: ['ticker.example'] };
    const port = await serve({ access });
    const answer = await ask(port, '/api/v1/symbols', { headers: { host: 'other.example' } });
    expect([answer.status, answer.body]).toEqual([421, 'host other.example is not served here\n']);
    const served = await ask(port, '/api/v1/symbols', { headers: { host: 'ticker.example' } });
    expect(served.status).toBe(200);
  });
});

describe('the API behind AUTH_SECRET', () => {
  const path = (symbol: string) => `/api/v1/candles?symbol=${symbol}&interval=1h&limit=3`;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('needs a valid Bearer token: 401 with WWW-Authenticate and the reason', async () => {
    const port = await serve({ access: { ...OPEN_ACCESS, secret: KEY } });
    const expired = await signToken(KEY, { ttlSeconds: 60, now: Date.now() - 3_600_000 });
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'an access token is required: send Authorization: Bearer <token>'],
      [bearer(expired), 'token expired'],
      [bearer('not.a.jwt'), 'token malformed'],
    ];
    for (const [headers, reason] of cases) {
      for (const endpoint of [path('BTC-USD'), '/api/v1/symbols']) {
        const answer = await ask(port, endpoint, { headers });
        expect([answer.status, answer.headers['www-authenticate'], answer.body]).toEqual([
          401,
          'Bearer',
          `${reason}\n`,
        ]);
      }
    }
  });

  it('applies the token grant (403 outside it) and keeps answers private', async () => {
    const port = await serve({ access: { ...OPEN_ACCESS, secret: KEY } });
    const token = await signToken(KEY, { ttlSeconds: 60, symbols: ['BTC-USD'] });
    const granted = await ask(port, path('BTC-USD'), { headers: bearer(token) });
    expect(granted.status).toBe(200);
    expect(granted.headers['cache-control']).toBe('private, max-age=1');
    const refused = await ask(port, path('ETH-USD'), { headers: bearer(token) });
    expect([refused.status, refused.body]).toEqual([
      403,
      'symbol ETH-USD is not granted by the token\n',
    ]);
    const symbols = await ask(port, '/api/v1/symbols', { headers: bearer(token) });
    expect([symbols.status, symbols.headers['cache-control']]).toEqual([
      200,
      'private, max-age=60',
    ]);
  });
});

describe('the work budget', () => {
  it('makes a request wait its turn once the budget is spent, and answers 503 after waiting too long', async () => {
    const uWS = loadNativeUws();
    const app = uWS.App();
    const universe = defaultUniverse();
    const path = new MarketPath({ universe, seed: 1, ticksPerSecond: 1_000, stockHours: null });
    const answers = new HistoryAnswers(path, universe, { private: false });
    const stats = createServerStats({ ticks: 0 });
    addHistoryApi(app, {
      // Answered in place, each costing a millisecond of work (more than the budget's rate).
      candles: (query, grant, now) =>
        Promise.resolve({ answer: answers.candles(query, grant, now), workMs: 1 }),
      symbols: answers.symbols(),
      admission: new Admission(DEFAULT_CONNECTION_LIMITS, OPEN_ACCESS, Date.now()),
      clientAddress: new ClientAddress([]),
      secret: null,
      requestsPerSecond: 1_000,
      // A microsecond a second: the first answer (a millisecond) goes out, the next finds the
      // budget spent and waits, longer than it may.
      workMsPerSecond: 0.001,
      maxWaitMs: 200,
      stats,
      now: () => FROZEN_AT,
      clock: Date.now,
    });
    const socket: us_listen_socket = await listenOn(app, '127.0.0.1', 0);
    try {
      const port = uWS.us_socket_local_port(socket);
      const query = `/api/v1/candles?symbol=BTC-USD&interval=1d&end=${FROZEN_AT}&limit=1000`;
      expect((await ask(port, query)).status).toBe(200);
      const asked = Date.now();
      const busy = await ask(port, query);
      expect(Date.now() - asked).toBeGreaterThanOrEqual(190);
      expect([busy.status, busy.headers['retry-after'], busy.body]).toEqual([
        503,
        '1',
        'the history API is busy: try again in a second\n',
      ]);
      expect(stats.apiAnswers.get('503')).toBe(1);
    } finally {
      uWS.us_listen_socket_close(socket);
    }
  });
});

describe('a history thread that fails', () => {
  it('answers 503 with Retry-After, and the next request is served again', async () => {
    const uWS = loadNativeUws();
    const app = uWS.App();
    const universe = defaultUniverse();
    const answers = new HistoryAnswers(
      new MarketPath({ universe, seed: 1, ticksPerSecond: 1_000, stockHours: null }),
      universe,
      { private: false },
    );
    let failing = true;
    addHistoryApi(app, {
      candles: (query, grant, now) =>
        failing
          ? Promise.reject(new HistoryThreadError('the history thread exited (code 1)', 0))
          : Promise.resolve({ answer: answers.candles(query, grant, now), workMs: 1 }),
      symbols: answers.symbols(),
      admission: new Admission(DEFAULT_CONNECTION_LIMITS, OPEN_ACCESS, Date.now()),
      clientAddress: new ClientAddress([]),
      secret: null,
      requestsPerSecond: 1_000,
      stats: createServerStats({ ticks: 0 }),
      now: () => FROZEN_AT,
      clock: Date.now,
    });
    const socket: us_listen_socket = await listenOn(app, '127.0.0.1', 0);
    try {
      const port = uWS.us_socket_local_port(socket);
      const query = `/api/v1/candles?symbol=BTC-USD&interval=1h&end=${FROZEN_AT}&limit=10`;
      const failed = await ask(port, query);
      expect([failed.status, failed.headers['retry-after'], failed.body]).toEqual([
        503,
        '1',
        'the history could not be computed: try again in a second\n',
      ]);
      failing = false;
      expect((await ask(port, query)).status).toBe(200);
    } finally {
      uWS.us_listen_socket_close(socket);
    }
  });
});
