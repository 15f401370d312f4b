import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { defaultUniverse } from '../src/config.js';
import { AssetClass } from '@ticker/protocol';
import {
  MAX_TOKEN_BYTES,
  TokenError,
  grantCovers,
  secretKey,
  selectedProtocol,
  signToken,
  tokenOf,
  verifyToken,
} from '../src/auth/tokens.js';

const KEY = secretKey('a test secret that is long enough for HS256 use');
const NOW = Date.UTC(2026, 0, 5, 15, 30);

describe('access tokens', () => {
  it('round-trips what they grant', async () => {
    const token = await signToken(KEY, {
      ttlSeconds: 600,
      symbols: ['BTC-USD'],
      subject: 'alice',
      now: NOW,
    });
    expect(await verifyToken(token, KEY, NOW + 599_000)).toEqual({
      symbols: new Set(['BTC-USD']),
      assetClasses: null,
      expiresAt: NOW + 600_000,
      subject: 'alice',
    });
    await expect(verifyToken(token, KEY, NOW + 600_000)).rejects.toThrow(
      new TokenError('token expired'),
    );
  });

  it('grants whole asset classes in a few bytes, with tickers besides', async () => {
    const universe = defaultUniverse();
    const token = await signToken(KEY, {
      ttlSeconds: 600,
      symbols: ['AAPL'],
      assetClasses: ['crypto'],
      now: NOW,
    });
    const grant = await verifyToken(token, KEY, NOW);
    expect(grant.assetClasses).toEqual(new Set([AssetClass.Crypto]));
    const covered = universe.filter((symbol) => grantCovers(grant, symbol));
    const crypto = universe.filter((symbol) => symbol.assetClass === AssetClass.Crypto);
    expect(covered.map((s) => s.ticker).sort()).toEqual(
      [...crypto.map((s) => s.ticker), 'AAPL'].sort(),
    );
    expect(crypto.length).toBeGreaterThan(10);
    expect(token.length).toBeLessThan(250);
    // Neither claim: everything; an empty list of either: only the other.
    const all = await verifyToken(await signToken(KEY, { ttlSeconds: 60, now: NOW }), KEY, NOW);
    expect(universe.every((symbol) => grantCovers(all, symbol))).toBe(true);
    const none = await verifyToken(
      await signToken(KEY, { ttlSeconds: 60, assetClasses: [], now: NOW }),
      KEY,
      NOW,
    );
    expect(universe.some((symbol) => grantCovers(none, symbol))).toBe(false);
  });

  it.each([
    [
      'asset classes it does not know',
      new SignJWT({ classes: ['bonds'] })
        .setAudience('ticker-feed')
        .setExpirationTime(NOW / 1000 + 60),
    ],
    ['another audience', new SignJWT({}).setAudience('billing').setExpirationTime(NOW / 1000 + 60)],
    ['no expiry', new SignJWT({}).setAudience('ticker-feed')],
    [
      'symbols that are not a list of tickers',
      new SignJWT({ symbols: 'BTC-USD' })
        .setAudience('ticker-feed')
        .setExpirationTime(NOW / 1000 + 60),
    ],
  ])('refuses a token with %s', async (_what, jwt) => {
    const token = await jwt.setProtectedHeader({ alg: 'HS256' }).sign(KEY);
    await expect(verifyToken(token, KEY, NOW)).rejects.toBeInstanceOf(TokenError);
  });

  it('is refused when longer than a request head can carry reliably', async () => {
    const token = `${'a'.repeat(MAX_TOKEN_BYTES)}.b.c`;
    await expect(verifyToken(token, KEY, NOW)).rejects.toThrow(
      new TokenError(`token too long: ${token.length} bytes, at most ${MAX_TOKEN_BYTES}`),
    );
  });

  it('is found in the subprotocols before the query, and never echoed back', () => {
    expect(tokenOf('token=from-query', 'ticker, ticker.token.from-protocol')).toBe('from-protocol');
    expect(tokenOf('symbols=x&token=from-query', '')).toBe('from-query');
    expect(tokenOf('', 'ticker')).toBeNull();
    expect(selectedProtocol('ticker.token.abc, ticker')).toBe('ticker');
    expect(selectedProtocol('ticker.token.abc')).toBe('');
    expect(selectedProtocol('')).toBe('');
  });
});

