import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MIN_SECRET_BYTES, secretKey } from './auth/tokens.js';
import { redactUrl } from './broker/redis-layout.js';
import { TradingHours } from './domain/trading-hours.js';
import { parseUniverse } from './domain/universe.js';
import { MARKET_RANGE } from './market-path/intervals.js';
import { createLogger } from './logger.js';
import type { LogLevel } from './logger.js';
import { isProxyEntry } from './transport/client-address.js';
import { SOCKET_BACKLOG } from './transport/listen-group.js';
import type { ConnectionLimits, ServerConfig } from './transport/feed-server.js';

/** Thrown for a bad option; main prints its message alone and exits with 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

interface IntegerOption {
  readonly kind: 'integer';
  readonly env: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly help: string;
}

interface TextOption {
  readonly kind: 'text';
  readonly env: string;
  readonly fallback: string;
  readonly choices?: readonly string[];
  readonly help: string;
}

const integerOption = (
  env: string,
  fallback: number,
  min: number,
  max: number,
  help: string,
): IntegerOption => ({
  kind: 'integer',
  env,
  fallback,
  min,
  max,
  help,
});

/**
 * Every setting, once: its environment variable, its flag (the variable in kebab case:
 * TICK_RATE is --tick-rate), default, range and meaning. Parsing, validation and --help all
 * read this table. Add a setting here, to the README's table, and to turbo.json's
 * globalPassThroughEnv.
 */
