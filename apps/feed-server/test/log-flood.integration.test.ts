import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { FeedServer } from '../src/transport/feed-server.js';
import { TestSocket, attempt, startServer } from './harness.js';
import { RawPeer, upgradeRequest } from './hostile-harness.js';

/*
 * What clients can make the server write to its log (README "Logs"): a few lines a minute per
 * kind of event, whatever their number, and client text cut short in logs and answers alike,
 * while /metrics counts every event.
 */

/** The lines the server would have written, as pino writes them (one JSON object per line). */
class LogCapture implements Logger {
  readonly lines: string[] = [];

  get bytes(): number {
    return this.lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write(20, message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write(30, message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write(40, message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write(50, message, fields);
  }

  private write(level: number, msg: string, fields: Record<string, unknown> = {}): void {
    const base = { level, time: Date.now(), pid: process.pid, hostname: hostname() };
    const line = { ...base, service: 'ticker-feed-server', ...fields, msg };
    this.lines.push(`${JSON.stringify(line)}\n`);
  }
}

let server: FeedServer | null = null;
const sockets: TestSocket[] = [];
const raws: RawPeer[] = [];
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await server?.close();
  server = null;
});

async function serverLoggingTo(log: Logger): Promise<{ port: number; url: string }> {
  const started = await startServer({
    logger: log,
    limits: { ...DEFAULT_CONNECTION_LIMITS, maxConnectionsPerIp: 1, maxUpgradesPerSecond: 1e6 },
  });
  server = started.server;
  return started;
}

const REFUSED_UPGRADES = 20_000;
const PIPELINED = 500;

describe('logs a client cannot flood', () => {
  it('log a flood of 20,000 refused upgrades in a few lines, and count every one', async () => {
    const log = new LogCapture();
    const { port, url } = await serverLoggingTo(log);
    sockets.push(await TestSocket.open(url)); // the address's one connection: the rest are refused
    const raw = await RawPeer.connect(port);
    raws.push(raw);
    const answers = (): number => raw.received.toString('latin1').split('HTTP/1.1 429').length - 1;
    const request = upgradeRequest(port);
    for (let sent = 0; sent < REFUSED_UPGRADES; sent += PIPELINED) {
      raw.socket.write(request.repeat(PIPELINED));
      await raw.until(() => answers() >= sent + PIPELINED, `${sent + PIPELINED} refusals`);
    }
    expect(server?.stats.refusedConnections.get('per_ip_connections')).toBe(REFUSED_UPGRADES);

    await server?.close(); // ends the log's window: its summary line is written
    server = null;
    const refusals = log.lines.filter((line) => line.includes('"reason":"per_ip_connections"'));
    expect(refusals).toHaveLength(5);
    const summary = log.lines.find((line) => line.includes('refused a connection (more not'));
    expect(JSON.parse(summary ?? '{}')).toMatchObject({ notLogged: REFUSED_UPGRADES - 5 });
    expect(log.bytes).toBeLessThanOrEqual(10 * 1024);
  });

  it('cut a 60 KB Origin short in the log and in the answer', async () => {
    const log = new LogCapture();
    const { url } = await serverLoggingTo(log);
    const origin = `https://${'a'.repeat(60_000)}.example`;
    const answer = await attempt(url, { origin });
    expect(answer.status).toBe(403);
    expect(answer.body).toBe(
      `origin https://${'a'.repeat(92)}… (${origin.length} characters) is not allowed to connect\n`,
    );
    expect(server?.stats.refusedConnections.get('origin')).toBe(1);
    expect(log.lines).toHaveLength(1);
    expect(log.bytes).toBeLessThanOrEqual(400);
  });
});
