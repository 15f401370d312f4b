import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/candles?symbol=BTC-USD&interval=1m`. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export type Answer = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1, port 0, standing in for the feed server's history API: it
 * records every request and answers with `answer`, which a test sets (by default 200 with an
 * empty candle list for whatever was asked).
 *
 * To extend: write an `Answer` (see `json`, `text`) or set `answer` to one that holds the response
 * open; `close()` ends every connection, answered or not.
 */
export class FakeHistoryServer {
  readonly requests: SeenRequest[] = [];
  answer: Answer = emptyAnswer;
  private arrivalWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeHistoryServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const fake = new FakeHistoryServer(server, (server.address() as AddressInfo).port);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      fake.record(request);
      fake.answer(request, response);
    });
    return fake;
  }

  /** The feed URL of a server on this host: the client derives the API from it. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get last(): SeenRequest {
    const request = this.requests.at(-1);
    if (!request) throw new Error('no request arrived');
    return request;
  }

  /** Resolves once a request has arrived (at once if one already has). */
  arrived(): Promise<void> {
    if (this.requests.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.arrivalWaiters.push(resolve));
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.server.closeAllConnections();
    await closed;
  }

  private record(request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
    });
    const waiters = this.arrivalWaiters;
    this.arrivalWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Answers 200 `application/json` with `body` (a string is sent as it is, anything else as JSON). */
export function json(body: unknown, status = 200): Answer {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** Answers `status` with a `text/plain` line, as the history API refuses. */
export function text(status: number, line: string, headers: Record<string, string> = {}): Answer {
  return reply(status, `${line}\n`, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

/** Answers `status` with `body` and exactly these headers (a proxy's page, an older server's). */
export function reply(status: number, body: string, headers: Record<string, string>): Answer {
  return (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

/** What the history API would answer to whatever was asked, with no candles. */
const emptyAnswer: Answer = (request, response) => {
  const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams;
  json({ symbol: query.get('symbol'), interval: query.get('interval'), candles: [] })(
    request,
    response,
  );
};