export const OPTIONS = {
  role: {
    kind: 'text',
    env: 'ROLE',
    fallback: 'all',
    choices: ['all', 'source', 'gateway'],
    help: 'all: simulator and gateway in one process; source: simulator publishing to Redis; gateway: clients fed from Redis (docs/DEPLOY.md)',
  } satisfies TextOption,
  redisUrl: {
    kind: 'text',
    env: 'REDIS_URL',
    fallback: 'redis://127.0.0.1:6379',
    help: 'the broker of the source and gateway roles, redis:// or rediss://',
  } satisfies TextOption,
  replaySeconds: integerOption(
    'REPLAY_SECONDS',
    60,
    15,
    3_600,
    'source role: seconds of flushes kept in Redis for gateways that join late or reconnect',
  ),
  port: integerOption('PORT', 8080, 0, 65_535, 'TCP port; 0 picks a free one'),
  listenBacklog: integerOption(
    'LISTEN_BACKLOG',
    16_384,
    SOCKET_BACKLOG,
    65_536,
    `connections waiting to be accepted: the port listens on one socket per ${SOCKET_BACKLOG} of them (SO_REUSEPORT), so that a reconnect storm of that many clients is queued, not dropped`,
  ),
  host: {
    kind: 'text',
    env: 'HOST',
    fallback: '',
    help: 'interface to bind (default: all)',
  } satisfies TextOption,
  seed: integerOption('SEED', 1, 0, 2 ** 32 - 1, 'simulator seed: same seed and clock, same ticks'),
  tickRate: integerOption(
    'TICK_RATE',
    1_000,
    1,
    1_000_000,
    'simulated ticks per second over all symbols',
  ),
  flushIntervalMs: integerOption(
    'FLUSH_INTERVAL_MS',
    50,
    5,
    10_000,
    'how often batches are published',
  ),
  heartbeatIntervalMs: integerOption(
    'HEARTBEAT_INTERVAL_MS',
    5_000,
    100,
    60_000,
    'how often every client gets a heartbeat',
  ),
  stockHours: {
    kind: 'text',
    env: 'STOCK_HOURS',
    fallback: 'always',
    help: 'stock session, "always" or HH:MM-HH:MM UTC on weekdays (crypto always trades)',
  } satisfies TextOption,
  frozenAt: {
    kind: 'text',
    env: 'FROZEN_AT',
    fallback: '',
    help: 'freeze the clock at this instant, the market as it stood then (ISO 8601 UTC like 2026-01-05T15:30:00Z, or epoch ms, within ten years of 2026-01-01; default: live)',
  } satisfies TextOption,
  universeFile: {
    kind: 'text',
    env: 'UNIVERSE_FILE',
    fallback: '',
    help: 'symbols to simulate, a JSON file shaped like data/symbols.json (default: the built-in universe)',
  } satisfies TextOption,
  staticDir: {
    kind: 'text',
    env: 'STATIC_DIR',
    fallback: '',
    help: 'built dashboard to serve (default: apps/web/dist)',
  } satisfies TextOption,
  logLevel: {
    kind: 'text',
    env: 'LOG_LEVEL',
    fallback: 'info',
    choices: ['debug', 'info', 'warn', 'error', 'silent'],
    help: 'JSON log level on stderr',
  } satisfies TextOption,
  authSecret: {
    kind: 'text',
    env: 'AUTH_SECRET',
    fallback: '',
    help: `require access tokens signed with this secret (HS256, at least ${MIN_SECRET_BYTES} bytes; prefer the variable to the flag, which other users can see; default: open)`,
  } satisfies TextOption,
  trustedProxies: {
    kind: 'text',
    env: 'TRUSTED_PROXIES',
    fallback: '',
    help: 'comma-separated addresses or subnets of reverse proxies (127.0.0.1, 10.0.0.0/8, ::1) whose X-Forwarded-For names the client, for per-address limits (default: none, the peer is the client)',
  } satisfies TextOption,
  publicHosts: {
    kind: 'text',
    env: 'PUBLIC_HOSTS',
    fallback: '',
    help: 'comma-separated host[:port] names this server is reached by, e.g. ticker.example.com; requests naming another Host get 421 and only these count as its own origin (DNS rebinding; default: any)',
  } satisfies TextOption,
  metricsPort: {
    kind: 'text',
    env: 'METRICS_PORT',
    fallback: '',
    help: 'serve /metrics, /healthz and /readyz on this port of their own (0 picks a free one), and /metrics no longer on PORT (default: on PORT)',
  } satisfies TextOption,
  metricsHost: {
    kind: 'text',
    env: 'METRICS_HOST',
    fallback: '127.0.0.1',
    help: 'interface of METRICS_PORT (default: 127.0.0.1)',
  } satisfies TextOption,
  metricsToken: {
    kind: 'text',
    env: 'METRICS_TOKEN',
    fallback: '',
    help: 'require Authorization: Bearer <this> for /metrics wherever it is served (prefer the variable to the flag, which other users can see; default: none, and with AUTH_SECRET set and no METRICS_PORT, /metrics on PORT is refused)',
  } satisfies TextOption,
  allowedOrigins: {
    kind: 'text',
    env: 'ALLOWED_ORIGINS',
    fallback: '',
    help: "comma-separated origins browsers may connect from besides the server's own, e.g. https://app.example.com, or * for any (default: its own only)",
  } satisfies TextOption,
  maxSubscriptions: integerOption(
    'MAX_SUBSCRIPTIONS',
    500,
    1,
    100_000,
    'topics one connection may hold',
  ),
  maxMessagesPerSecond: integerOption(
    'MAX_MESSAGES_PER_SECOND',
    20,
    1,
    10_000,
    'client messages per second per connection',
  ),
  maxConnectionsPerIp: integerOption(
    'MAX_CONNECTIONS_PER_IP',
    64,
    1,
    1_000_000,
    'open connections from one address',
  ),
  maxUpgradesPerSecond: integerOption(
    'MAX_UPGRADES_PER_SECOND',
    10,
    1,
    1_000_000,
    'new connections per second from one address, after a burst of MAX_CONNECTIONS_PER_IP plus this',
  ),
  maxApiRequestsPerSecond: integerOption(
    'MAX_API_REQUESTS_PER_SECOND',
    20,
    1,
    1_000_000,
    'history API requests per second from one address, bursts of twice as many',
  ),
  // uWS counts idle time in 4 s steps and needs at least 8 s (docs/index.d.ts, idleTimeout).
  idleTimeoutSeconds: integerOption(
    'IDLE_TIMEOUT_S',
    60,
    8,
    960,
    'seconds of client silence before closing',
  ),
  slowConsumerBytes: integerOption(
    'SLOW_CONSUMER_BYTES',
    4 * 1024 * 1024,
    64 * 1024,
    1024 ** 3,
    'buffered bytes that pause a client',
  ),
  slowConsumerTimeoutMs: integerOption(
    'SLOW_CONSUMER_TIMEOUT_MS',
    30_000,
    1_000,
    3_600_000,
    'how long a client may stay paused',
  ),
  stalledReaderMs: integerOption(
    'STALLED_READER_MS',
    3_000,
    100,
    600_000,
    'how long a client may hold buffered bytes without reading before it is paused, whatever their size',
  ),
  maxBufferedBytes: integerOption(
    'MAX_BUFFERED_BYTES',
    256 * 1024 * 1024,
    1024 * 1024,
    64 * 1024 ** 3,
    'bytes buffered for all clients together; nearing it the largest buffers are paused, at it dropped',
  ),
  snapshotBytesPerSecond: integerOption(
    'SNAPSHOT_BYTES_PER_SECOND',
    512 * 1024,
    16 * 1024,
    1024 ** 3,
    'snapshot bytes one connection is sent per second (bursts of four times as many); more wait',
  ),
  snapshotBytesPerSecondPerIp: integerOption(
    'SNAPSHOT_BYTES_PER_SECOND_PER_IP',
    4 * 1024 * 1024,
    16 * 1024,
    1024 ** 3,
    'snapshot bytes all connections from one address are sent per second (bursts of four times as many)',
  ),
} as const;

