// The soak's clients, all `ws` sockets in this process speaking the real protocol to one server:
// - steady: connect once, subscribe to 20 symbols, read every batch and check each symbol's
//   sequence continues (from the snapshot's nextSeq, then +1 a batch), time each batch's age;
// - churning: connect, subscribe to a few symbols, wait for their snapshots, read for a moment,
//   leave (alternately a clean close and a dropped TCP connection), at a steady rate;
// - slow readers: subscribe to every symbol and stop reading the socket, so the server's send
//   buffer grows, it pauses them and, `SLOW_CONSUMER_TIMEOUT_MS` later, closes them with 4001;
//   they then read what is left (to see the close) and a new one takes their place.
// Every timer is tracked and every population bounded, so `stop()` leaves nothing behind.
import {
  CloseCode,
  DEFAULT_LIMITS,
  MessageType,
  createTickBatch,
  decodeServerMessage,
  decodeTickBatch,
  encodeSubscribe,
  peekServerMessageType,
} from '@ticker/protocol';
import type { ServerMessage } from '@ticker/protocol';
import WebSocket from 'ws';
import { MsHistogram } from './ms-histogram.js';
import { seededRandom } from './seeded-random.js';

export interface PopulationSettings {
  readonly clients: number;
  readonly symbolsPerClient: number;
  readonly churnPerSecond: number;
  readonly churnSymbols: number;
  /** How long a churning client reads after its snapshots arrived, before it leaves. */
  readonly churnHoldMs: number;
  /** A churning client that has not had its snapshots by then counts as failed. */
  readonly churnTimeoutMs: number;
  readonly slowReaders: number;
  /** How long a slow reader leaves its socket unread: long enough for the server to close it. */
  readonly slowStallMs: number;
  /** After it reads again, how long a slow reader waits for the server's close. */
  readonly slowCloseWaitMs: number;
}

/** Running totals since the start; the sampler copies them. */
export interface ClientTotals {
  steadyOpen: number;
  steadyConnects: number;
  batches: number;
  ticks: number;
  gaps: number;
  /** Steady clients closed (or failing to connect) while the run lasted. */
  steadyCloses: number;
  /** Close codes the steady clients saw, by code. */
  steadyCloseCodes: Record<string, number>;
  /** Error replies (or undecodable frames) received by any client. */
  serverErrors: number;
  churnStarted: number;
  churnCompleted: number;
  churnFailed: number;
  /** Churn starts skipped because too many were still under way (the server fell behind). */
  churnSkipped: number;
  slowStarted: number;
  slowClosed4001: number;
  slowClosedOther: number;
  /** Close codes the slow readers saw, by code. */
  slowCloseCodes: Record<string, number>;
  /** Slow readers the server never closed: still open `slowCloseWaitMs` after they read again. */
  slowNotClosed: number;
}

type Bytes = Uint8Array;

function bytesOf(data: WebSocket.RawData): Bytes {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** `count` distinct ids drawn from `ids` (a partial Fisher-Yates shuffle of a copy). */
function pick(ids: readonly number[], count: number, random: () => number): number[] {
  const pool = [...ids];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const chosen = pool[j] as number;
    pool[j] = pool[i] as number;
    pool[i] = chosen;
  }
  return pool.slice(0, n);
}

export class SoakPopulation {
  readonly totals: ClientTotals = {
    steadyOpen: 0,
    steadyConnects: 0,
    batches: 0,
    ticks: 0,
    gaps: 0,
    steadyCloses: 0,
    steadyCloseCodes: {},
    serverErrors: 0,
    churnStarted: 0,
    churnCompleted: 0,
    churnFailed: 0,
    churnSkipped: 0,
    slowStarted: 0,
    slowClosed4001: 0,
    slowClosedOther: 0,
    slowCloseCodes: {},
    slowNotClosed: 0,
  };
  /** Age of each batch's newest tick when read by a steady client, ms; the sampler resets it. */
  readonly tickAgeMs = new MsHistogram(10_000);

