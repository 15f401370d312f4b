#!/usr/bin/env -S node --min-semi-space-size=16 --max-semi-space-size=16
import { createRedisFeed } from './broker/redis-feed.js';
import { marketIdentity } from './market-path/market-identity.js';
import { redactUrl } from './broker/redis-layout.js';
import { ConfigError, configFromEnv, envWithFlags, helpText } from './config.js';
import type { ProcessConfig } from './config.js';
import { encodeDirectory } from './domain/directory.js';
import { createServer } from './transport/feed-server.js';
import { createSourceServer } from './transport/source-server.js';

interface Running {
  close(): Promise<void>;
  /** The one line printed once the process serves. */
  readonly announcement: string;
}

// Only wiring: parse the environment, start the role's server, stop it on a signal.
async function main(): Promise<void> {
  const env = envWithFlags(process.argv.slice(2), process.env);
  if (env === 'help') {
    process.stdout.write(helpText());
    return;
  }
  const config = configFromEnv(env);
  const running = await start(config);
  // Handlers go in before the line is printed: whoever waits for the line may signal at once.
  const stop = (signal: string): void => {
    config.logger.info('shutting down', { signal });
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${running.announcement}\n`);
}

async function start(config: ProcessConfig): Promise<Running> {
  const host = config.host === undefined || config.host === '0.0.0.0' ? 'localhost' : config.host;
  const redis = redactUrl(config.redisUrl);
  if (config.role === 'source') {
    const server = createSourceServer(config);
    const port = await server.listen();
    return {
      close: () => server.close(),
      announcement: `Ticker market source is publishing to ${redis} (health: http://${host}:${port}/readyz)`,
    };
  }
  const feed =
    config.role === 'gateway'
      ? createRedisFeed({
          url: config.redisUrl,
          universe: config.universe,
          directory: encodeDirectory(config.universe),
          marketIdentity: marketIdentity(config),
          logger: config.logger,
        })
      : undefined;
  const server = createServer(config, feed);
  const port = await server.listen();
  const live = `Ticker is live at http://${host}:${port}/ (feed: ws://${host}:${port}/ws)`;
  return {
    close: () => server.close(),
    announcement: config.role === 'gateway' ? `${live}, fed from ${redis}` : live,
  };
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `feed-server: ${error instanceof ConfigError ? 'invalid configuration: ' : ''}${message}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
});