type OptionName = keyof typeof OPTIONS;

function flagOf(env: string): string {
  return `--${env.toLowerCase().replaceAll('_', '-')}`;
}

/** What this process does; see docs/DEPLOY.md. */
export type Role = 'all' | 'source' | 'gateway';

/** Everything the process is started with: the gateway's settings, and how it scales out. */
export interface ProcessConfig extends ServerConfig {
  readonly role: Role;
  /** The broker of the source and gateway roles. */
  readonly redisUrl: string;
  /** Source role: how much of its stream Redis keeps. */
  readonly replayMs: number;
}

/** Settings from the environment; see OPTIONS. */
export function configFromEnv(env: NodeJS.ProcessEnv): ProcessConfig {
  const int = (name: OptionName): number => readInteger(env, OPTIONS[name] as IntegerOption);
  const text = (name: OptionName): string => readText(env, OPTIONS[name] as TextOption);
  const role = text('role') as Role;
  const frozenAt = readFrozenAt(text('frozenAt'));
  if (frozenAt !== null && role !== 'all') {
    throw new ConfigError(
      `FROZEN_AT (--frozen-at) only works with ROLE=all (got ROLE=${role}): a frozen market is a single-process demo`,
    );
  }
  return {
    role,
    redisUrl: readRedisUrl(text('redisUrl')),
    replayMs: int('replaySeconds') * 1_000,
    port: int('port'),
    host: text('host') || undefined,
    listenBacklog: int('listenBacklog'),
    seed: int('seed'),
    tickRate: int('tickRate'),
    flushIntervalMs: int('flushIntervalMs'),
    heartbeatIntervalMs: int('heartbeatIntervalMs'),
    stockHours: readStockHours(text('stockHours')),
    frozenAt,
    staticDir: text('staticDir') || defaultDashboardDir(),
    universe: readUniverse(text('universeFile')),
    logger: createLogger(text('logLevel') as LogLevel),
    limits: readLimits(env),
    access: {
      secret: readSecret(text('authSecret')),
      allowedOrigins: readOrigins(text('allowedOrigins')),
      publicHosts: readPublicHosts(text('publicHosts')),
    },
    trustedProxies: readTrustedProxies(text('trustedProxies')),
    operations: {
      port: readMetricsPort(text('metricsPort')),
      host: text('metricsHost'),
      token: text('metricsToken') || null,
    },
  };
}

/** METRICS_PORT: empty for none of its own, else a port like PORT's. */
function readMetricsPort(value: string): number | null {
  if (value === '') return null;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new ConfigError(
      `METRICS_PORT (--metrics-port) must be a port, 0–65535 (0 picks a free one), or empty for none (got "${value}")`,
    );
  }
  return port;
}

/** The per-connection limits in `env`, or their defaults from OPTIONS. */
function readLimits(env: NodeJS.ProcessEnv): ConnectionLimits {
  const int = (name: OptionName): number => readInteger(env, OPTIONS[name] as IntegerOption);
  return {
    maxSubscriptions: int('maxSubscriptions'),
    maxMessagesPerSecond: int('maxMessagesPerSecond'),
    maxConnectionsPerIp: int('maxConnectionsPerIp'),
    maxUpgradesPerSecond: int('maxUpgradesPerSecond'),
    idleTimeoutSeconds: int('idleTimeoutSeconds'),
    slowConsumerBytes: int('slowConsumerBytes'),
    slowConsumerTimeoutMs: int('slowConsumerTimeoutMs'),
    stalledReaderMs: int('stalledReaderMs'),
    maxBufferedBytes: int('maxBufferedBytes'),
    snapshotBytesPerSecond: int('snapshotBytesPerSecond'),
    snapshotBytesPerSecondPerIp: int('snapshotBytesPerSecondPerIp'),
    maxApiRequestsPerSecond: int('maxApiRequestsPerSecond'),
  };
}

