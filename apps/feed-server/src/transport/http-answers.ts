import type { HttpResponse } from 'uWebSockets.js';

/**
 * Sent with every answer that is not a dashboard file (health, readiness, metrics, history,
 * refusals, errors): none of them is a page, so nothing in them may run, be framed, be sniffed
 * into another type, or be read by other sites' pages without CORS.
 */
export const DATA_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

/** DATA_HEADERS, and never cached: what every answer but history's carries. */
export const ANSWER_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ...DATA_HEADERS,
  ['Cache-Control', 'no-store'],
];

/** Writes the status (when not 200), the content type and ANSWER_HEADERS; the caller ends. */
export function answerHeaders(res: HttpResponse, status: string | null, contentType: string): void {
  if (status !== null) res.writeStatus(status);
  res.writeHeader('Content-Type', contentType);
  for (const [name, value] of ANSWER_HEADERS) res.writeHeader(name, value);
}

/** A one-line plain-text answer. */
export function answerText(res: HttpResponse, status: string | null, message: string): void {
  answerHeaders(res, status, 'text/plain; charset=utf-8');
  res.end(`${message}\n`);
}

/**
 * The status and headers of `answerText`, without its body: the answer to HEAD. Its
 * Content-Length is 0, not the body's length: `endWithoutBody`, which would report it, fails
 * in the uWebSockets.js build this project installs (20.30.0-unofficial.0) with
 * "returning from a request handler without responding".
 */
export function answerTextHead(res: HttpResponse, status: string | null): void {
  answerHeaders(res, status, 'text/plain; charset=utf-8');
  res.end();
}
