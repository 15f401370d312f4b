import type { HttpResponse } from 'uWebSockets.js';
import { increment } from '../gateway/server-stats.js';
import type { ServerStats } from '../gateway/server-stats.js';
import type { HistoryBody } from '../history/history-answers.js';
import { clip } from '../log-throttle.js';
import { DATA_HEADERS } from './http-answers.js';

export type Header = readonly [string, string];

/** The instant a candles answer up to now is as of, epoch ms (HistoryBody.asOf; docs/API.md). */
export const AS_OF_HEADER = 'Ticker-As-Of';

/**
 * Writes the history API's answers, each with DATA_HEADERS and the CORS headers the request
 * earned, and counts them by status (`ticker_api_answers_total`).
 */
export class ApiResponses {
  constructor(private readonly stats: ServerStats) {}

  /**
   * A 200 with its JSON, or a 304 when `ifNoneMatch` names its tag: the same caching headers
   * (and instant as of) either way.
   */
  body(res: HttpResponse, answer: HistoryBody, ifNoneMatch: string, cors: readonly Header[]) {
    const caching: Header[] = [
      ['ETag', answer.etag],
      ['Cache-Control', answer.cacheControl],
    ];
    // On the 304 too: a cache freshens the headers it kept from it (RFC 9111, 4.3.4), and an
    // unchanged tag means the candles kept are still exactly those up to this later instant.
    if (answer.asOf !== null) caching.push([AS_OF_HEADER, String(answer.asOf)]);
    if (matchesEntityTag(ifNoneMatch, answer.etag)) {
      this.head(res, '304 Not Modified', [...cors, ...caching]);
      res.end();
      return;
    }
    this.head(res, '200 OK', [['Content-Type', 'application/json'], ...cors, ...caching]);
    res.end(answer.body);
  }

  /** An answer without a body (a preflight's 204). */
  empty(res: HttpResponse, status: string, headers: readonly Header[]): void {
    this.head(res, status, headers);
    res.end();
  }

  /** A refusal: the status, and the reason as one line of plain text, never cached. */
  refuse(
    res: HttpResponse,
    status: string,
    cors: readonly Header[],
    reason: string,
    extra: readonly Header[] = [],
  ): void {
    this.head(res, status, [
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Cache-Control', 'no-store'],
      ...cors,
      ...extra,
    ]);
    res.end(`${clip(reason)}\n`);
  }

  private head(res: HttpResponse, status: string, headers: readonly Header[]): void {
    increment(this.stats.apiAnswers, status.slice(0, 3));
    res.writeStatus(status);
    for (const [name, value] of [...DATA_HEADERS, ...headers]) res.writeHeader(name, value);
  }
}

/** Whether an If-None-Match header names `etag` (a list, `*`, or weak forms as RFC 9110 allows). */
export function matchesEntityTag(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch === '') return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