  private readonly sockets = new Set<WebSocket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly batch = createTickBatch(256);
  private readonly churnRandom = seededRandom(0x50a6);
  private churnActive = 0;
  private stopping = false;

  constructor(
    private readonly url: string,
    private readonly settings: PopulationSettings,
  ) {}

  /** Connects the steady clients, starts the churn and staggers the slow readers. */
  start(): void {
    const { clients, churnPerSecond, slowReaders, slowStallMs } = this.settings;
    for (let i = 0; i < clients; i++) this.steady(i);
    if (churnPerSecond > 0) {
      const timer = setInterval(() => {
        this.churnOne();
      }, 1000 / churnPerSecond);
      this.timers.add(timer);
    }
    // Spread over one stall, so the server pauses and closes them at a steady rate.
    for (let k = 0; k < slowReaders; k++) {
      this.later((k * slowStallMs) / slowReaders, () => {
        this.slowOne();
      });
    }
  }

  /** Stops every timer and drops every socket; resolves once all are closed (at most 5 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.timers.clear();
    const closed = [...this.sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) {
            resolve();
            return;
          }
          ws.once('close', () => {
            resolve();
          });
          ws.terminate();
        }),
    );
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => {
        setTimeout(resolve, 5_000).unref();
      }),
    ]);
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopping) run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private cancel(timer: NodeJS.Timeout | null): void {
    if (timer === null) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private open(): WebSocket {
    const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    // An 'error' is always followed by 'close', where each kind of client counts it.
    ws.on('error', () => undefined);
    return ws;
  }

  /** Decodes a non-batch frame; a frame that does not decode counts as a server error. */
  private decode(bytes: Bytes): ServerMessage | null {
    try {
      const message = decodeServerMessage(bytes, this.batch);
      if (message.type === MessageType.Error) this.totals.serverErrors += 1;
      return message;
    } catch {
      this.totals.serverErrors += 1;
      return null;
    }
  }

  private subscribe(ws: WebSocket, symbolIds: readonly number[]): void {
    // One request per 256 ids (MaxSymbolsPerRequest); request ids from 1.
    const size = DEFAULT_LIMITS.maxSymbolsPerRequest;
    for (let i = 0; i < symbolIds.length; i += size) {
      const requestId = i / size + 1;
      ws.send(encodeSubscribe({ requestId, symbolIds: symbolIds.slice(i, i + size) }));
    }
  }

  private steady(index: number): void {
    const { totals } = this;
    const ws = this.open();
    const random = seededRandom(index + 1);
    // Per symbol, the seq the next batch must carry.
    const expected = new Map<number, number>();
    let opened = false;
    totals.steadyConnects += 1;
    ws.on('open', () => {
      opened = true;
      totals.steadyOpen += 1;
    });
    ws.on('message', (data) => {
      const bytes = bytesOf(data);
      const type = peekType(bytes);
      if (type === -1) {
        totals.serverErrors += 1;
        return;
      }
      if (type === MessageType.TickBatch) {
        this.readBatch(bytes, expected);
        return;
      }
      const message = this.decode(bytes);
      if (message?.type === MessageType.SymbolDirectory) {
        const ids = message.directory.symbols.map((s) => s.id);
        this.subscribe(ws, pick(ids, this.settings.symbolsPerClient, random));
      } else if (message?.type === MessageType.Snapshot) {
        // A subscribe's snapshot, or a fresh one after a slow-consumer resume: the series
        // restarts at nextSeq either way (docs/PROTOCOL.md "Snapshot").
        expected.set(message.snapshot.symbolId, message.snapshot.nextSeq);
      }
    });
    ws.on('close', (code) => {
      if (opened) totals.steadyOpen -= 1;
      if (this.stopping) return;
      totals.steadyCloses += 1;
      totals.steadyCloseCodes[code] = (totals.steadyCloseCodes[code] ?? 0) + 1;
      // Keep the population steady, as a real client's reconnect would.
      this.later(1_000, () => {
        this.steady(index);
      });
    });
  }

