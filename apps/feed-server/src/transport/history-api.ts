import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { TokenError, verifyToken } from '../auth/tokens.js';
import type { Grant } from '../auth/tokens.js';
import { AddressBuckets } from '../domain/address-buckets.js';
import type { ServerStats } from '../gateway/server-stats.js';
import type { HistoryBody } from '../history/history-answers.js';
import { HistoryThreadError } from '../history/history-thread.js';
import type { TimedAnswer } from '../history/history-thread.js';
import { WorkQueue } from '../history/work-queue.js';
import { OPEN_GRANT } from './admission.js';
import type { Admission } from './admission.js';
import { AS_OF_HEADER, ApiResponses } from './api-responses.js';
import type { Header } from './api-responses.js';
import type { ClientAddress } from './client-address.js';

export interface HistoryApiOptions {
  /** A candles request's answer (`query` is its query string, `now` the market's clock). */
  readonly candles: (query: string, grant: Grant, now: number) => Promise<TimedAnswer>;
  /** The directory's answer: the same for every request. */
  readonly symbols: HistoryBody;
  /** Host and origin rules, shared with the WebSocket's admission. */
  readonly admission: Admission;
  readonly clientAddress: ClientAddress;
  /** AUTH_SECRET as bytes, or null when the feed is open. */
  readonly secret: Uint8Array | null;
  /** Requests per second from one address (MAX_API_REQUESTS_PER_SECOND); bursts of twice as many. */
  readonly requestsPerSecond: number;
  readonly stats: ServerStats;
  /** Milliseconds of work all answers may take per second; HISTORY_WORK_MS_PER_SECOND by default. */
  readonly workMsPerSecond?: number;
  /** How long a request may wait for its turn; HISTORY_MAX_WAIT_MS by default. */
  readonly maxWaitMs?: number;
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

type Answer = (request: ApiRequest, grant: Grant) => Promise<TimedAnswer>;

/**
 * Milliseconds of the history thread's work all answers together may take per second, whoever
 * asks: a request deep in the past costs a millisecond or two, and many addresses each within
 * their budget must not take the machine from the live feed (on one core they share it). Beyond
 * it requests wait for their turn (work-queue.ts).
 */
export const HISTORY_WORK_MS_PER_SECOND = 400;
/**
 * The most of that spent in one go, before the budget's rate applies: requests come in clusters
 * (a page of charts opening at once), and the work is off the event loop, so a cluster is served
 * at once rather than smoothed into waits.
 */
export const HISTORY_WORK_BURST_MS = 100;
/**
 * Requests handed to the history thread at once: one being computed and one ready behind it, so
 * the thread never idles between them, while the rest wait in the fair queue (not the thread's).
 */
export const HISTORY_REQUESTS_IN_FLIGHT = 2;
/** Requests waiting for their turn at most, all addresses together; beyond, 503. */
export const HISTORY_MAX_WAITING = 1_024;
/** How long a request may wait for its turn before it is answered 503 instead. */
export const HISTORY_MAX_WAIT_MS = 5_000;
const ALLOWED_METHODS = 'GET, OPTIONS';
const VARY_ORIGIN: Header = ['Vary', 'Origin'];
/**
 * The headers beyond the CORS-safelisted ones a page may read: one list for every answer,
 * whether it carries them or not (the as-of only comes with candles up to now).
 */
const EXPOSE_HEADERS: Header = [
  'Access-Control-Expose-Headers',
  `ETag, Retry-After, ${AS_OF_HEADER}`,
];
const RETRY_AFTER: readonly Header[] = [['Retry-After', '1']];
const PREFLIGHT_MAX_AGE_S = 600;
const STATUS_LINES = {
  400: '400 Bad Request',
  403: '403 Forbidden',
  404: '404 Not Found',
} as const;

/** The history API (docs/API.md) on the feed's own port: its routes; stop it when closing. */
export function addHistoryApi(app: TemplatedApp, options: HistoryApiOptions): { stop(): void } {
  const api = new HistoryApi(options);
  const { candles, symbols, now } = options;
  const directory: TimedAnswer = { answer: symbols, workMs: 0 };
  app.get(
    '/api/v1/candles',
    api.serve((request, grant) => candles(request.query, grant, now())),
  );
  app.get(
    '/api/v1/symbols',
    api.serve(() => Promise.resolve(directory)),
  );
  app.options('/api/*', (res, req) => {
    api.preflight(res, req);
  });
  app.get('/api/*', (res) => {
    api.responses.refuse(
      res,
      '404 Not Found',
      [],
      'no such endpoint: see /api/v1/candles and /api/v1/symbols',
    );
  });
  app.any('/api/*', (res) => {
    api.responses.refuse(res, '405 Method Not Allowed', [], 'the history API answers GET only', [
      ['Allow', ALLOWED_METHODS],
    ]);
  });
  return api;
}

/**
 * The checks every request passes before it is answered, cheapest first: the host (421), the
 * origin (403), the address's request budget (429), the token (401), then the server's work
 * budget (503). What the answers hold is `HistoryAnswers`' concern (on its own thread).
 */
class HistoryApi {
  readonly responses: ApiResponses;
  private readonly budgets: AddressBuckets;
  private readonly work: WorkQueue;

