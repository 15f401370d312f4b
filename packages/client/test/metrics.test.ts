import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MessageType,
  createTickBatch,
  decodePing,
  encodeHello,
  encodePong,
  encodeSymbolDirectory,
  encodeTickBatch,
  reserveTicks,
} from '@ticker/protocol';
import { ClockOffset } from '../src/clock-offset.js';
import { FeedClient } from '../src/index.js';
import { LatencyWindow } from '../src/latency-window.js';
import { Throughput } from '../src/throughput.js';
import { BTC, BTC_INFO, FakeSocket } from './fake-socket.js';

describe('LatencyWindow', () => {
  it('reports nearest-rank p50 and p99 of the samples it holds', () => {
    const window = new LatencyWindow(1_000);
    expect(window.percentiles()).toBeNull();
    for (let ms = 1; ms <= 100; ms++) window.record(101 - ms);
    expect(window.percentiles()).toEqual({ p50: 50, p99: 99, samples: 100 });
  });

  it('keeps only the most recent samples once full', () => {
    const window = new LatencyWindow(4);
    for (const ms of [1_000, 1_000, 1_000, 1_000, 1, 2, 3, 4]) window.record(ms);
    expect(window.percentiles()).toEqual({ p50: 2, p99: 4, samples: 4 });
  });
});

describe('Throughput', () => {
  it('averages whole seconds, forgets old ones, and scales the first partial second', () => {
    const meter = new Throughput();
    expect(meter.rates(0).ticksPerSecond).toBe(0);
    meter.record(10_000, 100, 4);
    meter.record(10_250, 100, 4);
    expect(meter.rates(10_500)).toEqual({
      ticksPerSecond: 16,
      framesPerSecond: 4,
      bytesPerSecond: 400,
    });
    // Seconds 11 and 12: 10 frames each.
    for (let i = 0; i < 10; i++) meter.record(11_000 + i * 100, 50, 2);
    for (let i = 0; i < 10; i++) meter.record(12_000 + i * 100, 50, 2);
    // Complete seconds so far: 10 (2 frames), 11 (10), 12 (10).
    expect(meter.rates(13_000).framesPerSecond).toBeCloseTo(22 / 3);
    // Ten silent seconds later every bucket has rolled away.
    expect(meter.rates(23_000)).toEqual({
      ticksPerSecond: 0,
      framesPerSecond: 0,
      bytesPerSecond: 0,
    });
  });
});

describe('ClockOffset', () => {
  it('starts from the hello and keeps the pong with the shortest round trip', () => {
    const clock = new ClockOffset();
    expect(clock.ms).toBeNull();
    clock.fromHello(5_000 + 996, 1_000); // arrived 4 ms after the server stamped it
    expect(clock.ms).toBe(4_996);
    clock.fromPong(2_005 + 5_000, 2_010, 10); // answered mid-way through a 10 ms round trip
    expect(clock.ms).toBe(5_000);
    clock.fromPong(3_000 + 5_000 + 40, 3_050, 100); // worse round trip: ignored
    expect(clock.ms).toBe(5_000);
    clock.reset();
    expect(clock.ms).toBeNull();
  });
});

describe('FeedClient.metrics (fake clock)', () => {
  beforeEach(() => {
    FakeSocket.created.length = 0;
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
      now: 1_800_000_000_000,
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('measures RTT from its pings and tick age against the server clock', () => {
    const serverAhead = 5_000;
    const client = new FeedClient({ url: 'ws://a/ws', WebSocket: FakeSocket });
    client.connect();
    const socket = FakeSocket.last;
    socket.deliver(
      encodeHello({ serverTime: Date.now() + serverAhead, heartbeatIntervalMs: 5_000, limits: [] }),
    );
    socket.deliver(encodeSymbolDirectory({ symbols: [BTC_INFO] }));

    // The client pings as soon as it is open; the server answers half-way through 10 ms.
    const ping = socket.sent.find((frame) => frame[1] === MessageType.Ping);
    if (!ping) throw new Error('no ping sent on open');
    vi.advanceTimersByTime(5);
    const answeredAt = Date.now() + serverAhead;
    vi.advanceTimersByTime(5);
    socket.deliver(encodePong({ nonce: decodePing(ping).nonce, serverTime: answeredAt }));
    expect(client.metrics().clockOffsetMs).toBe(serverAhead);
    expect(client.metrics().rttMs).toEqual({ p50: 10, p99: 10, samples: 1 });

    // Ticks stamped 10..100 ms before now on the server's clock.
    const batch = createTickBatch(10);
    reserveTicks(batch, 10);
    const serverNow = Date.now() + serverAhead;
    for (let i = 0; i < 10; i++) {
      batch.price[i] = 100;
      batch.size[i] = 1;
      batch.time[i] = serverNow - 100 + i * 10;
    }
    batch.count = 10;
    batch.symbolId = BTC;
    socket.deliver(encodeTickBatch(batch));
    const metrics = client.metrics();
    expect(metrics.tickAgeMs).toEqual({ p50: 50, p99: 100, samples: 10 });
    expect(metrics.ticksPerSecond).toBeGreaterThan(0);
    expect(metrics.framesPerSecond).toBeGreaterThan(0);
    expect(metrics.bytesPerSecond).toBeGreaterThan(0);
    client.close();
    expect(client.metrics().clockOffsetMs).toBeNull();
  });
});
