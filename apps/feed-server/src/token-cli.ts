#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ASSET_CLASS_NAMES, MAX_TOKEN_BYTES, signToken } from './auth/tokens.js';
import { ConfigError, readSecret, readUniverse } from './config.js';

const CLASS_NAMES = [...ASSET_CLASS_NAMES.keys()];

const USAGE = `Usage: AUTH_SECRET=… ticker-token [--ttl-seconds N] [--symbols T1,T2]
                    [--asset-classes ${CLASS_NAMES.join(',')}] [--renew-path /PATH] [--subject NAME]

Prints an access token for a feed server started with the same AUTH_SECRET (docs in the
feed server's README, "Access control").

  --ttl-seconds N      how long it is valid (1-31536000, default 3600)
  --symbols T1,T2      tickers it may subscribe to
  --asset-classes C    every symbol of these asset classes (${CLASS_NAMES.join(', ')}), however
                       many, in a few bytes; with --symbols, it may have either
                       (neither option: all symbols). The token must stay within
                       ${MAX_TOKEN_BYTES} bytes: about 190 tickers besides its classes
  --renew-path /PATH   where the dashboard asks for a fresh token before this one
                       expires (POST, a path on its own origin, answered by your
                       auth service: see the README, "Refresh"); without it, the
                       dashboard is closed when the token expires
  --subject NAME       who it is for, shown in the server's logs
  --help, -h           print this and exit
`;

const MAX_TTL_SECONDS = 365 * 24 * 3600;

/**
 * A path of the page's own origin (the dashboard's Content-Security-Policy lets it fetch nothing
 * else): one slash, then no second one at once (`//host` is another origin), no backslash or
 * space, and short.
 */
const SAME_ORIGIN_PATH = /^\/(?![/\\])[\x21-\x7e]{0,199}$/;

// Only wiring: read the options and the secret, print the token.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'ttl-seconds': { type: 'string', default: '3600' },
      symbols: { type: 'string' },
      'asset-classes': { type: 'string' },
      'renew-path': { type: 'string' },
      subject: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const secret = readSecret(process.env.AUTH_SECRET?.trim() ?? '');
  if (secret === null) throw new ConfigError('AUTH_SECRET must be set to the server’s secret');
  const ttlSeconds = Number(values['ttl-seconds']);
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new ConfigError(
      `--ttl-seconds must be an integer from 1 to ${MAX_TTL_SECONDS} (got "${values['ttl-seconds']}")`,
    );
  }
  const symbols = values.symbols?.split(',').map((t) => t.trim().toUpperCase());
  if (symbols) {
    const known = new Set(
      readUniverse(process.env.UNIVERSE_FILE?.trim() ?? '').map((s) => s.ticker),
    );
    const unknown = symbols.filter((t) => !known.has(t));
    if (unknown.length > 0)
      throw new ConfigError(`--symbols: unknown tickers ${unknown.join(', ')}`);
  }
  const assetClasses = values['asset-classes']?.split(',').map((c) => c.trim().toLowerCase());
  const unknownClasses = assetClasses?.filter((c) => !ASSET_CLASS_NAMES.has(c)) ?? [];
  if (unknownClasses.length > 0) {
    throw new ConfigError(
      `--asset-classes: unknown ${unknownClasses.join(', ')} (known: ${CLASS_NAMES.join(', ')})`,
    );
  }
  const renewPath = values['renew-path'];
  if (renewPath !== undefined && !SAME_ORIGIN_PATH.test(renewPath)) {
    throw new ConfigError(
      `--renew-path must be a path on the dashboard's origin, such as /auth/ticker-token (got "${renewPath}")`,
    );
  }
  const now = Date.now();
  const token = await signToken(secret, {
    ttlSeconds,
    symbols,
    assetClasses,
    renewPath,
    subject: values.subject,
    now,
  });
  if (token.length > MAX_TOKEN_BYTES) {
    throw new ConfigError(
      `the token would be ${token.length} bytes, over the ${MAX_TOKEN_BYTES} a server takes (a request head over ~4 KiB can be dropped unanswered): grant whole asset classes (--asset-classes) and fewer symbols, or all of them (neither option)`,
    );
  }
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `valid until ${new Date(now + ttlSeconds * 1000).toISOString()} ${coverage(symbols, assetClasses)}; open the dashboard at http://localhost:8080/?token=${token}\n`,
  );
}

/** What the token covers, in words: "for BTC-USD, AAPL and every crypto symbol". */
function coverage(symbols: readonly string[] | undefined, classes: readonly string[] | undefined) {
  const parts = [...(symbols ?? []), ...(classes ?? []).map((c) => `every ${c} symbol`)];
  if (parts.length === 0) return 'for every symbol';
  const last = parts.pop() as string;
  return `for ${parts.length > 0 ? `${parts.join(', ')} and ${last}` : last}`;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const usage =
    error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`ticker-token: ${message}\n`);
  process.exit(usage ? 2 : 1);
});
