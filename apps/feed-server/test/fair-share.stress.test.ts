import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ErrorCode,
  MessageType,
  View,
  decodeErrorReply,
  encodeSubscribe,
  encodeUnsubscribe,
  encodeViewSubscribe,
} from '@ticker/protocol';
import { defaultUniverse } from '../src/config.js';
import { ServerProcess, pollUntil, runPool, within } from './hostile-harness.js';
import type { Metrics } from './hostile-harness.js';
import { probeHealth, watchBystander } from './helper-process.js';
import type { BystanderReport } from './helper-process.js';

/*
 * Attacks that stay inside every per-client limit (docs/PROTOCOL.md, README "Limits and bad
 * input"), from many addresses (all of 127.0.0.0/8 is this machine), against one server process,
 * while a bystander watches ten symbols: churn of subscribe-all / unsubscribe-all at just under
 * the message rate, hundreds of connections that subscribe to everything and never read, and 64
 * of those from one address. No client may hurt another: the bystander's feed stays gapless and
 * on time, /healthz answers at once, the server's memory stays under its cap plus a fixed
 * overhead and comes back after, and nobody sending under the rate is closed for it.
 * `npm run stress -w @ticker/feed-server` runs it alone (npm test runs it after everything else).
 */

const MB = 1024 * 1024;
const MAX_BUFFERED_BYTES = 32 * MB;
const MESSAGES_PER_SECOND = 20;
/** Just under the rate: these clients must never be refused or closed for it. */
const CHURN_PER_SECOND = 18;
const CHURNERS = 12;
const STALLED_ADDRESSES = 50;
const STALLED_PER_ADDRESS = 4;
const STALLED_FROM_ONE_ADDRESS = 64;
/**
 * Long enough for the never-readers to fill what the kernel takes for them (~4 MB each on
 * loopback) and make the server hold bytes: only then can it see they stopped.
 */
const ATTACK_MS = 25_000;
const WATCHED = 10;
/**
 * What the server may use beyond its buffers' cap, over a server in use: V8's heap growing with
 * the churners' garbage before its next full collection, uWS's own structures. Peaks were 31-44
 * MB over the server in use while snapshots were a few KB (a server started moments before had
 * little history); with every history full from the first second (snapshots of 20-30 KB), 77-97
 * MB, with the young generation `npm start` sets (README "Clients inside every limit").
 */
const FIXED_OVERHEAD = 112 * MB;
/** What a server may hold after the attack beyond what it held before, after a full collection. */
const RETAINED_SLACK = 4 * MB;
/** How far above its collected baseline the process's RSS may stay after the attack. */
const RSS_RETURN = 1.5;

/** Client k of a group, from its own loopback address: 127.<group>.<k / 250>.<k % 250 + 1>. */
const address = (group: number, k: number): string =>
  `127.${group}.${Math.floor(k / 250)}.${(k % 250) + 1}`;

/** Opens a raw WebSocket from `localAddress`, bounded. */
async function open(url: string, localAddress: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false, localAddress });
  socket.binaryType = 'nodebuffer';
  socket.on('error', () => undefined); // a dropped peer: seen by its close event
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        resolve();
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(
          new Error(`upgrade from ${localAddress} refused with HTTP ${response.statusCode ?? 0}`),
        );
      });
    }),
    10_000,
    `a connection from ${localAddress}`,
  );
  return socket;
}

/** Alternates subscribe-all and unsubscribe-all under the rate, reading (and counting) everything. */
class Churner {
  rateErrors = 0;
  otherErrors = 0;
  bytes = 0;
  closeCode: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.bytes += data.length;
      if (data[1] !== MessageType.Error) return;
      const reply = decodeErrorReply(new Uint8Array(data));
      if (reply.code === ErrorCode.LimitExceeded) this.rateErrors += 1;
      else this.otherErrors += 1;
    });
    socket.on('close', (code) => {
      this.closeCode = code;
    });
  }

  start(symbolIds: number[]): void {
    let requestId = 1;
    this.timer = setInterval(() => {
      if (this.socket.readyState !== WebSocket.OPEN) return;
      const request = { requestId, symbolIds };
      this.socket.send(requestId % 2 === 1 ? encodeSubscribe(request) : encodeUnsubscribe(request));
      requestId += 1;
    }, 1_000 / CHURN_PER_SECOND);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.closeCode !== null) return;
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.close(1000);
    await within(closed, 10_000, 'a churner to close');
  }
}

/** Subscribes to everything, then never reads again. */
async function stall(url: string, localAddress: string, symbolIds: number[]): Promise<WebSocket> {
  const socket = await open(url, localAddress);
  socket.send(encodeSubscribe({ requestId: 1, symbolIds }));
  (socket as unknown as { _socket: { pause(): void } })._socket.pause();
  return socket;
}

const counter = (metrics: Metrics, name: string): number => metrics.get(name) ?? 0;