/** The limits when nothing overrides them: OPTIONS is their one source. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = readLimits({});

/**
 * Flags override the environment: `--tick-rate 5000` or `--tick-rate=5000` sets TICK_RATE.
 * Returns the merged environment, or 'help' for --help / -h.
 */
export function envWithFlags(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv | 'help' {
  const byFlag = new Map(Object.values(OPTIONS).map((option) => [flagOf(option.env), option.env]));
  const merged: NodeJS.ProcessEnv = { ...env };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag = '', inline] = arg.split(/=(.*)/s, 2);
    const name = byFlag.get(flag);
    if (name === undefined) throw new ConfigError(`unknown option "${arg}"; see --help`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value; see --help`);
    merged[name] = value;
  }
  return merged;
}

/** The --help text, generated from OPTIONS so it cannot drift from what is parsed. */
export function helpText(): string {
  const rows = Object.values(OPTIONS).map((option) => {
    const range =
      option.kind === 'integer'
        ? `${option.min}-${option.max}, default ${option.fallback}`
        : 'choices' in option
          ? `${option.choices.join('|')}, default ${option.fallback}`
          : 'text';
    return `  ${flagOf(option.env).padEnd(28)} ${option.env.padEnd(26)} ${option.help} (${range})`;
  });
  return [
    'Usage: ticker-feed-server [options]',
    '',
    'Serves the Ticker dashboard and its live feed (ws://HOST:PORT/ws).',
    'Every option can also be set by the environment variable beside it; flags win.',
    '',
    `  ${'flag'.padEnd(28)} ${'environment'.padEnd(26)} meaning`,
    ...rows,
    `  ${'--help, -h'.padEnd(28)} ${''.padEnd(26)} print this and exit`,
    '',
  ].join('\n');
}

/**
 * The built `@ticker/web` dashboard. It is found through the workspace's module resolution but is
 * not a declared dependency: the server builds without it (the client's tests depend on the
 * server, and the dashboard on the client), and `npm start` builds both.
 */
export function defaultDashboardDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@ticker/web/package.json')), 'dist');
  } catch {
    return null;
  }
}

export function defaultUniverse(): ReturnType<typeof parseUniverse> {
  const path = new URL('../data/symbols.json', import.meta.url);
  return parseUniverse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The universe in `path`, or the built-in one; a missing or invalid file names itself. */
export function readUniverse(path: string): ReturnType<typeof parseUniverse> {
  if (path === '') return defaultUniverse();
  try {
    return parseUniverse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ConfigError(
      `UNIVERSE_FILE (--universe-file) "${path}": ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** AUTH_SECRET as a signing key, null when unset; a short one is refused. */
export function readSecret(value: string): Uint8Array | null {
  if (value === '') return null;
  const key = secretKey(value);
  if (key.length < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `AUTH_SECRET (--auth-secret) must be at least ${MIN_SECRET_BYTES} bytes (got ${key.length}); generate one with: openssl rand -base64 48`,
    );
  }
  return key;
}

/** Origins exactly as browsers send them (scheme, host, port if not the default), or `*`. */
function readOrigins(value: string): string[] {
  if (value === '') return [];
  return value.split(',').map((entry) => {
    const origin = entry.trim().replace(/\/$/, '');
    if (origin === '*') return origin;
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (parsed === null || parsed.origin === 'null' || parsed.origin !== origin.toLowerCase()) {
      throw new ConfigError(
        `ALLOWED_ORIGINS (--allowed-origins) entries must be origins such as https://app.example.com (scheme, host and port only) or * (got "${entry.trim()}")`,
      );
    }
    return parsed.origin;
  });
}

/** TRUSTED_PROXIES: addresses and subnets, IPv4 or IPv6. */
function readTrustedProxies(value: string): string[] {
  if (value === '') return [];
  return value.split(',').map((entry) => {
    const proxy = entry.trim();
    if (!isProxyEntry(proxy)) {
      throw new ConfigError(
        `TRUSTED_PROXIES (--trusted-proxies) entries must be IP addresses or subnets, such as 127.0.0.1, 10.0.0.0/8 or ::1 (got "${proxy}")`,
      );
    }
    return proxy;
  });
}

/** PUBLIC_HOSTS: host[:port] names, lower case, as a Host header carries them. */
function readPublicHosts(value: string): string[] {
  if (value === '') return [];
  return value.split(',').map((entry) => {
    const host = entry.trim().toLowerCase();
    let parsed: URL | null = null;
    try {
      parsed = new URL(`http://${host}`);
    } catch {
      // reported below
    }
    if (parsed === null || parsed.host !== host.replace(/:80$/, '') || host === '') {
      throw new ConfigError(
        `PUBLIC_HOSTS (--public-hosts) entries must be host names with an optional port, such as ticker.example.com or ticker.example.com:8443 (got "${entry.trim()}")`,
      );
    }
    return parsed.host;
  });
}

/** A URL node-redis accepts; a bad one is refused here rather than retried forever. */
function readRedisUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (url === null || !['redis:', 'rediss:'].includes(url.protocol) || url.hostname === '') {
    throw new ConfigError(
      `REDIS_URL (--redis-url) must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (got "${redactUrl(value)}")`,
    );
  }
  return value;
}