  private readBatch(bytes: Bytes, expected: Map<number, number>): void {
    const batch = this.batch;
    try {
      decodeTickBatch(bytes, batch);
    } catch {
      this.totals.serverErrors += 1;
      return;
    }
    this.totals.batches += 1;
    this.totals.ticks += batch.count;
    const next = expected.get(batch.symbolId);
    if (next !== undefined && batch.seq !== next) this.totals.gaps += 1;
    expected.set(batch.symbolId, batch.seq + 1);
    if (batch.count > 0) this.tickAgeMs.record(Date.now() - (batch.time[batch.count - 1] ?? 0));
  }

  private churnOne(): void {
    const { totals, settings } = this;
    // At most ten seconds' worth under way: a server that stops answering shows up as skips
    // and failures instead of an ever-growing pile of sockets here.
    if (this.churnActive >= settings.churnPerSecond * 10) {
      totals.churnSkipped += 1;
      return;
    }
    this.churnActive += 1;
    totals.churnStarted += 1;
    const ws = this.open();
    let snapshotsDue = -1;
    let done = false;
    let hold: NodeJS.Timeout | null = null;
    const deadline = this.later(settings.churnTimeoutMs, () => {
      ws.terminate();
    });
    ws.on('message', (data) => {
      if (snapshotsDue === 0) return; // holding: just read
      const bytes = bytesOf(data);
      if (peekType(bytes) === MessageType.TickBatch) return;
      const message = this.decode(bytes);
      if (message?.type === MessageType.SymbolDirectory) {
        const ids = pick(
          message.directory.symbols.map((s) => s.id),
          settings.churnSymbols,
          this.churnRandom,
        );
        snapshotsDue = ids.length;
        this.subscribe(ws, ids);
      } else if (message?.type === MessageType.Snapshot && snapshotsDue > 0) {
        snapshotsDue -= 1;
        if (snapshotsDue > 0) return;
        done = true;
        totals.churnCompleted += 1;
        this.cancel(deadline);
        // Alternate the two ways clients leave: a close handshake, and a dropped connection
        // (the server sees 1006), which takes the other path through its close handling.
        const clean = totals.churnCompleted % 2 === 0;
        hold = this.later(settings.churnHoldMs, () => {
          if (clean) ws.close(1000, 'soak: done');
          else ws.terminate();
        });
      }
    });
    ws.on('close', () => {
      this.churnActive -= 1;
      this.cancel(deadline);
      this.cancel(hold);
      if (!done && !this.stopping) totals.churnFailed += 1;
    });
  }

  private slowOne(): void {
    const { totals, settings } = this;
    totals.slowStarted += 1;
    const ws = this.open();
    let subscribed = false;
    let outcome: 'closed' | 'not closed' | null = null;
    ws.on('message', (data) => {
      if (subscribed) return; // the backlog, read only to reach the close frame
      const bytes = bytesOf(data);
      if (peekType(bytes) !== MessageType.SymbolDirectory) return;
      const message = this.decode(bytes);
      if (message?.type !== MessageType.SymbolDirectory) return;
      subscribed = true;
      this.subscribe(
        ws,
        message.directory.symbols.map((s) => s.id),
      );
      // Stop reading: the kernel's buffers fill (about 4 MB on loopback), then the server's.
      ws.pause();
      this.later(settings.slowStallMs, () => {
        ws.resume();
        this.later(settings.slowCloseWaitMs, () => {
          if (outcome !== null) return;
          outcome = 'not closed';
          totals.slowNotClosed += 1;
          ws.terminate();
        });
      });
    });
    ws.on('close', (code) => {
      if (this.stopping) return;
      if (outcome === null) {
        outcome = 'closed';
        totals.slowCloseCodes[code] = (totals.slowCloseCodes[code] ?? 0) + 1;
        if (code === (CloseCode.SlowConsumer as number)) totals.slowClosed4001 += 1;
        else totals.slowClosedOther += 1;
      }
      this.later(500, () => {
        this.slowOne();
      });
    });
  }
}

function peekType(bytes: Bytes): number {
  try {
    return peekServerMessageType(bytes);
  } catch {
    return -1;
  }
}
