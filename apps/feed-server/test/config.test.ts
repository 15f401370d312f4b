import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, OPTIONS, configFromEnv, envWithFlags, helpText } from '../src/config.js';
import { parseUniverse } from '../src/domain/universe.js';

const goodSymbol = {
  id: 1,
  ticker: 'X',
  name: 'X Corp',
  assetClass: 'stock',
  referencePrice: 10,
  priceDecimals: 2,
  sizeDecimals: 0,
  annualVolatility: 0.2,
  activity: 1,
};

describe('configFromEnv', () => {
  it('uses documented defaults', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({
      port: 8080,
      host: undefined,
      seed: 1,
      tickRate: 1_000,
      flushIntervalMs: 50,
      frozenAt: null,
      role: 'all',
      redisUrl: 'redis://127.0.0.1:6379',
      replayMs: 60_000,
    });
    expect(config.universe.length).toBeGreaterThanOrEqual(200);
  });

  it.each([
    ['2026-01-05T15:30:00Z', Date.UTC(2026, 0, 5, 15, 30)],
    ['2026-01-05T15:30Z', Date.UTC(2026, 0, 5, 15, 30)],
    ['2026-01-05T15:30:00.5Z', Date.UTC(2026, 0, 5, 15, 30, 0, 500)],
    ['2024-02-29T23:59:59.999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['1767627000000', 1_767_627_000_000],
  ])('reads FROZEN_AT=%s as epoch ms %d', (value, expected) => {
    expect(configFromEnv({ FROZEN_AT: value }).frozenAt).toBe(expected);
  });

  it('reads the access settings', () => {
    expect(configFromEnv({}).access).toEqual({ secret: null, allowedOrigins: [], publicHosts: [] });
    expect(
      configFromEnv({ PUBLIC_HOSTS: 'Ticker.Example.com, ticker.example.com:8443,t.example:80' })
        .access.publicHosts,
    ).toEqual(['ticker.example.com', 'ticker.example.com:8443', 't.example']);
    for (const bad of ['https://ticker.example.com', 'a b', 'x/y', '', 'h:99999']) {
      expect(() => configFromEnv({ PUBLIC_HOSTS: `ok.example,${bad}` })).toThrow(
        /^PUBLIC_HOSTS \(--public-hosts\) entries must be host names/,
      );
    }
    const config = configFromEnv({
      AUTH_SECRET: 'x'.repeat(32),
      ALLOWED_ORIGINS: 'https://App.Example.com/, http://localhost:5173 ,*',
    });
    expect(config.access.secret).toEqual(new TextEncoder().encode('x'.repeat(32)));
    expect(config.access.allowedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
      '*',
    ]);
  });

  it('reads the scale-out settings', () => {
    const config = configFromEnv({
      ROLE: 'gateway',
      REDIS_URL: 'rediss://user:secret@cache.internal:6380/2',
      REPLAY_SECONDS: '120',
    });
    expect(config).toMatchObject({
      role: 'gateway',
      redisUrl: 'rediss://user:secret@cache.internal:6380/2',
      replayMs: 120_000,
    });
  });

  it.each(['source', 'gateway'])('refuses FROZEN_AT with ROLE=%s', (role) => {
    expect(() => configFromEnv({ ROLE: role, FROZEN_AT: '2026-01-05T15:30:00Z' })).toThrow(
      `FROZEN_AT (--frozen-at) only works with ROLE=all (got ROLE=${role}): a frozen market is a single-process demo`,
    );
  });

  it('reads overrides', () => {
    const config = configFromEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      SEED: '9',
      TICK_RATE: '5000',
      FLUSH_INTERVAL_MS: '20',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      seed: 9,
      tickRate: 5000,
      flushIntervalMs: 20,
    });
  });

  it.each([
    ['PORT', 'abc', /PORT \(--port\) must be an integer from 0 to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT \(--port\) must be an integer/],
    ['PORT', '-1', /PORT \(--port\) must be an integer/],
    ['TICK_RATE', '0', /TICK_RATE \(--tick-rate\) must be an integer from 1/],
    ['FLUSH_INTERVAL_MS', '2.5', /FLUSH_INTERVAL_MS \(--flush-interval-ms\) must be an integer/],
    [
      'LOG_LEVEL',
      'loud',
      /LOG_LEVEL \(--log-level\) must be one of debug, info, warn, error, silent/,
    ],
    ['IDLE_TIMEOUT_S', '4', /IDLE_TIMEOUT_S \(--idle-timeout-s\) must be an integer from 8 to 960/],
    [
      'FROZEN_AT',
      'yesterday',
      /^FROZEN_AT \(--frozen-at\) must be an ISO 8601 UTC time such as 2026-01-05T15:30:00Z, or epoch milliseconds, from 2016-01-01T00:00:00.000Z to 2035-12-31T23:59:59.999Z \(got "yesterday"\)$/,
    ],
    // Local time and offsets would make the instant depend on the machine or be misread.
    ['FROZEN_AT', '2026-01-05T15:30:00', /FROZEN_AT \(--frozen-at\) must be an ISO 8601 UTC time/],
    ['FROZEN_AT', '2026-01-05T15:30:00+01:00', /FROZEN_AT \(--frozen-at\) must be/],
    ['FROZEN_AT', '2026-02-29T12:00:00Z', /FROZEN_AT \(--frozen-at\) must be/], // not a leap year
    ['FROZEN_AT', '2026-01-05T24:00:00Z', /FROZEN_AT \(--frozen-at\) must be/],
    ['FROZEN_AT', '-5', /FROZEN_AT \(--frozen-at\) must be/],
    ['FROZEN_AT', '1.5e12', /FROZEN_AT \(--frozen-at\) must be/],
    // The market is drawn ten years either side of 2026-01-01, and no further.
    ['FROZEN_AT', '2015-12-31T23:59:59Z', /FROZEN_AT \(--frozen-at\) must be/],
    ['FROZEN_AT', '2036-01-01T00:00:00Z', /FROZEN_AT \(--frozen-at\) must be/],
    [
      'AUTH_SECRET',
      'short',
      /^AUTH_SECRET \(--auth-secret\) must be at least 32 bytes \(got 5\); generate one with: openssl rand -base64 48$/,
    ],
    [
      'ALLOWED_ORIGINS',
      'app.example.com',
      /^ALLOWED_ORIGINS \(--allowed-origins\) entries must be origins such as https:\/\/app.example.com .* \(got "app.example.com"\)$/,
    ],
    [
      'ALLOWED_ORIGINS',
      'https://app.example.com/path',
      /ALLOWED_ORIGINS \(--allowed-origins\) entries must be origins/,
    ],
    [
      'MAX_UPGRADES_PER_SECOND',
      '0',
      /^MAX_UPGRADES_PER_SECOND \(--max-upgrades-per-second\) must be an integer from 1/,
    ],
    // Fewer than one listening socket's 512 would only look like a smaller queue.
    [
      'LISTEN_BACKLOG',
      '100',
      /^LISTEN_BACKLOG \(--listen-backlog\) must be an integer from 512 to 65536 \(got "100"\)$/,
    ],
    ['ROLE', 'proxy', /^ROLE \(--role\) must be one of all, source, gateway \(got "proxy"\)$/],
    [
      'REDIS_URL',
      'localhost:6379',
      /^REDIS_URL \(--redis-url\) must be a redis:\/\/ or rediss:\/\/ URL/,
    ],
    ['REDIS_URL', 'redis://', /REDIS_URL \(--redis-url\) must be/],
    [
      'REPLAY_SECONDS',
      '5',
      /^REPLAY_SECONDS \(--replay-seconds\) must be an integer from 15 to 3600/,
    ],
    // Before the market's range (2016-2035): long before 2016.
    ['FROZEN_AT', '899999', /FROZEN_AT \(--frozen-at\) must be .* \(got "899999"\)/],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(message);
  });
});