  constructor(private readonly options: HistoryApiOptions) {
    const { requestsPerSecond, clock } = options;
    this.responses = new ApiResponses(options.stats);
    this.budgets = new AddressBuckets(requestsPerSecond, requestsPerSecond * 2, clock());
    const workMs = options.workMsPerSecond ?? HISTORY_WORK_MS_PER_SECOND;
    this.work = new WorkQueue({
      msPerSecond: workMs,
      burstMs: Math.min(workMs, HISTORY_WORK_BURST_MS),
      maxWaiting: HISTORY_MAX_WAITING,
      maxWaitMs: options.maxWaitMs ?? HISTORY_MAX_WAIT_MS,
      maxRunning: HISTORY_REQUESTS_IN_FLIGHT,
      clock,
    });
  }

  /**
   * A GET route's handler: the checks, then `answer` in its turn of the work budget. Either may
   * answer later than the handler returns, so the response is watched for an abort from the
   * start, and written corked when it is.
   */
  serve(answer: Answer): (res: HttpResponse, req: HttpRequest) => void {
    return (res, req) => {
      const request = this.read(res, req);
      const cors = this.corsHeaders(res, request);
      if (cors === null || !this.withinBudget(res, request, cors)) return;
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });
      const later = (write: () => void) => {
        if (!aborted) res.cork(write);
      };
      this.authorize(request, cors, later, res, (grant) => {
        this.work.submit(request.ip, {
          aborted: () => aborted,
          run: (done) => {
            answer(request, grant).then(
              ({ answer: answered, workMs }) => {
                done(workMs);
                later(() => {
                  if (answered.status === 200) {
                    this.responses.body(res, answered, request.ifNoneMatch, cors);
                  } else {
                    const status = STATUS_LINES[answered.status];
                    this.responses.refuse(res, status, cors, answered.reason);
                  }
                });
              },
              (error: unknown) => {
                done(error instanceof HistoryThreadError ? error.workMs : 0);
                const reason = 'the history could not be computed: try again in a second';
                later(() => {
                  this.responses.refuse(res, '503 Service Unavailable', cors, reason, RETRY_AFTER);
                });
              },
            );
          },
          refuse: () => {
            const reason = 'the history API is busy: try again in a second';
            later(() => {
              this.responses.refuse(res, '503 Service Unavailable', cors, reason, RETRY_AFTER);
            });
          },
        });
      });
    };
  }

  /** Refuses what waits: the server is closing. */
  stop(): void {
    this.work.stop();
  }

  /** A browser's CORS preflight: allowed origins may send GET with a token; needs no token. */
  preflight(res: HttpResponse, req: HttpRequest): void {
    const cors = this.corsHeaders(res, this.read(res, req));
    if (cors === null) return;
    this.responses.empty(res, '204 No Content', [
      ...cors,
      ['Access-Control-Allow-Methods', ALLOWED_METHODS],
      ['Access-Control-Allow-Headers', 'Authorization, If-None-Match'],
      ['Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S)],
    ]);
  }

  private read(res: HttpResponse, req: HttpRequest): ApiRequest {
    const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
    return {
      ip: this.options.clientAddress.of(peer, req.getHeader('x-forwarded-for')),
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
  private corsHeaders(res: HttpResponse, request: ApiRequest): Header[] | null {
    const { admission } = this.options;
    if (!admission.servesHost(request.host)) {
      const reason = `host ${request.host} is not served here`;
      this.responses.refuse(res, '421 Misdirected Request', [], reason);
      return null;
    }
    // Every answer varies by Origin, one without it included: a shared cache must not hand an
    // answer kept for a request without CORS headers to a page that needs them.
    if (request.origin === '') return [VARY_ORIGIN];
    if (!admission.originAllowed(request.origin, request.host)) {
      this.responses.refuse(res, '403 Forbidden', [], `origin ${request.origin} is not allowed`);
      return null;
    }
    return [['Access-Control-Allow-Origin', request.origin], VARY_ORIGIN, EXPOSE_HEADERS];
  }

  /** Takes one of the address's requests; false when it is over, which this answers (429). */
  private withinBudget(res: HttpResponse, request: ApiRequest, cors: Header[]): boolean {
    if (this.budgets.take(request.ip, this.options.clock())) return true;
    const reason = `too many requests: at most ${this.options.requestsPerSecond} a second per address`;
    this.responses.refuse(res, '429 Too Many Requests', cors, reason, RETRY_AFTER);
    return false;
  }

  /**
   * Hands `granted` the token's grant (everything when the feed is open), or answers 401 through
   * `later`: the check is asynchronous.
   */
  private authorize(
    request: ApiRequest,
    cors: Header[],
    later: (write: () => void) => void,
    res: HttpResponse,
    granted: (grant: Grant) => void,
  ): void {
    const { secret, clock } = this.options;
    if (secret === null) {
      granted(OPEN_GRANT);
      return;
    }
    const token = /^Bearer (\S+)$/.exec(request.authorization)?.[1];
    if (token === undefined) {
      this.unauthorized(
        res,
        cors,
        'an access token is required: send Authorization: Bearer <token>',
      );
      return;
    }
    verifyToken(token, secret, clock()).then(granted, (error: unknown) => {
      const reason = error instanceof TokenError ? error.message : 'token could not be checked';
      later(() => {
        this.unauthorized(res, cors, reason);
      });
    });
  }

  private unauthorized(res: HttpResponse, cors: Header[], reason: string): void {
    this.responses.refuse(res, '401 Unauthorized', cors, reason, [['WWW-Authenticate', 'Bearer']]);
  }
}
