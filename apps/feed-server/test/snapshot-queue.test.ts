import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MessageType,
  View,
  decodeQuoteSnapshot,
  decodeSnapshot,
  decodeTickBatch,
} from '@ticker/protocol';
import type { Session } from '../src/gateway/session.js';
import { SnapshotQueue } from '../src/gateway/snapshot-queue.js';
import type { FakePeer } from './fake-peer.js';
import { GatewayFixture } from './gateway-fixture.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function queueOver(
  fixture: GatewayFixture,
  options: {
    bytesPerSecondPerIp?: number;
    synced?: (index: number) => boolean;
    mayBuffer?: () => boolean;
  } = {},
): SnapshotQueue {
  return new SnapshotQueue({
    cache: fixture.cache,
    recent: fixture.recent,
    registry: fixture.registry,
    stats: fixture.stats,
    isSynced: options.synced ?? (() => true),
    mayBuffer: options.mayBuffer ?? (() => true),
    bytesPerSecondPerIp: options.bytesPerSecondPerIp ?? 1024 ** 3,
    clock: fixture.clock,
  });
}

/** Holds `indexes` in `view` and owes their snapshots, as the subscription rules do. */
function subscribe(
  queue: SnapshotQueue,
  session: Session,
  indexes: readonly number[],
  requestId: number,
  view: View = View.Chart,
): void {
  for (const index of indexes) {
    session.holdings.set(index, { view, live: false });
    queue.request(session, index, view, requestId);
  }
}

/**
 * Lets `ms` pass on the budgets' clock and the timers together, in steps, then lets the queue
 * finish the turns it chained (a turn ends after 2 ms of real work and schedules the next).
 */
async function elapse(fixture: GatewayFixture, ms: number): Promise<void> {
  const step = Math.max(10, ms / 200);
  for (let passed = 0; passed < ms; passed += step) {
    fixture.time += step;
    await vi.advanceTimersByTimeAsync(step);
  }
  // Fake immediates scheduled by an immediate run one per call; the budgets' clock stands still.
  for (let turn = 0; turn < 50; turn++) await vi.runOnlyPendingTimersAsync();
}