/** One client subscribes to every symbol in both views, reads every snapshot, and leaves. */
async function serveEverythingOnce(url: string, symbolIds: number[]): Promise<void> {
  const socket = await open(url, '127.0.0.1');
  const received = new Map<number, number>();
  let arrived: (() => void) | null = null;
  socket.on('message', (data: Buffer) => {
    const type = data[1] ?? 0;
    received.set(type, (received.get(type) ?? 0) + 1);
    arrived?.();
  });
  const allOf = (type: number, what: string): Promise<void> =>
    within(
      new Promise<void>((resolve) => {
        arrived = () => {
          if ((received.get(type) ?? 0) >= symbolIds.length) resolve();
        };
        arrived();
      }),
      30_000,
      what,
    );
  socket.send(encodeSubscribe({ requestId: 1, symbolIds }));
  await allOf(MessageType.Snapshot, 'a chart snapshot of every symbol');
  socket.send(encodeViewSubscribe({ requestId: 2, view: View.Quote, symbolIds }));
  await allOf(MessageType.QuoteSnapshot, 'a quote snapshot of every symbol');
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.close(1000);
  await within(closed, 10_000, 'the warm-up client to leave');
}

/** One client, alone, churning subscribe-all / unsubscribe-all under the rate for 3 s. */
async function churnBriefly(url: string, symbolIds: number[]): Promise<void> {
  const churner = new Churner(await open(url, '127.0.0.1'));
  churner.start(symbolIds);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await churner.stop();
}

let server: ServerProcess | null = null;
let bystander: { stop(): Promise<BystanderReport> } | null = null;
const stalled: WebSocket[] = [];
const churners: Churner[] = [];
afterAll(async () => {
  for (const socket of stalled) socket.terminate();
  await Promise.all(churners.map((churner) => churner.stop().catch(() => undefined)));
  await bystander?.stop().catch(() => undefined);
  await server?.stop();
});

