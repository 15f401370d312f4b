#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { MAX_TOKEN_BYTES, signToken } from './auth/tokens.js';
import { ConfigError, readSecret, readUniverse } from './config.js';

const USAGE = `Usage: AUTH_SECRET=… ticker-token [--ttl-seconds N] [--symbols T1,T2] [--subject NAME]

Prints an access token for a feed server started with the same AUTH_SECRET (docs in the
feed server's README, "Access control").

  --ttl-seconds N    how long it is valid (1-31536000, default 3600)
  --symbols T1,T2    the tickers it may subscribe to (default: all); the token must stay
                     within ${MAX_TOKEN_BYTES} bytes, about 190 tickers
  --subject NAME     who it is for, shown in the server's logs
  --help, -h         print this and exit
`;

const MAX_TTL_SECONDS = 365 * 24 * 3600;

// Only wiring: read the options and the secret, print the token.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'ttl-seconds': { type: 'string', default: '3600' },
      symbols: { type: 'string' },
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
  const now = Date.now();
  const token = await signToken(secret, { ttlSeconds, symbols, subject: values.subject, now });
  if (token.length > MAX_TOKEN_BYTES) {
    throw new ConfigError(
      `the token would be ${token.length} bytes, over the ${MAX_TOKEN_BYTES} a server takes (a request head over ~4 KiB can be dropped unanswered): grant fewer symbols, or all of them (no --symbols)`,
    );
  }
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `valid until ${new Date(now + ttlSeconds * 1000).toISOString()}${symbols ? ` for ${symbols.join(', ')}` : ''}; open the dashboard at http://localhost:8080/?token=${token}\n`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const usage =
    error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`ticker-token: ${message}\n`);
  process.exit(usage ? 2 : 1);
});
