#!/usr/bin/env node
import { ConfigError, configFromEnv, envWithFlags, helpText } from './config.js';
import { createServer } from './transport/feed-server.js';

// Only wiring: parse the environment, start the server, stop it on a signal.
async function main(): Promise<void> {
  const env = envWithFlags(process.argv.slice(2), process.env);
  if (env === 'help') {
    process.stdout.write(helpText());
    return;
  }
  const config = configFromEnv(env);
  const server = createServer(config);
  const port = await server.listen();
  // Handlers go in before the line is printed: whoever waits for the line may signal at once.
  const stop = (signal: string): void => {
    config.logger.info('shutting down', { signal });
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const shownHost =
    config.host === undefined || config.host === '0.0.0.0' ? 'localhost' : config.host;
  process.stdout.write(
    `Ticker is live at http://${shownHost}:${port}/ (feed: ws://${shownHost}:${port}/ws)\n`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `feed-server: ${error instanceof ConfigError ? 'invalid configuration: ' : ''}${message}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
});