const CLI = fileURLToPath(new URL('../src/token-cli.ts', import.meta.url));

function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, AUTH_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('ticker-token', () => {
  const AUTH_SECRET = 'a test secret that is long enough for HS256 use';

  it('prints a token the server accepts, restricted as asked', async () => {
    const run = await runCli(['--symbols', 'btc-usd,AAPL', '--ttl-seconds', '120'], {
      AUTH_SECRET,
    });
    expect(run.code).toBe(0);
    const grant = await verifyToken(run.stdout.trim(), KEY, Date.now());
    expect(grant.symbols).toEqual(new Set(['BTC-USD', 'AAPL']));
    expect(grant.expiresAt - Date.now()).toBeLessThanOrEqual(120_000);
    expect(run.stderr).toMatch(/^valid until .* for BTC-USD and AAPL; open the dashboard at http/);
  });

  it('names where the dashboard renews it with --renew-path', async () => {
    const run = await runCli(['--renew-path', '/auth/ticker-token'], { AUTH_SECRET });
    expect(run.code).toBe(0);
    expect(decodeJwt(run.stdout.trim()).renew).toBe('/auth/ticker-token');
  });

  it('grants whole asset classes with --asset-classes, besides any --symbols', async () => {
    const run = await runCli(['--asset-classes', 'Crypto', '--symbols', 'AAPL,MSFT'], {
      AUTH_SECRET,
    });
    expect(run.code).toBe(0);
    const grant = await verifyToken(run.stdout.trim(), KEY, Date.now());
    expect(grant.assetClasses).toEqual(new Set([AssetClass.Crypto]));
    expect(grant.symbols).toEqual(new Set(['AAPL', 'MSFT']));
    expect(run.stderr).toMatch(/ for AAPL, MSFT and every crypto symbol; open the dashboard/);
  });

  it.each([
    [[], {}, 'ticker-token: AUTH_SECRET must be set to the server’s secret\n'],
    [[], { AUTH_SECRET: 'short' }, /must be at least 32 bytes/],
    [['--ttl-seconds', 'soon'], { AUTH_SECRET }, /--ttl-seconds must be an integer/],
    [['--symbols', 'NOPE'], { AUTH_SECRET }, 'ticker-token: --symbols: unknown tickers NOPE\n'],
    [
      ['--asset-classes', 'crypto,bonds'],
      { AUTH_SECRET },
      'ticker-token: --asset-classes: unknown bonds (known: stock, crypto)\n',
    ],
    [['--bogus'], { AUTH_SECRET }, /Unknown option '--bogus'/],
    [
      ['--renew-path', '//evil.example/renew'],
      { AUTH_SECRET },
      'ticker-token: --renew-path must be a path on the dashboard\'s origin, such as /auth/ticker-token (got "//evil.example/renew")\n',
    ],
    [['--renew-path', 'https://auth.example/'], { AUTH_SECRET }, /--renew-path must be a path/],
    [
      [
        '--symbols',
        defaultUniverse()
          .map((symbol) => symbol.ticker)
          .join(','),
      ],
      { AUTH_SECRET },
      /^ticker-token: the token would be \d+ bytes, over the 2048 a server takes .*: grant whole asset classes \(--asset-classes\) and fewer symbols, or all of them \(neither option\)\n$/,
    ],
  ])('exits 2 for %j', async (args, env, message) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    if (typeof message === 'string') expect(run.stderr).toBe(message);
    else expect(run.stderr).toMatch(message);
  });
});
