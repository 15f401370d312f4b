import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MarketState,
  MessageType,
  View,
  decodeMarketStatus,
  decodeSnapshot,
  encodeMarketStatus,
} from '@ticker/protocol';
import type { MarketStatus } from '@ticker/protocol';
import { DEFAULT_CONNECTION_LIMITS } from '../src/config.js';
import type { ConnectionLimits } from '../src/gateway/connection-limits.js';
import { QuotePublisher } from '../src/gateway/quote-publisher.js';
import type { Session } from '../src/gateway/session.js';
import { SlowConsumers } from '../src/gateway/slow-consumers.js';
import { SnapshotQueue } from '../src/gateway/snapshot-queue.js';
import { LogThrottle } from '../src/log-throttle.js';
import { createLogger } from '../src/logger.js';
import { FakePublisher } from './fake-peer.js';
import type { FakePeer } from './fake-peer.js';
import { GatewayFixture } from './gateway-fixture.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const BROADCAST = 'broadcast';
const MB = 1024 * 1024;

/**
 * `workMsPerPause`: how long each pause seems to take (the work clock moves on by that much
 * whenever it is read), for the bound on pausing per check; 0 leaves it out of the way.
 */
function watch(limits: Partial<ConnectionLimits> = {}, workMsPerPause = 0) {
  let workTime = 0;
  let marketStatus: Uint8Array | null = null;
  const fixture = new GatewayFixture(100);
  const queue = new SnapshotQueue({
    cache: fixture.cache,
    recent: fixture.recent,
    registry: fixture.registry,
    stats: fixture.stats,
    isSynced: () => true,
    mayBuffer: () => true,
    bytesPerSecondPerIp: 1024 ** 3,
    clock: fixture.clock,
  });
  const quotes = new QuotePublisher(
    new FakePublisher(),
    fixture.registry,
    fixture.histories,
    fixture.stats,
  );
  const slow = new SlowConsumers({
    limits: { ...DEFAULT_CONNECTION_LIMITS, ...limits },
    stats: fixture.stats,
    logs: new LogThrottle(createLogger('silent')),
    registry: fixture.registry,
    queue,
    quotes,
    broadcastTopic: BROADCAST,
    marketStatus: () => marketStatus,
    clock: fixture.clock,
    workClock: () => (workTime += workMsPerPause),
  });
  const sessions = new Set<Session>();
  /** A live chart subscriber of `indexes`. */
  const connect = (indexes: readonly number[] = [0]): { session: Session; peer: FakePeer } => {
    const held = fixture.session();
    held.peer.subscribe(BROADCAST);
    for (const index of indexes) {
      held.session.holdings.set(index, { view: View.Chart, live: true });
      held.peer.subscribe(fixture.registry.topic(index));
    }
    sessions.add(held.session);
    return held;
  };
  /** Time passes by `ms`, checked every 50 ms as the flush interval does. */
  const pass = async (ms: number): Promise<void> => {
    for (let passed = 0; passed < ms; passed += 50) {
      fixture.time += 50;
      slow.check(sessions);
      await vi.advanceTimersByTimeAsync(50);
    }
  };
  /** What the market watch last published (null: live from the start). */
  const setMarketStatus = (status: MarketStatus): void => {
    marketStatus = encodeMarketStatus(status);
  };
  return { fixture, slow, sessions, connect, pass, setMarketStatus };
}

