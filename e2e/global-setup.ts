import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Starts the feed server exactly as `npm start` runs it (built main.js, built dashboard) on a
 * free port, and hands its URL to the specs through TICKER_URL. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const require = createRequire(import.meta.url);
  const main = join(
    dirname(require.resolve('@ticker/feed-server/package.json')),
    'dist',
    'main.js',
  );
  const server = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`feed server did not start in 30 s: ${output}`));
    }, 30_000);
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /live at (http:\/\/\S+\/)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`feed server exited with ${String(code)} before listening: ${output}`));
    });
  });
  process.env.TICKER_URL = url;
  return async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
}