function readInteger(env: NodeJS.ProcessEnv, option: IntegerOption): number {
  const raw = env[option.env];
  if (raw === undefined || raw === '') return option.fallback;
  const value = Number(raw);
  if (
    !/^\d+$/.test(raw.trim()) ||
    !Number.isSafeInteger(value) ||
    value < option.min ||
    value > option.max
  ) {
    throw new ConfigError(
      `${option.env} (${flagOf(option.env)}) must be an integer from ${option.min} to ${option.max} (got "${raw}")`,
    );
  }
  return value;
}

function readStockHours(value: string): TradingHours | null {
  if (value === 'always') return null;
  try {
    return TradingHours.parse(value);
  } catch (error) {
    throw new ConfigError(`STOCK_HOURS (--stock-hours): ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The market is drawn from 2026-01-01 outward (src/market-path), one day walk step per day: ten
 * years either way keeps any instant a few thousand steps away, a fraction of a second to start.
 */
const FROZEN_AT_RANGE = { min: MARKET_RANGE.min, max: MARKET_RANGE.max };
/** UTC only: without the Z, Date.parse would read local time and two machines would disagree. */
const ISO_UTC = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z$/;

/** FROZEN_AT as epoch ms, or null to run live. */
function readFrozenAt(value: string): number | null {
  if (value === '') return null;
  const time = /^\d+$/.test(value) ? Number(value) : parseIsoUtc(value);
  if (time === null || time < FROZEN_AT_RANGE.min || time > FROZEN_AT_RANGE.max) {
    throw new ConfigError(
      `FROZEN_AT (--frozen-at) must be an ISO 8601 UTC time such as 2026-01-05T15:30:00Z, or epoch milliseconds, from ${new Date(FROZEN_AT_RANGE.min).toISOString()} to ${new Date(FROZEN_AT_RANGE.max).toISOString()} (got "${value}")`,
    );
  }
  return time;
}

/** Epoch ms of a `YYYY-MM-DDTHH:MM[:SS[.sss]]Z` that names a real instant (no February 30th), or null. */
function parseIsoUtc(text: string): number | null {
  const match = ISO_UTC.exec(text);
  if (match === null) return null;
  const [, date, hourMinute, second = '00', fraction = ''] = match;
  const canonical = `${date}T${hourMinute}:${second}.${fraction.padEnd(3, '0')}Z`;
  const time = Date.parse(canonical);
  // Date.parse may roll an overflowing field into the next (24:00 is tomorrow's 00:00): only an
  // instant that prints back as written is the one that was meant.
  return Number.isFinite(time) && new Date(time).toISOString() === canonical ? time : null;
}

function readText(env: NodeJS.ProcessEnv, option: TextOption): string {
  const raw = env[option.env]?.trim();
  if (raw === undefined || raw === '') return option.fallback;
  if (option.choices && !option.choices.includes(raw)) {
    throw new ConfigError(
      `${option.env} (${flagOf(option.env)}) must be one of ${option.choices.join(', ')} (got "${raw}")`,
    );
  }
  return raw;
}
