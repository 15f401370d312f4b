import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseUniverse } from './domain/universe.js';
import { createLogger } from './logger.js';
import type { ServerConfig } from './transport/feed-server.js';

/** Thrown for a bad environment variable; main prints its message alone and exits with 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Environment variables the server reads, with their defaults. Documented in the feed-server
 * README; add a variable here, there, and in turbo.json's globalPassThroughEnv.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const logLevel = oneOf(
    env,
    'LOG_LEVEL',
    ['debug', 'info', 'warn', 'error', 'silent'] as const,
    'info',
  );
  return {
    port: integer(env, 'PORT', 8080, 0, 65_535),
    host: nonEmpty(env, 'HOST'),
    seed: integer(env, 'SEED', 1, 0, 2 ** 32 - 1),
    tickRate: integer(env, 'TICK_RATE', 200, 1, 1_000_000),
    flushIntervalMs: integer(env, 'FLUSH_INTERVAL_MS', 50, 5, 10_000),
    heartbeatIntervalMs: integer(env, 'HEARTBEAT_INTERVAL_MS', 5_000, 100, 60_000),
    staticDir: nonEmpty(env, 'STATIC_DIR') ?? defaultDashboardDir(),
    universe: defaultUniverse(),
    logger: createLogger(logLevel),
    limits: {
      maxSubscriptions: integer(env, 'MAX_SUBSCRIPTIONS', 500, 1, 100_000),
      maxMessagesPerSecond: integer(env, 'MAX_MESSAGES_PER_SECOND', 20, 1, 10_000),
      maxConnectionsPerIp: integer(env, 'MAX_CONNECTIONS_PER_IP', 64, 1, 1_000_000),
      // uWS counts idle time in 4 s steps and needs at least 8 s (docs/index.d.ts, idleTimeout).
      idleTimeoutSeconds: integer(env, 'IDLE_TIMEOUT_S', 60, 8, 960),
      slowConsumerBytes: integer(env, 'SLOW_CONSUMER_BYTES', 4 * 1024 * 1024, 64 * 1024, 1024 ** 3),
      slowConsumerTimeoutMs: integer(env, 'SLOW_CONSUMER_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
    },
  };
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

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}