describe('envWithFlags', () => {
  it('lets flags, in either form, override the environment', () => {
    const env = envWithFlags(
      ['--tick-rate', '5000', '--port=0', '--log-level=silent', '--frozen-at', '1767627000000'],
      { TICK_RATE: '10', SEED: '3', FROZEN_AT: '2026-01-05T15:30:00Z' },
    );
    expect(env).not.toBe('help');
    if (env === 'help') return;
    expect(configFromEnv(env)).toMatchObject({
      tickRate: 5000,
      port: 0,
      seed: 3,
      frozenAt: 1_767_627_000_000,
    });
  });

  it('asks for help, and rejects unknown flags and missing values by name', () => {
    expect(envWithFlags(['--port', '1', '-h'], {})).toBe('help');
    expect(() => envWithFlags(['--prot', '1'], {})).toThrow('unknown option "--prot"; see --help');
    expect(() => envWithFlags(['--port'], {})).toThrow('--port needs a value; see --help');
  });

  it('documents every option in --help', () => {
    const help = helpText();
    for (const option of Object.values(OPTIONS)) expect(help).toContain(option.env);
    expect(help).toContain('--slow-consumer-timeout-ms');
    expect(help).toMatch(/--frozen-at +FROZEN_AT +freeze the clock/);
  });
});

describe('UNIVERSE_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ticker-universe-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads the symbols from the file', () => {
    const path = write(
      'two.json',
      JSON.stringify({ symbols: [goodSymbol, { ...goodSymbol, id: 2, ticker: 'Y' }] }),
    );
    expect(configFromEnv({ UNIVERSE_FILE: path }).universe.map((s) => s.ticker)).toEqual([
      'X',
      'Y',
    ]);
  });

  it.each([
    ['missing.json', null, /UNIVERSE_FILE \(--universe-file\) ".*missing\.json": ENOENT/],
    ['broken.json', '{"symbols": [', /UNIVERSE_FILE \(--universe-file\) ".*broken\.json": .*JSON/],
    [
      'bond.json',
      JSON.stringify({ symbols: [{ ...goodSymbol, assetClass: 'bond' }] }),
      /"[^"]*bond\.json": universe: symbols\[0\] \(X\)\.assetClass must be "stock" or "crypto"/,
    ],
  ])('rejects %s with a ConfigError naming the file and the fault', (name, text, message) => {
    const path = text === null ? join(dir, name) : write(name, text);
    expect(() => configFromEnv({ UNIVERSE_FILE: path })).toThrow(ConfigError);
    expect(() => configFromEnv({ UNIVERSE_FILE: path })).toThrow(message);
  });
});

describe('parseUniverse', () => {
  const good = goodSymbol;

  it('accepts a valid entry and maps the asset class', () => {
    expect(parseUniverse({ symbols: [good] })[0]).toMatchObject({ ticker: 'X', assetClass: 0 });
  });

  it.each([
    [{ symbols: [] }, /at least one symbol/],
    [{ symbols: [good, { ...good, ticker: 'Y' }] }, /duplicate id 1/],
    [{ symbols: [{ ...good, assetClass: 'bond' }] }, /assetClass must be "stock" or "crypto"/],
    [{ symbols: [{ ...good, referencePrice: -1 }] }, /referencePrice must be a positive number/],
    [
      { symbols: [{ ...good, priceDecimals: 13 }] },
      /priceDecimals must be an integer from 0 to 12/,
    ],
  ])('rejects a broken data file with a message naming the entry', (data, message) => {
    expect(() => parseUniverse(data)).toThrow(message);
  });
});