describe('clients that stay inside every limit', () => {
  it('cannot hurt a bystander, the health check, or the server’s memory', async () => {
    server = await ServerProcess.start(
      {
        LOG_LEVEL: 'warn',
        TICK_RATE: '10000',
        MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES),
        STALLED_READER_MS: '2000',
        SLOW_CONSUMER_TIMEOUT_MS: '10000',
        MAX_MESSAGES_PER_SECOND: String(MESSAGES_PER_SECOND),
      },
      { inspector: true },
    );
    const live = server;
    const watching = watchBystander(live.url, WATCHED);
    bystander = watching;
    await watching.ready;
    const everything = defaultUniverse().map((symbol) => symbol.id);
    // The baseline is a server in use, not a fresh one: every symbol served once in both views,
    // and a few seconds of one client's churn, so that what any server allocates once for such
    // work (snapshot buffers, compiled code, V8's young generation grown to its working size) is
    // in it, and what is measured after the attack is what the attack itself left behind.
    await serveEverythingOnce(live.url, everything);
    await churnBriefly(live.url, everything);
    // Before and after, memory is measured after a full collection: what is retained, not what
    // the collector has not yet got round to in a process that has little left to do.
    const inUseRss = live.rssBytes();
    await live.collectGarbage();
    const baselineRss = live.rssBytes();
    const before = await live.metrics();
    let peakRss = baselineRss;
    const sampler = setInterval(() => {
      if (live.exit === null) peakRss = Math.max(peakRss, live.rssBytes());
    }, 100);
    const health = probeHealth(live.port);

    const attackStart = Date.now();
    try {
      for (let k = 0; k < CHURNERS; k++) {
        const churner = new Churner(await open(live.url, address(1, k)));
        churners.push(churner);
        churner.start(everything);
      }
      const openings = [
        ...Array.from(
          { length: STALLED_ADDRESSES * STALLED_PER_ADDRESS },
          (_, k) => () => stall(live.url, address(2, k % STALLED_ADDRESSES), everything),
        ),
        ...Array.from(
          { length: STALLED_FROM_ONE_ADDRESS },
          () => () => stall(live.url, address(3, 0), everything),
        ),
      ];
      const results = await runPool(openings, 32);
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        stalled.push(result.value);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, attackStart + ATTACK_MS - Date.now())),
      );
      const during = await live.metrics();
      const healthz = await health.stop();

      // Everyone leaves.
      for (const socket of stalled.splice(0)) socket.terminate();
      await Promise.all(churners.map((churner) => churner.stop()));
      await pollUntil(
        async () => (await live.metrics()).get('ticker_connections') === 1,
        'the attackers’ connections to be closed',
        20_000,
      );
      const seen = await watching.stop();
      bystander = null;
      // Memory after: read right after a full collection each time, so that what is measured is
      // what the server retains, not the garbage of the seconds spent waiting for RSS to fall.
      const collected = async (): Promise<{ rss: number; metrics: Metrics }> => {
        await live.collectGarbage();
        return { rss: live.rssBytes(), metrics: await live.metrics() };
      };
      let settled = await collected();
      await pollUntil(
        async () => {
          settled = await collected();
          return settled.rss <= baselineRss * RSS_RETURN;
        },
        'RSS to come back',
        20_000,
        1_000,
      ).catch(() => undefined);
      const { rss: afterRss, metrics: after } = settled;
      const heap = (m: Metrics): string =>
        `heap ${(counter(m, 'nodejs_heap_size_used_bytes') / MB).toFixed(0)}/${(counter(m, 'nodejs_heap_size_total_bytes') / MB).toFixed(0)} MB, external ${(counter(m, 'nodejs_external_memory_bytes') / MB).toFixed(0)} MB`;
      console.info(
        `fair share: memory before: ${heap(before)}; during: ${heap(during)}; after: ${heap(after)}; server loop delay during the attack: max ${(counter(during, 'nodejs_eventloop_lag_max_seconds') * 1000).toFixed(0)} ms, p99 ${(counter(during, 'nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(0)} ms`,
      );
      console.info(
        `fair share: RSS in use ${(inUseRss / MB).toFixed(1)} MB, baseline ${(baselineRss / MB).toFixed(1)} MB, peak ${(peakRss / MB).toFixed(1)} MB, after ${(afterRss / MB).toFixed(1)} MB; bystander max lag ${seen.maxLagMs} ms, longest BTC silence ${seen.longestSilenceMs} ms; /healthz p99 ${healthz.p99Ms.toFixed(1)} ms, slowest ${healthz.slowestMs.toFixed(1)} ms of ${healthz.probes}; churners read ${(churners.reduce((s, c) => s + c.bytes, 0) / MB).toFixed(1)} MB; paused (stalled) ${counter(during, 'ticker_slow_consumer_pauses_total{reason="stalled"}')}, (buffer) ${counter(during, 'ticker_slow_consumer_pauses_total{reason="buffer"}')}, (memory) ${counter(during, 'ticker_slow_consumer_pauses_total{reason="memory"}')}; memory-cap drops ${counter(after, 'ticker_memory_cap_drops_total')}; snapshots delayed by address ${counter(after, 'ticker_snapshots_delayed_total{reason="address_budget"}')}, by connection ${counter(after, 'ticker_snapshots_delayed_total{reason="connection_budget"}')}, behind ${counter(after, 'ticker_snapshots_delayed_total{reason="backpressure"}')}; sent ${counter(after, 'ticker_snapshots_sent_total{view="chart"}')}, encoded ${counter(after, 'ticker_snapshots_encoded_total{view="chart"}')}`,
      );

      // The bystander: gapless, never closed, never resynced, on time.
      expect(seen.problems).toEqual([]);
      expect(seen.maxLagMs).toBeLessThanOrEqual(250);
      expect(healthz.failures).toBe(0);
      // The probe is a process of its own on the same two cores as the attackers: one answer in
      // a hundred may wait for it to be scheduled (the server's own loop delay is printed).
      expect(healthz.p99Ms).toBeLessThanOrEqual(100);
      expect(healthz.slowestMs).toBeLessThanOrEqual(250);
      // Nobody under the rate was refused or closed for it.
      for (const churner of churners) {
        expect(churner.rateErrors).toBe(0);
        expect(churner.closeCode).toBe(1000);
      }
      expect(counter(after, 'ticker_rejected_requests_total{reason="rate_limit"}')).toBe(0);
      expect(counter(after, 'ticker_rejected_requests_total{reason="rate_limit_close"}')).toBe(0);
      // The ones that stopped reading were paused (stalled, or holding the most as the total
      // neared the cap), and the 64 from one address shared its snapshot budget.
      const paused = (reason: string): number =>
        counter(during, `ticker_slow_consumer_pauses_total{reason="${reason}"}`);
      expect(paused('stalled') + paused('memory') + paused('buffer')).toBeGreaterThan(0);
      expect(
        counter(after, 'ticker_snapshots_delayed_total{reason="address_budget"}'),
      ).toBeGreaterThan(0);
      // Memory: bounded throughout, and back after: after a full collection the server holds
      // what it held before (heap and buffers, exactly within RETAINED_SLACK). The process's RSS
      // gets a loose bound, because how much freed memory the allocator hands back to the system
      // varies: after a collection it was 1.09× its collected baseline on this machine, and
      // 1.39× on a busy CI run whose heap and external memory were back (freed pages kept by
      // malloc's arenas); 1.5× (about 85 MB here) still catches native memory that grows with the
      // attack, which peaked 110-120 MB above the baseline.
      expect(peakRss).toBeLessThanOrEqual(inUseRss + MAX_BUFFERED_BYTES + FIXED_OVERHEAD);
      expect(counter(after, 'nodejs_heap_size_used_bytes')).toBeLessThanOrEqual(
        counter(before, 'nodejs_heap_size_used_bytes') + RETAINED_SLACK,
      );
      expect(counter(after, 'nodejs_external_memory_bytes')).toBeLessThanOrEqual(
        counter(before, 'nodejs_external_memory_bytes') + RETAINED_SLACK,
      );
      expect(counter(after, 'ticker_buffered_bytes')).toBe(0);
      expect(counter(after, 'ticker_snapshots_queued')).toBe(0);
      expect(afterRss).toBeLessThanOrEqual(baselineRss * RSS_RETURN);
      expect(live.exit).toBeNull();
    } finally {
      clearInterval(sampler);
    }
  }, 120_000);
});
