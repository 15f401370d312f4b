import { startFeedServer } from './server.js';

/**
 * Starts the shared feed server for the specs and hands its URL to them through TICKER_URL.
 * Specs that restart or freeze a server start their own with `startFeedServer`.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startFeedServer();
  process.env.TICKER_URL = server.url;
  return () => server.stop();
}
