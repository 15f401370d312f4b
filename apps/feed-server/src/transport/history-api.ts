import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { TokenError, verifyToken } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import { AddressBuckets } from '../domain/address-buckets.js';
import { TokenBucket } from '../domain/rate-limiter.js';
import { increment } from '../gateway/server-stats.js';
import type { ServerStats } from '../gateway/server-stats.js';
import { matchesEntityTag } from '../history/history-answers.js';
import type { HistoryAnswer, HistoryAnswers } from '../history/history-answers.js';
import { clip } from '../log-throttle.js';
import { OPEN_GRANT } from './admission.js';
import type { Admission } from './admission.js';
import type { ClientAddress } from './client-address.js';
import { DATA_HEADERS } from './http-answers.js';

export interface HistoryApiOptions {
  readonly answers: HistoryAnswers;
  /** Host and origin rules, shared with the WebSocket's admission. */
  readonly admission: Admission;
  readonly clientAddress: ClientAddress;
  /** AUTH_SECRET as bytes, or null when the feed is open. */
  readonly secret: Uint8Array | null;
  /** Requests per second from one address (MAX_API_REQUESTS_PER_SECOND); bursts of twice as many. */
  readonly requestsPerSecond: number;
  readonly stats: ServerStats;
  /** Event-loop milliseconds all answers may take per second; HISTORY_WORK_MS_PER_SECOND by default. */
  readonly workMsPerSecond?: number;
  /** The market's clock: which candles have closed (frozen at FROZEN_AT). */
  readonly now: () => number;
  /** The wall clock: budgets and token expiry. */
  readonly clock: () => number;
}

/** What the checks and the answer need from a request, read before uWS takes `req` back. */
interface ApiRequest {
  readonly ip: string;
  readonly host: string;
  readonly origin: string;
  readonly authorization: string;
  readonly ifNoneMatch: string;
  readonly query: string;
}

type Answer = (request: ApiRequest, grant: Grant) => HistoryAnswer;
type Header = readonly [string, string];

const ALLOWED_METHODS = 'GET, OPTIONS';
const VARY_ORIGIN: Header = ['Vary', 'Origin'];
/**
 * Milliseconds of the event loop all history answers together may take per second, whoever asks:
 * a request deep in the past costs a few milliseconds, and many addresses each within their
 * budget must not slow the live feed. Beyond it the API answers 503 for a moment.
 */
export const HISTORY_WORK_MS_PER_SECOND = 400;
/**
 * The most of that spent in one go (then the budget refills within 50 ms): the loop never
 * answers history for longer than this plus one answer before the feed's timers and other
 * requests (/healthz) get their turn.
 */
export const HISTORY_WORK_BURST_MS = 20;
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * The history API (docs/API.md) on the feed's own port: routes, and the checks every request
 * passes before it is answered, cheapest first: the host (421), the origin (403), the address's
 * request budget (429), the token (401). What the answers hold is `HistoryAnswers`' concern.
 */
