import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { HttpResponse } from 'uWebSockets.js';
import type { Logger } from '../logger.js';
import { answerText } from './http-answers.js';

/**
 * Sent with every file of the dashboard. The CSP is what the built dashboard needs and nothing
 * more (checked in Chromium by e2e/specs/security.spec.ts): its own scripts, styles and feed
 * ('self' covers ws: and wss: to the same host), the inline `data:` favicon, no plugins, no
 * framing by other sites. The referrer policy keeps a `?token=` link out of Referer headers.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  [
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  ],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Loads the built dashboard into memory once. It is a few hundred kilobytes, so serving from
 * memory answers every request synchronously (no uWS abort handling, no disk reads per request).
 * Dotfiles and source maps are never served.
 */
export function loadStaticFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.') || name.endsWith('.map')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const urlPath = '/' + relative(root, path).split(sep).join('/');
      files.set(urlPath, {
        body: readFileSync(path),
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        // Vite fingerprints everything under /assets; the rest must be revalidated.
        cacheControl: urlPath.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      });
    }
  };
  walk(root);
  return files;
}

/** `..`, an encoded dot, slash or backslash, or a backslash: never part of a dashboard path. */
const SUSPICIOUS_PATH = /\.\.|%2e|%2f|%5c|\\/i;

/** The built dashboard in `dir`, or null (with a warning) when there is none to serve. */
export function loadDashboard(dir: string | null, logger: Logger): Map<string, StaticFile> | null {
  if (dir === null) return null;
  try {
    const files = loadStaticFiles(dir);
    if (!files.has('/index.html')) throw new Error('no index.html');
    return files;
  } catch (error) {
    logger.warn('dashboard not served: not a built dashboard', {
      dir,
      reason: (error as Error).message,
    });
    return null;
  }
}

/** Answers a GET of `url` from the dashboard in memory (`files`; null: not built). */
export function serveStatic(
  res: HttpResponse,
  url: string,
  files: ReadonlyMap<string, StaticFile> | null,
): void {
  // Files are served from memory by exact path, so nothing can escape the dashboard folder;
  // dot-dot and encoded separators are still refused outright rather than shown the app shell.
  if (SUSPICIOUS_PATH.test(url)) {
    answerText(res, '400 Bad Request', 'bad path');
    return;
  }
  if (!files) {
    answerText(
      res,
      '503 Service Unavailable',
      'The dashboard is not built. Run `npm run build` (or `npm start`, which builds it).',
    );
    return;
  }
  // Paths without a file extension are app routes: answer with the app's index.html.
  const file =
    files.get(url) ??
    (url.endsWith('/') || !url.slice(url.lastIndexOf('/')).includes('.')
      ? files.get('/index.html')
      : undefined);
  if (!file) {
    answerText(res, '404 Not Found', 'not found');
    return;
  }
  res.writeHeader('Content-Type', file.contentType).writeHeader('Cache-Control', file.cacheControl);
  for (const [name, value] of SECURITY_HEADERS) res.writeHeader(name, value);
  res.end(file.body);
}