describe('SlowConsumers', () => {
  it('pauses a reader that stopped, however little it holds, and not one that drains', async () => {
    const { fixture, slow, connect, pass } = watch({ stalledReaderMs: 3_000 });
    const stopped = connect();
    const draining = connect();
    stopped.peer.buffered = 2_000;
    draining.peer.buffered = 200_000;
    for (let second = 0; second < 4; second++) {
      await pass(1_000);
      slow.drained(draining.session); // it reads, slowly
    }
    expect(stopped.session.pausedSince).not.toBeNull();
    expect(draining.session.pausedSince).toBeNull();
    expect(fixture.stats.slowConsumerPauses.get('stalled')).toBe(1);
    // Paused: out of its topics and heartbeats, owed a fresh snapshot of what it held.
    expect(stopped.peer.topics.size).toBe(0);
    expect(stopped.session.pending.get(0)).toMatchObject({ view: View.Chart, requestId: 0 });
  });

  it('pauses past the buffer limit, resumes once drained, with snapshots its series continue from', async () => {
    const { fixture, slow, connect, pass } = watch({ slowConsumerBytes: MB });
    const reader = connect([0, 1]);
    reader.peer.buffered = 2 * MB;
    await pass(50);
    expect(fixture.stats.slowConsumerPauses.get('buffer')).toBe(1);
    expect(fixture.stats.pausedConnections).toBe(1);
    reader.peer.buffered = 100_000;
    slow.drained(reader.session);
    await pass(50);
    expect(reader.session.pausedSince).toBeNull();
    const snapshots = reader.peer.sent
      .filter((f) => f[1] === MessageType.Snapshot)
      .map((f) => decodeSnapshot(f));
    expect(snapshots.map((s) => [s.requestId, s.nextSeq])).toEqual(
      [0, 1].map((i) => [0, fixture.histories[i]?.nextSeq]),
    );
    expect(reader.peer.topics).toEqual(
      new Set([BROADCAST, fixture.registry.topic(0), fixture.registry.topic(1)]),
    );
  });

  it('tells a resumed reader the market status it may have missed while paused', async () => {
    const { slow, connect, pass, setMarketStatus } = watch({ slowConsumerBytes: MB });
    const unchanged = connect();
    const missed = connect();
    for (const { peer } of [unchanged, missed]) peer.buffered = 2 * MB;
    await pass(50);
    const resume = (reader: { session: Session; peer: FakePeer }): void => {
      reader.peer.buffered = 0;
      slow.drained(reader.session);
    };
    // Live all along: nothing to tell.
    resume(unchanged);
    expect(unchanged.peer.sent.filter((f) => f[1] === MessageType.MarketStatus)).toEqual([]);
    // Delayed and live again while it was paused: it is told the current state, live.
    const live = { state: MarketState.Live, lastDataTime: 1_000, reason: '' };
    setMarketStatus(live);
    resume(missed);
    const told = missed.peer.sent.filter((f) => f[1] === MessageType.MarketStatus);
    expect(told.map((f) => decodeMarketStatus(f))).toEqual([live]);
  });

  it('closes a client paused too long with 4001', async () => {
    const { fixture, connect, pass } = watch({
      slowConsumerBytes: MB,
      slowConsumerTimeoutMs: 5_000,
    });
    const reader = connect();
    reader.peer.buffered = 2 * MB;
    await pass(5_100);
    expect(reader.peer.ended).toEqual({
      code: 4001,
      reason: 'slow consumer: could not keep up with the feed',
    });
    expect(fixture.stats.slowConsumerCloses).toBe(1);
  });

  it('keeps all buffers under the cap: pausing the largest nearing it, dropping the largest past it', async () => {
    const { fixture, connect, pass } = watch({
      maxBufferedBytes: 100 * MB,
      slowConsumerBytes: 64 * MB,
      stalledReaderMs: 600_000,
    });
    const readers = [10, 20, 30, 5, 1].map((mb) => {
      const held = connect();
      held.peer.buffered = mb * MB;
      return held;
    });
    // 66 MB in all, past half the cap: the largest are paused until the rest hold under a quarter.
    await pass(50);
    expect(readers.map((r) => r.session.pausedSince !== null)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(fixture.stats.slowConsumerPauses.get('memory')).toBe(2);
    expect(readers.some((r) => r.peer.dropped)).toBe(false);
    // Paused buffers still count: past the cap (126 MB), the largest is paused, then the largest
    // paused are dropped until 75% is left.
    const [first, second] = readers;
    if (!first || !second) throw new Error('no readers');
    first.peer.buffered = 60 * MB;
    second.peer.buffered = 30 * MB;
    await pass(50);
    expect(readers.map((r) => r.peer.dropped)).toEqual([true, false, false, false, false]);
    expect(fixture.stats.memoryCapDrops).toBe(1);
  });

  it('spreads the pausing of many readers that stopped together over several checks', async () => {
    const { fixture, connect, pass } = watch({ stalledReaderMs: 1_000 }, 1);
    const readers = Array.from({ length: 40 }, () => {
      const held = connect([0, 1, 2]);
      held.peer.buffered = 1_000;
      return held;
    });
    const paused = (): number => readers.filter((r) => r.session.pausedSince !== null).length;
    // Seen holding bytes at the first check (50 ms), they have held them for a second at the
    // 21st: all of them must be paused now.
    await pass(1_050);
    const atFirst = paused();
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(readers.length);
    await pass(50 * Math.ceil(readers.length / atFirst));
    expect(paused()).toBe(readers.length);
    expect(fixture.stats.slowConsumerPauses.get('stalled')).toBe(readers.length);
    for (const reader of readers) expect(reader.peer.topics.size).toBe(0);
  });
});