export function addHistoryApi(app: TemplatedApp, options: HistoryApiOptions): void {
  const { answers, admission, clientAddress, stats } = options;
  const budgets = new AddressBuckets(
    options.requestsPerSecond,
    options.requestsPerSecond * 2,
    options.clock(),
  );
  const workMs = options.workMsPerSecond ?? HISTORY_WORK_MS_PER_SECOND;
  const work = new TokenBucket(workMs, Math.min(workMs, HISTORY_WORK_BURST_MS), options.clock());

  const serve = (answer: Answer) => (res: HttpResponse, req: HttpRequest) => {
    const request = readRequest(res, req);
    const cors = corsHeaders(res, request);
    if (cors === null) return;
    if (!budgets.take(request.ip, options.clock())) {
      const reason = `too many requests: at most ${options.requestsPerSecond} a second per address`;
      refuse(res, '429 Too Many Requests', cors, reason, [['Retry-After', '1']]);
      return;
    }
    authorize(res, request, cors, (grant) => {
      if (!work.canSpend(options.clock())) {
        const reason = 'the history API is busy: try again in a second';
        refuse(res, '503 Service Unavailable', cors, reason, [['Retry-After', '1']]);
        return;
      }
      const started = performance.now();
      const answered = answer(request, grant);
      work.spend(performance.now() - started);
      write(res, request, cors, answered);
    });
  };

  app.get(
    '/api/v1/candles',
    serve((request, grant) => answers.candles(request.query, grant, options.now())),
  );
  app.get(
    '/api/v1/symbols',
    serve(() => answers.symbols()),
  );
  app.options('/api/*', (res, req) => {
    const cors = corsHeaders(res, readRequest(res, req));
    if (cors === null) return;
    count('204');
    res.writeStatus('204 No Content');
    writeHeaders(res, [
      ...cors,
      ['Access-Control-Allow-Methods', ALLOWED_METHODS],
      ['Access-Control-Allow-Headers', 'Authorization, If-None-Match'],
      ['Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S)],
    ]);
    res.end();
  });
  app.get('/api/*', (res) => {
    refuse(res, '404 Not Found', [], 'no such endpoint: see /api/v1/candles and /api/v1/symbols');
  });
  app.any('/api/*', (res) => {
    refuse(res, '405 Method Not Allowed', [], 'the history API answers GET only', [
      ['Allow', ALLOWED_METHODS],
    ]);
  });

  function readRequest(res: HttpResponse, req: HttpRequest): ApiRequest {
    const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
    return {
      ip: clientAddress.of(peer, req.getHeader('x-forwarded-for')),
      host: req.getHeader('host'),
      origin: req.getHeader('origin'),
      authorization: req.getHeader('authorization'),
      ifNoneMatch: req.getHeader('if-none-match'),
      query: req.getQuery(),
    };
  }

  /**
   * The CORS headers the request's origin gets (none without an Origin); null when the host or
   * the origin is refused, which this answers (421, 403).
   */
  function corsHeaders(res: HttpResponse, request: ApiRequest): Header[] | null {
    if (!admission.servesHost(request.host)) {
      refuse(res, '421 Misdirected Request', [], `host ${request.host} is not served here`);
      return null;
    }
    // Every answer varies by Origin, one without it included: a shared cache must not hand an
    // answer kept for a request without CORS headers to a page that needs them.
    if (request.origin === '') return [VARY_ORIGIN];
    if (!admission.originAllowed(request.origin, request.host)) {
      refuse(res, '403 Forbidden', [], `origin ${request.origin} is not allowed`);
      return null;
    }
    return [
      ['Access-Control-Allow-Origin', request.origin],
      VARY_ORIGIN,
      ['Access-Control-Expose-Headers', 'ETag, Retry-After'],
    ];
  }

  function authorize(
    res: HttpResponse,
    request: ApiRequest,
    cors: Header[],
    granted: (grant: Grant) => void,
  ): void {
    const { secret } = options;
    if (secret === null) {
      granted(OPEN_GRANT);
      return;
    }
    const token = /^Bearer (\S+)$/.exec(request.authorization)?.[1];
    if (token === undefined) {
      unauthorized(res, cors, 'an access token is required: send Authorization: Bearer <token>');
      return;
    }
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    verifyToken(token, secret, options.clock()).then(
      (grant) => {
        if (aborted) return;
        res.cork(() => {
          granted(grant);
        });
      },
      (error: unknown) => {
        if (aborted) return;
        const reason = error instanceof TokenError ? error.message : 'token could not be checked';
        res.cork(() => {
          unauthorized(res, cors, reason);
        });
      },
    );
  }

  function unauthorized(res: HttpResponse, cors: Header[], reason: string): void {
    refuse(res, '401 Unauthorized', cors, reason, [['WWW-Authenticate', 'Bearer']]);
  }

  function write(res: HttpResponse, request: ApiRequest, cors: Header[], answer: HistoryAnswer) {
    if (answer.status !== 200) {
      refuse(res, STATUS_LINES[answer.status], cors, answer.reason);
      return;
    }
    const caching: Header[] = [
      ['ETag', answer.etag],
      ['Cache-Control', answer.cacheControl],
    ];
    if (matchesEntityTag(request.ifNoneMatch, answer.etag)) {
      count('304');
      res.writeStatus('304 Not Modified');
      writeHeaders(res, [...cors, ...caching]);
      res.end();
      return;
    }
    count('200');
    writeHeaders(res, [['Content-Type', 'application/json'], ...cors, ...caching]);
    res.end(answer.body);
  }

  function refuse(
    res: HttpResponse,
    status: string,
    cors: readonly Header[],
    reason: string,
    extra: readonly Header[] = [],
  ): void {
    count(status.slice(0, 3));
    res.writeStatus(status);
    writeHeaders(res, [
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Cache-Control', 'no-store'],
      ...cors,
      ...extra,
    ]);
    res.end(`${clip(reason)}\n`);
  }

  function count(status: string): void {
    increment(stats.apiAnswers, status);
  }
}

const STATUS_LINES = {
  400: '400 Bad Request',
  403: '403 Forbidden',
  404: '404 Not Found',
} as const;

function writeHeaders(res: HttpResponse, headers: readonly Header[]): void {
  for (const [name, value] of [...DATA_HEADERS, ...headers]) res.writeHeader(name, value);
}
