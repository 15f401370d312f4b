import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClientErrorCode,
  FeedClient,
  HISTORY_INTERVAL_NAMES,
  HistoryError,
  MAX_HISTORY_LIMIT,
} from '../src/index.js';
import type { FeedClientOptions, History, HistoryRequest } from '../src/index.js';
import { historyEndpoint, parseRetryAfter } from '../src/history.js';
import { FakeHistoryServer, json, reply, text } from './fake-history-server.js';
import type { Answer } from './fake-history-server.js';
import { BTC_INFO, FakeSocket } from './fake-socket.js';

let server: FakeHistoryServer;
const clients: FeedClient[] = [];
beforeEach(async () => {
  server = await FakeHistoryServer.start();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

/** A client of the fake server's host; it never connects unless a test does. */
function client(options: Partial<FeedClientOptions> = {}): FeedClient {
  const created = new FeedClient({ url: server.wsUrl, WebSocket: FakeSocket, ...options });
  clients.push(created);
  return created;
}

const BTC_1M: HistoryRequest = { symbol: 'BTC-USD', interval: '1m' };
const T0 = 1_764_547_200_000; // 2025-12-01T00:00Z, a multiple of every interval

/** The body the history API sends for BTC-USD 1m with these candle rows. */
function candles(rows: unknown[], symbol = 'BTC-USD', interval = '1m'): Answer {
  return json({ symbol, interval, candles: rows });
}

/** Resolves with the HistoryError `history()` rejects with (failing if it resolves). */
async function historyError(
  request: HistoryRequest = BTC_1M,
  feed = client(),
): Promise<HistoryError> {
  const error: unknown = await feed.history(request).then(
    () => new Error('history() resolved'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HistoryError);
  return error as HistoryError;
}

describe('history(): the request', () => {
  it('asks the feed host over http, at /api/v1/candles, with every parameter given', async () => {
    const history = await client().history({ ...BTC_1M, end: T0, limit: 120 });
    expect(history).toEqual({ symbol: 'BTC-USD', interval: '1m', intervalMs: 60_000, candles: [] });
    expect(server.requests).toHaveLength(1);
    expect(server.last.method).toBe('GET');
    expect(server.last.url).toBe(`/api/v1/candles?symbol=BTC-USD&interval=1m&end=${T0}&limit=120`);
    expect(server.last.headers.accept).toBe('application/json');
  });

  it('leaves out end and limit when not given, and encodes the symbol', async () => {
    await client().history({ symbol: 'BRK B&C', interval: '1d' });
    expect(server.last.url).toBe('/api/v1/candles?symbol=BRK+B%26C&interval=1d');
    expect(server.last.query.get('symbol')).toBe('BRK B&C');
  });

  it("replaces the feed URL's path and query", async () => {
    await client({ url: `${server.wsUrl.replace('/ws', '/feed/ws')}?x=1#h` }).history(BTC_1M);
    expect(server.last.url).toBe('/api/v1/candles?symbol=BTC-USD&interval=1m');
  });

  it("follows the client's current URL", async () => {
    const feed = client({ url: [server.wsUrl, 'ws://127.0.0.1:1/ws'] });
    expect(feed.url).toBe(server.wsUrl);
    await feed.history(BTC_1M);
    expect(server.requests).toHaveLength(1);
  });

  it('goes to historyUrl instead, appending the API path to its own', async () => {
    // Nothing listens at the feed URL's port: only the override can reach the server.
    const elsewhere = { url: 'ws://127.0.0.1:1/ws' };
    await client({ ...elsewhere, historyUrl: server.httpUrl }).history(BTC_1M);
    expect(server.last.path).toBe('/api/v1/candles');
    await client({ ...elsewhere, historyUrl: `${server.httpUrl}/ticker/` }).history(BTC_1M);
    expect(server.last.path).toBe('/ticker/api/v1/candles');
    expect(server.requests).toHaveLength(2);
  });

  it('derives http from ws and https from wss, keeping host and port', () => {
    expect(historyEndpoint('ws://localhost:8080/ws').href).toBe(
      'http://localhost:8080/api/v1/candles',
    );
    expect(historyEndpoint('wss://feed.example.com/ws').href).toBe(
      'https://feed.example.com/api/v1/candles',
    );
    expect(historyEndpoint('wss://feed.example.com:8443/live/ws?a=1').href).toBe(
      'https://feed.example.com:8443/api/v1/candles',
    );
    expect(historyEndpoint('wss://feed.example.com/ws', 'https://api.example.com').href).toBe(
      'https://api.example.com/api/v1/candles',
    );
    expect(historyEndpoint('ws://a/ws', 'wss://b/x').href).toBe('https://b/x/api/v1/candles');
  });

  it('rejects a URL it cannot derive the API from, naming the option', async () => {
    await expect(client({ historyUrl: 'ftp://a/' }).history(BTC_1M)).rejects.toThrow(
      /historyUrl "ftp:\/\/a\/" is not a ws:, wss:, http: or https: URL/,
    );
    // Node has no page to resolve a relative URL against.
    await expect(client({ url: '/ws' }).history(BTC_1M)).rejects.toThrow(
      new TypeError('history: url "/ws" is not a URL'),
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('history(): the token', () => {
  it('sends a fixed token as a Bearer header, never in the URL', async () => {
    await client({ token: 'abc.def.ghi' }).history(BTC_1M);
    expect(server.last.headers.authorization).toBe('Bearer abc.def.ghi');
    expect(server.last.url).not.toContain('abc');
  });

  it('asks a token function once per request', async () => {
    let issued = 0;
    const feed = client({ token: () => `token-${++issued}` });
    await feed.history(BTC_1M);
    await feed.history(BTC_1M);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(issued).toBe(2);
  });

  it('sends no Authorization header without a token', async () => {
    await client().history(BTC_1M);
    await client({ token: () => null }).history(BTC_1M);
    await client({ token: '' }).history(BTC_1M);
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) expect(request.headers.authorization).toBeUndefined();
  });
});

describe('history(): the answer, as scaled integers', () => {
  it('parses the contract’s example exactly', async () => {
    server.answer = candles([
      [T0, '43188.46', '43190.00', '43180.12', '43185.50', '1.23450000'],
      [T0 + 60_000, '43185.50', '43200.01', '43185.50', '43199.99', '0.00000001'],
    ]);
    const history: History = await client().history(BTC_1M);
    expect(history).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      intervalMs: 60_000,
      candles: [
        {
          start: T0,
          open: 4318846,
          high: 4319000,
          low: 4318012,
          close: 4318550,
          volume: 123450000,
        },
        {
          start: T0 + 60_000,
          open: 4318550,
          high: 4320001,
          low: 4318550,
          close: 4319999,
          volume: 1,
        },
      ],
    });
  });

  it('gives the instant the open candle is as of, from Ticker-As-Of, for a request without end', async () => {
    const body = JSON.stringify({ symbol: 'BTC-USD', interval: '1m', candles: [] });
    const asOf = String(T0 + 12_345);
    server.answer = reply(200, body, {
      'Content-Type': 'application/json',
      'Ticker-As-Of': asOf,
    });
    expect((await client().history(BTC_1M)).asOf).toBe(T0 + 12_345);
    // With end the answer holds closed candles only: a header there is not its to give.
    expect((await client().history({ ...BTC_1M, end: T0 })).asOf).toBeUndefined();
    for (const unreadable of ['', 'soon', '-5', '1.5', '99999999999999999']) {
      server.answer = reply(200, body, {
        'Content-Type': 'application/json',
        'Ticker-As-Of': unreadable,
      });
      expect((await client().history(BTC_1M)).asOf, unreadable).toBeUndefined();
    }
  });

  it('reads values without decimals, and leading zeros', async () => {
    server.answer = candles([[T0, '7', '9', '0', '08', '0.00012345']]);
    const [candle] = (await client().history(BTC_1M)).candles;
    expect(candle).toEqual({ start: T0, open: 7, high: 9, low: 0, close: 8, volume: 12345 });
  });

  it('reads the API description’s stock example (0 size decimals: volume without a dot)', async () => {
    // docs/openapi.yaml, getCandles example `stockDays`.
    server.answer = candles(
      [
        [1764288000000, '176.97', '178.38', '175.56', '178.28', '7018784'],
        [1764374400000, '178.28', '179.38', '175.77', '176.28', '18896540'],
        [1764460800000, '176.28', '176.64', '174.13', '175.08', '9296640'],
      ],
      'AAPL',
      '1d',
    );
    const history = await client().history({
      symbol: 'AAPL',
      interval: '1d',
      end: 1764547200000,
      limit: 3,
    });
    expect(history.intervalMs).toBe(86_400_000);
    expect(history.candles.map((c) => [c.start, c.open, c.high, c.low, c.close, c.volume])).toEqual(
      [
        [1764288000000, 17697, 17838, 17556, 17828, 7018784],
        [1764374400000, 17828, 17938, 17577, 17628, 18896540],
        [1764460800000, 17628, 17664, 17413, 17508, 9296640],
      ],
    );
  });

  it('stays exact up to Number.MAX_SAFE_INTEGER once scaled', async () => {
    // 9007199254740991 as a price with 8 decimals and a volume with none: a binary float
    // (90071992.54740991 * 1e8) would not give it back.
    server.answer = candles([
      [
        T0,
        '90071992.54740991',
        '90071992.54740991',
        '0.00000001',
        '1.00000000',
        '9007199254740991',
      ],
    ]);
    const [candle] = (await client().history(BTC_1M)).candles;
    expect(candle).toEqual({
      start: T0,
      open: Number.MAX_SAFE_INTEGER,
      high: Number.MAX_SAFE_INTEGER,
      low: 1,
      close: 100000000,
      volume: Number.MAX_SAFE_INTEGER,
    });
  });

  // Parsed as binary floats and scaled (Math.round(parseFloat(text) * 1e8)), these come out one
  // off; found by trying values below MAX_SAFE_INTEGER.
  it.each([
    ['90071992.54725153', 9007199254725153],
    ['90071992.54701396', 9007199254701396],
    ['12345678.12345678', 1234567812345678],
  ])('reads %s as %i, exactly', async (value, scaled) => {
    server.answer = candles([[T0, value, value, value, value, '1']]);
    const [candle] = (await client().history(BTC_1M)).candles;
    expect(candle).toEqual({
      start: T0,
      open: scaled,
      high: scaled,
      low: scaled,
      close: scaled,
      volume: 1,
    });
  });

  it.each([
    ['90071992.54740992', 'one past MAX_SAFE_INTEGER'],
    ['123456789.12345678', '17 digits'],
    ['99999999999999999', 'no decimals'],
  ])('rejects %s (%s) rather than round it', async (value) => {
    server.answer = candles([[T0, '1.00000000', '1.00000000', '1.00000000', '1.00000000', value]]);
    const error = await historyError();
    expect(error.code).toBe(ClientErrorCode.HistoryMalformed);
    expect(error.status).toBe(200);
    expect(error.reason).toBe(
      `candles[0][5] (volume) "${value}" is beyond Number.MAX_SAFE_INTEGER once scaled (${value.replace('.', '')})`,
    );
  });

  it('checks the decimals against the directory when the client has one', async () => {
    const feed = client();
    feed.connect();
    FakeSocket.last.greet(5_000, Date.now(), { symbols: [BTC_INFO] }); // 2 price, 4 size decimals
    server.answer = candles([[T0, '1.00', '2.00', '0.50', '1.50', '3.0000']]);
    expect((await feed.history(BTC_1M)).candles[0]).toMatchObject({ high: 200, volume: 30000 });
    server.answer = candles([[T0, '1.000', '2.000', '0.500', '1.500', '3.0000']]);
    const error = await historyError(BTC_1M, feed);
    expect(error.reason).toBe('candles[0][1] (open) "1.000" has 3 decimals, expected 2');
  });
});

describe('history(): malformed answers', () => {
  const row = [T0, '1.00', '2.00', '0.50', '1.50', '3.0000'];
  const malformed: [string, Answer, string][] = [
    ['not JSON', json('{"symbol":"BTC-USD",'), 'not JSON: '],
    [
      'a page (an older server serving its dashboard)',
      reply(200, '<!doctype html>', { 'Content-Type': 'text/html; charset=utf-8' }),
      'text/html, not application/json (is this a history API?)',
    ],
    ['no content type', reply(200, '{}', {}), 'no content type, not application/json'],
    ['an array', json([]), 'the body is an array of 0, not an object'],
    ['another symbol', candles([], 'ETH-USD'), 'symbol is "ETH-USD", asked for "BTC-USD"'],
    ['another interval', candles([], 'BTC-USD', '5m'), 'interval is "5m", asked for "1m"'],
    [
      'no candles',
      json({ symbol: 'BTC-USD', interval: '1m' }),
      'candles is undefined, not an array',
    ],
    [
      'a short row',
      candles([row.slice(0, 5)]),
      'candles[0] is an array of 5, not [start, open, high, low, close, volume]',
    ],
    ['a string start', candles([[String(T0), ...row.slice(1)]]), 'candles[0][0] (start) is "'],
    ['a negative start', candles([[-60_000, ...row.slice(1)]]), 'candles[0][0] (start) is -60000'],
    [
      'an unaligned start',
      candles([[T0 + 1, ...row.slice(1)]]),
      `candles[0] starts at ${T0 + 1}, not a multiple of 1m (60000 ms)`,
    ],
    [
      'starts out of order',
      candles([row, row]),
      `candles[1] starts at ${T0}, not after the previous one (${T0})`,
    ],
    [
      'a number for a price',
      candles([[T0, 1.5, ...row.slice(2)]]),
      'candles[0][1] (open) is 1.5, not a decimal string',
    ],
    [
      'prices with mixed decimals',
      candles([[T0, '1.00', '2.0', '0.50', '1.50', '3.0000']]),
      'candles[0][2] (high) "2.0" has 1 decimals, expected 2',
    ],
    [
      'volumes with mixed decimals',
      candles([row, [T0 + 60_000, '1.00', '2.00', '0.50', '1.50', '3.00']]),
      'candles[1][5] (volume) "3.00" has 2 decimals, expected 4',
    ],
    [
      'a low above the open',
      candles([[T0, '1.00', '2.00', '1.10', '1.50', '3.0000']]),
      `candles[0] (start ${T0}) breaks low <= open, close <= high: open=100 high=200 low=110 close=150`,
    ],
    [
      'a high below the close',
      candles([[T0, '1.00', '2.00', '0.50', '2.50', '3.0000']]),
      `candles[0] (start ${T0}) breaks low <= open, close <= high: open=100 high=200 low=50 close=250`,
    ],
    [
      'too many decimals',
      candles([[T0, '1.0000000000000', ...row.slice(2)]]),
      'candles[0][1] (open) "1.0000000000000" has 13 decimals, more than 12',
    ],
  ];
  it.each(malformed)('rejects %s', async (_what, answer, reason) => {
    server.answer = answer;
    const error = await historyError();
    expect(error.code).toBe(ClientErrorCode.HistoryMalformed);
    expect(error.reason.startsWith(reason)).toBe(true);
    expect(error.message).toBe(`history of BTC-USD 1m: malformed answer: ${error.reason}`);
  });

  it.each(['+1.00', '-1.00', '1e2', '1.', '.50', ' 1.00', '1,00', '1.0O', '١.٠٠', ''])(
    'rejects the price %j',
    async (value) => {
      server.answer = candles([[T0, value, '2.00', '0.50', '1.50', '3.0000']]);
      const error = await historyError();
      expect(error.reason).toBe(`candles[0][1] (open) "${value}" is not a decimal number`);
    },
  );

  it('rejects more candles than asked for', async () => {
    server.answer = candles([row, [T0 + 60_000, ...row.slice(1)]]);
    const error = await historyError({ ...BTC_1M, limit: 1 });
    expect(error.reason).toBe('2 candles, asked for at most 1');
  });
});

describe('history(): refusals', () => {
  it.each([
    [400, 'limit must be an integer from 1 to 1000', {}],
    // Reasons as docs/openapi.yaml gives them.
    [
      401,
      'an access token is required: send Authorization: Bearer <token>',
      { 'WWW-Authenticate': 'Bearer' },
    ],
    [403, 'symbol BTC-USD is not granted by the token', {}],
    [404, 'unknown symbol: BTC-USD', {}],
    [421, 'host rebound.example is not served here', {}],
    [500, 'internal error', {}],
  ])('maps %i to HistoryRefused with its reason', async (status, reason, headers) => {
    server.answer = text(status, reason, headers);
    const error = await historyError();
    expect(error).toMatchObject({ code: 104, status, reason, retryAfterMs: null });
    expect(error.code).toBe(ClientErrorCode.HistoryRefused);
    expect(error.message).toBe(`history of BTC-USD 1m refused: ${status} ${reason}`);
    expect(error.name).toBe('HistoryError');
  });

  it('maps 429 with its Retry-After', async () => {
    server.answer = text(429, 'at most 20 API requests per second per address', {
      'Retry-After': '3',
    });
    const error = await historyError();
    expect(error).toMatchObject({
      code: ClientErrorCode.HistoryRefused,
      status: 429,
      reason: 'at most 20 API requests per second per address',
      retryAfterMs: 3_000,
    });
    expect(error.message).toBe(
      'history of BTC-USD 1m refused: 429 at most 20 API requests per second per address (retry after 3000 ms)',
    );
  });

  it('reads Retry-After as seconds or an HTTP-date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('keeps only the first line of a reason, and none of a page that is not text/plain', async () => {
    server.answer = text(400, 'end must be epoch milliseconds\nsecond line');
    expect((await historyError()).reason).toBe('end must be epoch milliseconds');
    server.answer = reply(502, '<html><body>Bad Gateway</body></html>', {
      'Content-Type': 'text/html',
    });
    const error = await historyError();
    expect(error).toMatchObject({ code: ClientErrorCode.HistoryRefused, status: 502, reason: '' });
    expect(error.message).toBe('history of BTC-USD 1m refused: 502');
  });
});

describe('history(): no answer, aborts and bad arguments', () => {
  it('rejects with HistoryUnreachable when the connection drops', async () => {
    server.answer = (request) => {
      request.socket.destroy();
    };
    const error = await historyError();
    expect(error).toMatchObject({ code: ClientErrorCode.HistoryUnreachable, status: null });
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain(`no answer from ${server.httpUrl}`);
  });

  it('rejects with the signal’s reason when aborted in flight', async () => {
    server.answer = () => {}; // never answers
    const controller = new AbortController();
    const pending = client().history(BTC_1M, { signal: controller.signal });
    await server.arrived();
    const reason = new Error('chart closed');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects with an AbortError by default, and sends nothing once aborted', async () => {
    server.answer = () => {};
    const controller = new AbortController();
    const pending = client().history(BTC_1M, { signal: controller.signal });
    await server.arrived();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const sent = server.requests.length;
    await expect(client().history(BTC_1M, { signal: AbortSignal.abort('gone') })).rejects.toBe(
      'gone',
    );
    expect(server.requests).toHaveLength(sent);
  });

  const bad: [string, unknown, ErrorConstructor, string][] = [
    [
      'no symbol',
      { interval: '1m' },
      TypeError,
      'symbol must be a non-empty string, got undefined',
    ],
    ['an empty symbol', { ...BTC_1M, symbol: '' }, TypeError, 'symbol must be a non-empty string'],
    ['an unknown interval', { ...BTC_1M, interval: '2m' }, RangeError, 'interval must be one of'],
    [
      'a limit of 0',
      { ...BTC_1M, limit: 0 },
      RangeError,
      'limit must be an integer from 1 to 1000, got 0',
    ],
    ['a limit of 1001', { ...BTC_1M, limit: 1001 }, RangeError, 'limit must be an integer'],
    ['a fractional limit', { ...BTC_1M, limit: 2.5 }, RangeError, 'limit must be an integer'],
    [
      'a string limit',
      { ...BTC_1M, limit: '10' },
      RangeError,
      'limit must be an integer from 1 to 1000, got "10"',
    ],
    ['a negative end', { ...BTC_1M, end: -1 }, RangeError, 'end must be a non-negative integer'],
    [
      'a fractional end',
      { ...BTC_1M, end: T0 + 0.5 },
      RangeError,
      'end must be a non-negative integer',
    ],
    [
      'a NaN end',
      { ...BTC_1M, end: NaN },
      RangeError,
      'end must be a non-negative integer (epoch ms), got NaN',
    ],
    ['no request', null, TypeError, 'request must be an object, got null'],
  ];
  it.each(bad)('rejects %s before sending anything', async (_what, request, type, message) => {
    const error: unknown = await client()
      .history(request as HistoryRequest)
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(`history: ${message}`);
    expect(server.requests).toHaveLength(0);
  });

  it('takes every interval and limit in range', async () => {
    for (const interval of HISTORY_INTERVAL_NAMES) {
      await client().history({ symbol: 'BTC-USD', interval, limit: MAX_HISTORY_LIMIT, end: 0 });
    }
    expect(server.requests.map((r) => r.query.get('interval'))).toEqual([
      '1s',
      '1m',
      '5m',
      '15m',
      '1h',
      '4h',
      '1d',
    ]);
  });
});