const snapshots = (peer: FakePeer) =>
  peer.sent.filter((f) => f[1] === MessageType.Snapshot).map((f) => decodeSnapshot(f));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('SnapshotQueue', () => {
  it('sends what is owed after the current turn, joining each topic as its snapshot goes out', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const { session, peer } = fixture.session();
    subscribe(queue, session, [0, 1, 2], 5);
    expect(peer.sent).toEqual([]); // not in the request's own turn: the ack goes first
    await elapse(fixture, 0);
    expect(snapshots(peer).map((s) => [s.symbolId, s.requestId])).toEqual(
      [0, 1, 2].map((index) => [fixture.universe[index]?.id, 5]),
    );
    expect([...peer.topics]).toEqual([0, 1, 2].map((index) => fixture.registry.topic(index)));
    expect([...session.holdings.values()].every((holding) => holding.live)).toBe(true);
    expect(fixture.stats.snapshotsQueued).toBe(0);
    expect(fixture.stats.snapshotsSent).toEqual([3, 0]);
  });

  it('sends a quote snapshot for the quote view, and joins its quote topic', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const { session, peer } = fixture.session();
    subscribe(queue, session, [3], 9, View.Quote);
    await elapse(fixture, 0);
    const [frame] = peer.sent;
    expect(frame?.[1]).toBe(MessageType.QuoteSnapshot);
    const snapshot = decodeQuoteSnapshot(frame ?? new Uint8Array());
    expect(snapshot).toMatchObject({ requestId: 9, symbolId: fixture.universe[3]?.id });
    expect(snapshot.closes.points.length).toBeGreaterThan(0);
    expect([...peer.topics]).toEqual([fixture.registry.topic(3, View.Quote)]);
  });

  it('encodes a snapshot once for every connection, until the history changes', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const peers = range(0, 5).map((i) => {
      const { session, peer } = fixture.session();
      subscribe(queue, session, [7], 100 + i);
      return peer;
    });
    await elapse(fixture, 0);
    expect(fixture.stats.snapshotsEncoded).toEqual([1, 0]);
    const bodies = new Set(
      peers.map((peer) => Buffer.from(peer.sent[0]?.subarray(3) ?? []).toString('hex')),
    );
    expect(bodies.size).toBe(1);
    fixture.trade(7);
    const { session } = fixture.session();
    subscribe(queue, session, [7], 1);
    await elapse(fixture, 0);
    expect(fixture.stats.snapshotsEncoded).toEqual([2, 0]);
  });

  it('reuses a chart snapshot for a second, followed by the batches since, as long as all are kept', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const first = fixture.session();
    subscribe(queue, first.session, [0], 1);
    await elapse(fixture, 0);
    const original = decodeSnapshot(first.peer.sent[0] ?? new Uint8Array());
    for (let flush = 0; flush < 3; flush++) fixture.trade(0, 2, true);

    const late = fixture.session();
    subscribe(queue, late.session, [0], 2);
    await elapse(fixture, 100);
    expect(fixture.stats.snapshotsEncoded).toEqual([1, 0]);
    const [snapshotFrame, ...batches] = late.peer.sent;
    expect(decodeSnapshot(snapshotFrame ?? new Uint8Array())).toMatchObject({
      requestId: 2,
      nextSeq: original.nextSeq,
    });
    expect(batches.map((f) => decodeTickBatch(f).seq)).toEqual(
      [0, 1, 2].map((k) => original.nextSeq + k),
    );
    expect(fixture.histories[0]?.nextSeq).toBe(original.nextSeq + 3);

    // A batch nobody kept (unpublished), or a second gone by: encoded afresh.
    fixture.trade(0, 1, false);
    const third = fixture.session();
    subscribe(queue, third.session, [0], 3);
    await elapse(fixture, 0);
    expect(fixture.stats.snapshotsEncoded).toEqual([2, 0]);
    expect(third.peer.sent).toHaveLength(1);
    fixture.trade(0, 1, true);
    await elapse(fixture, 1_000);
    const fourth = fixture.session();
    subscribe(queue, fourth.session, [0], 4);
    await elapse(fixture, 0);
    expect(fixture.stats.snapshotsEncoded).toEqual([3, 0]);
    expect(decodeSnapshot(fourth.peer.sent[0] ?? new Uint8Array()).nextSeq).toBe(
      fixture.histories[0]?.nextSeq,
    );
  });

  it('holds a connection to its budget: the rest waits, each counted once, and follows at its rate', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const { session, peer } = fixture.session('127.0.0.1', 16 * 1024); // bursts of 64 KiB
    subscribe(queue, session, range(0, 40), 1);
    await elapse(fixture, 0);
    const first = snapshots(peer).length;
    const firstBytes = peer.sent.reduce((sum, f) => sum + f.length, 0);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(40);
    expect(firstBytes).toBeGreaterThanOrEqual(64 * 1024);
    expect(firstBytes).toBeLessThan(64 * 1024 + 16 * 1024); // the burst, plus one snapshot at most
    // Every snapshot that had to wait is counted, once.
    expect(fixture.stats.snapshotsDelayed.get('connection_budget')).toBe(40 - first);
    expect(fixture.stats.snapshotsQueued).toBe(40 - first);
    // Over the next seconds, at about 16 KiB/s.
    await elapse(fixture, 2_000);
    const later = peer.sent.reduce((sum, f) => sum + f.length, 0) - firstBytes;
    expect(later).toBeGreaterThan(16 * 1024);
    expect(later).toBeLessThan(3 * 16 * 1024 + 16 * 1024);
    await elapse(fixture, 60_000);
    expect(
      snapshots(peer)
        .map((s) => s.symbolId)
        .sort((a, b) => a - b),
    ).toEqual(fixture.universe.map((s) => s.id).sort((a, b) => a - b));
  });

  it('shares one budget among the connections of an address, and holds no other address back', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture, { bytesPerSecondPerIp: 16 * 1024 });
    const a = fixture.session('127.0.0.1');
    const b = fixture.session('127.0.0.1');
    const c = fixture.session('127.0.0.2');
    subscribe(queue, a.session, range(0, 40), 1);
    await elapse(fixture, 0);
    subscribe(queue, b.session, [0], 2);
    subscribe(queue, c.session, [0], 3);
    await elapse(fixture, 0);
    expect(snapshots(c.peer)).toHaveLength(1);
    expect(snapshots(b.peer)).toHaveLength(0);
    expect(fixture.stats.snapshotsDelayed.get('address_budget')).toBeGreaterThanOrEqual(1);
  });

  it('sends nothing to a connection that is behind until it reads on', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const { session, peer } = fixture.session();
    peer.buffered = 300 * 1024;
    subscribe(queue, session, [0, 1], 1);
    await elapse(fixture, 100);
    expect(peer.sent).toEqual([]);
    expect(fixture.stats.snapshotsDelayed.get('backpressure')).toBe(2);
    peer.buffered = 0;
    queue.wake();
    await elapse(fixture, 0);
    expect(snapshots(peer)).toHaveLength(2);
  });

  it('does not hold a connection back behind another that is over its budget', async () => {
    const fixture = new GatewayFixture(2_048);
    const queue = queueOver(fixture);
    const big = fixture.session('127.0.0.1', 16 * 1024); // bursts of 64 KiB: a few snapshots
    const small = fixture.session('127.0.0.2');
    subscribe(queue, big.session, range(0, 40), 1);
    subscribe(queue, small.session, [39], 2);
    await elapse(fixture, 0);
    expect(snapshots(small.peer)).toHaveLength(1);
    expect(snapshots(big.peer).length).toBeLessThan(40);
  });

  it('lets connections take turns: a small request is not stuck behind a large one', async () => {
    const fixture = new GatewayFixture(2_048);
    const queue = queueOver(fixture);
    const big = fixture.session();
    const small = fixture.session();
    subscribe(queue, big.session, range(0, 40), 1);
    subscribe(queue, small.session, [39], 2);
    await elapse(fixture, 0);
    const order = fixture.sends;
    expect(order.indexOf(small.peer)).toBeGreaterThan(0);
    expect(order.indexOf(small.peer)).toBeLessThan(order.lastIndexOf(big.peer));
  });

  it('encodes a symbol once per turn for everyone waiting for it', async () => {
    const fixture = new GatewayFixture(2_048);
    const queue = queueOver(fixture);
    const peers = range(0, 20).map((i) => {
      const { session, peer } = fixture.session(`127.0.0.${i + 1}`);
      subscribe(queue, session, range(0, 20), 1);
      return peer;
    });
    await elapse(fixture, 0);
    for (const peer of peers) expect(snapshots(peer)).toHaveLength(20);
    expect(fixture.stats.snapshotsEncoded).toEqual([20, 0]);
    expect(fixture.stats.snapshotsSent).toEqual([400, 0]);
  });

  it('answers a request owed already with its newer id, and drops what is no longer held', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const { session, peer } = fixture.session();
    subscribe(queue, session, [0, 1, 2], 1);
    queue.request(session, 0, View.Chart, 7); // a resync before the first went out
    queue.cancel(session, 1); // unsubscribed
    session.holdings.delete(1);
    const moved = session.holdings.get(2);
    if (moved) moved.view = View.Quote; // moved since, without a new request
    await elapse(fixture, 0);
    expect(snapshots(peer).map((s) => [s.symbolId, s.requestId])).toEqual([
      [fixture.universe[0]?.id, 7],
    ]);
    expect(fixture.stats.snapshotsQueued).toBe(0);
  });

  it('sends nothing while all clients’ buffers hold too much, and goes on once they drained', async () => {
    const fixture = new GatewayFixture();
    let full = true;
    const queue = queueOver(fixture, { mayBuffer: () => !full });
    const { session, peer } = fixture.session();
    subscribe(queue, session, [0, 1], 1);
    await elapse(fixture, 200);
    expect(peer.sent).toEqual([]);
    full = false;
    await elapse(fixture, 50);
    expect(snapshots(peer)).toHaveLength(2);
  });

  it('keeps a symbol a gateway is restoring owed until it is whole', async () => {
    const fixture = new GatewayFixture();
    let synced = false;
    const queue = queueOver(fixture, { synced: (index) => index !== 1 || synced });
    const { session, peer } = fixture.session();
    subscribe(queue, session, [0, 1], 1);
    await elapse(fixture, 100);
    expect(snapshots(peer).map((s) => s.symbolId)).toEqual([fixture.universe[0]?.id]);
    synced = true;
    queue.wake();
    await elapse(fixture, 0);
    expect(snapshots(peer).map((s) => s.symbolId)).toEqual(
      [0, 1].map((i) => fixture.universe[i]?.id),
    );
  });

  it('forgets what a closed connection was owed', async () => {
    const fixture = new GatewayFixture();
    const queue = queueOver(fixture);
    const { session, peer } = fixture.session();
    subscribe(queue, session, [0, 1], 1);
    queue.forget(session);
    session.peer = null;
    await elapse(fixture, 0);
    expect(peer.sent).toEqual([]);
    expect(fixture.stats.snapshotsQueued).toBe(0);
  });
});
