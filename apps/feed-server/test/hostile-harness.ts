import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  DecodeError,
  LimitId,
  MessageType,
  createTickBatch,
  decodeClientMessage,
  decodeErrorReply,
  decodeHello,
  decodePong,
  decodeSnapshot,
  decodeSymbolDirectory,
  decodeTickBatch,
  encodePing,
  encodeSubscribe,
  helloLimit,
  peekRequestId,
} from '@ticker/protocol';
import type { ErrorReply } from '@ticker/protocol';

/*
 * Tools for test/hostile.integration.test.ts: the server as a child process (so its memory is its
 * own and a crash is an exit), a seeded random source, a raw WebSocket peer that records what it
 * is sent, raw TCP for what `ws` refuses to send, and a bounded pool to run hundreds of them.
 */

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
/** V8's flags, as `npm start` runs the server (package.json). */
const NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/** Every rejection reason a hostile client can provoke (README "Endpoints", metrics). */
export type Reason =
  | 'malformed'
  | 'text_frame'
  | 'frame_too_large'
  | 'unknown_symbol'
  | 'subscription_limit'
  | 'rate_limit'
  | 'rate_limit_close'
  | 'invalid_utf8';

/** Resolves or rejects like `promise`, or rejects naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** Polls a condition that has no event of its own (a scraped counter), within a bound. */
export async function pollUntil(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Prometheus text as `name{labels}` → value (labels exactly as the server prints them). */
export type Metrics = ReadonlyMap<string, number>;

export function parseMetrics(text: string): Metrics {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    samples.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return samples;
}

export const rejected = (metrics: Metrics, reason: Reason): number =>
  metrics.get(`ticker_rejected_requests_total{reason="${reason}"}`) ?? 0;

export const closedWith = (metrics: Metrics, label: string): number =>
  metrics.get(`ticker_connections_closed_total{code="${label}"}`) ?? 0;

/** Every close the server counted, as its code label (a code, or `other`) → count. */
export function closesByCode(metrics: Metrics): Map<string, number> {
  const closes = new Map<string, number>();
  for (const [series, value] of metrics) {
    const label = /^ticker_connections_closed_total\{code="(\w+)"\}$/.exec(series)?.[1];
    if (label !== undefined) closes.set(label, value);
  }
  return closes;
}

/**
 * `src/main.ts` in its own process, as `npm start` runs it (through tsx, so no build is needed).
 * A separate process gives a memory figure of the server alone (/proc/<pid>/status) and makes a
 * crash visible as an exit instead of taking the test runner down with it.
 */
export class ServerProcess {
  /** Exit code (or signal name) once it has exited; null while it runs. */
  exit: string | null = null;
  private stderr = '';
  private inspectorUrl: string | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly exited: Promise<string>,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      // The tail is enough to explain a crash; a chatty log must not grow the test's memory.
      this.stderr = (this.stderr + chunk.toString()).slice(-8_192);
    });
    void exited.then((how) => {
      this.exit = how;
    });
  }

  /**
   * `inspector` opens V8's inspector on a free loopback port, so that a test can force a full
   * garbage collection (collectGarbage) and measure what is retained rather than what the
   * collector has not yet got round to.
   */
  static async start(
    env: Record<string, string>,
    { timeoutMs = 20_000, inspector = false }: { timeoutMs?: number; inspector?: boolean } = {},
  ): Promise<ServerProcess> {
    const flags = [...NODE_FLAGS, ...(inspector ? ['--inspect=127.0.0.1:0'] : [])];
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', MAIN], {
      env: { ...process.env, AUTH_SECRET: '', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string>((resolve) => {
      child.on('exit', (code, signal) => {
        resolve(signal ?? String(code));
      });
    });
    let stdout = '';
    let stderr = '';
    const collect = (chunk: Buffer): void => {
      stderr += chunk.toString();
    };
    child.stderr.on('data', collect);
    const line = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.trim());
      });
      void exited.then((how) => {
        reject(new Error(`the server exited (${how}) before listening: ${stderr}`));
      });
    });
    try {
      const printed = await within(line, timeoutMs, 'the server to print its URL');
      const port = Number(/:(\d+)\//.exec(printed)?.[1]);
      if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in "${printed}"`);
      child.stderr.off('data', collect);
      const server = new ServerProcess(child, port, exited);
      server.stderr = stderr.slice(-8_192);
      server.inspectorUrl = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1] ?? null;
      if (inspector && server.inspectorUrl === null) throw new Error(`no inspector in "${stderr}"`);
      return server;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last lines it wrote to stderr, to explain a failure. */
  get log(): string {
    return this.stderr;
  }

  /** Resident set size in bytes, from /proc (Linux). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kilobytes === undefined) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    return Number(kilobytes) * 1024;
  }

  async http(path: string): Promise<{ status: number; text: string }> {
    const response = await within(
      fetch(`http://127.0.0.1:${this.port}${path}`),
      10_000,
      `GET ${path}`,
    );
    return { status: response.status, text: await response.text() };
  }

  async metrics(): Promise<Metrics> {
    const { status, text } = await this.http('/metrics');
    if (status !== 200) throw new Error(`/metrics answered ${status}`);
    return parseMetrics(text);
  }

  /**
   * A full, blocking garbage collection in the server, through its inspector: on its event
   * loop's heap, then on each of its threads' (the history API's has its own heap). Resolves
   * with the number of threads collected besides the main one.
   */
  async collectGarbage(): Promise<number> {
    if (this.inspectorUrl === null) throw new Error('started without an inspector');
    const inspector = new WebSocket(this.inspectorUrl);
    try {
      return await within(
        collectEverywhere(inspector),
        10_000,
        'a garbage collection in the server',
      );
    } finally {
      inspector.close();
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within the bound; resolves with how it exited. */
  async stop(timeoutMs = 10_000): Promise<string> {
    if (this.exit !== null) return this.exit;
    this.child.kill('SIGTERM');
    try {
      return await within(this.exited, timeoutMs, 'the server to exit after SIGTERM');
    } catch {
      this.child.kill('SIGKILL');
      await this.exited;
      return `killed after ${timeoutMs} ms without exiting on SIGTERM`;
    }
  }
}

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  bytes(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = this.int(0, 255);
    return bytes;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const a = items[i];
      const b = items[j];
      if (a === undefined || b === undefined) continue;
      items[i] = b;
      items[j] = a;
    }
    return items;
  }
}

/** A frame the server's decoder must refuse, and the reply it must send for it. */
export interface BadFrame {
  readonly bytes: Uint8Array;
  readonly reply: ErrorReply;
}

/**
 * Draws frames from `make` until one the protocol decoder refuses (a random frame can, rarely,
 * be a valid ping or subscribe); the server answers it with exactly this decoder's error.
 */
export function undecodable(make: () => Uint8Array): BadFrame {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const bytes = make();
    try {
      decodeClientMessage(bytes);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      // Answered with its own request id wherever one can be read (PROTOCOL.md "Error").
      const requestId = peekRequestId(bytes) ?? 0;
      return { bytes, reply: { requestId, code: error.code, message: error.message } };
    }
  }
  throw new Error('1,000 frames in a row decoded: the generator makes valid frames');
}

export const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.subarray(0, 24)).toString('hex') + (bytes.length > 24 ? '…' : '');

export interface CloseEvent {
  readonly code: number;
  readonly reason: string;
}

/**
 * A raw WebSocket client for hostile behaviour: records every frame it is sent and lets the
 * caller await a condition over them (re-checked on each frame and on close), always bounded.
 */
export class Peer {
  readonly frames: Uint8Array[] = [];
  readonly closed: Promise<CloseEvent>;
  closeEvent: CloseEvent | null = null;
  private listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => {
      this.frames.push(new Uint8Array(data));
      this.notify();
    });
    // A peer the server drops mid-write sees ECONNRESET: expected here, and reported by `closed`.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        this.notify();
        resolve(this.closeEvent);
      });
    });
  }

  /** Opens a connection, from `localAddress` if given (any of 127.0.0.0/8 is this machine). */
  static async open(url: string, timeoutMs = 10_000, localAddress?: string): Promise<Peer> {
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      ...(localAddress ? { localAddress } : {}),
    });
    const peer = new Peer(socket);
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        resolve();
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`upgrade refused with HTTP ${response.statusCode ?? 0}`));
      });
      void peer.closed.then(({ code }) => {
        reject(new Error(`closed (${code}) before opening`));
      });
    });
    try {
      await within(opened, timeoutMs, 'the WebSocket to open');
    } catch (error) {
      socket.terminate();
      throw error;
    }
    return peer;
  }

  /** Resolves once `condition` holds; rejects if the connection closes first or after the bound. */
  until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const closedWhy = (): string | null =>
      this.closeEvent
        ? `closed (${this.closeEvent.code} ${this.closeEvent.reason}) before ${what}; got types ${this.types().join(',')}`
        : null;
    return waitUntil(this.listeners, condition, closedWhy, what, timeoutMs);
  }

  /** Awaits the close, bounded; the socket is terminated if the bound passes. */
  async waitClosed(what: string, timeoutMs = 10_000): Promise<CloseEvent> {
    try {
      return await within(this.closed, timeoutMs, what);
    } catch (error) {
      this.socket.terminate();
      throw error;
    }
  }

  send(bytes: Uint8Array, binary = true): void {
    this.socket.send(bytes, { binary });
  }

  /** One message in several frames (continuations), as a browser never would but a peer may. */
  sendFragments(parts: readonly Uint8Array[], binary: boolean): void {
    parts.forEach((part, i) => {
      this.socket.send(part, { binary, fin: i === parts.length - 1 });
    });
  }

  of(type: number): Uint8Array[] {
    return this.frames.filter((frame) => frame[1] === type);
  }

  errors(): ErrorReply[] {
    return this.of(MessageType.Error).map((frame) => decodeErrorReply(frame));
  }

  types(): number[] {
    return this.frames.map((frame) => frame[1] ?? -1);
  }

  /** Proves the connection still works: a ping answered with a pong. */
  async pingPong(nonce: number): Promise<void> {
    const before = this.of(MessageType.Pong).length;
    this.send(encodePing({ nonce }));
    await this.until(() => this.of(MessageType.Pong).length > before, 'a pong');
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The upgrade request a WebSocket client sends (RFC 6455 section 4.1). */
export function upgradeRequest(port: number): string {
  return [
    'GET /ws HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/** A plain TCP connection, for bytes no WebSocket library would send. */
export class RawPeer {
  readonly closed: Promise<void>;
  received = Buffer.alloc(0);
  isClosed = false;
  private listeners = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.notify();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        this.notify();
        resolve();
      });
    });
  }

  static async connect(port: number, timeoutMs = 10_000): Promise<RawPeer> {
    const socket = net.connect(port, '127.0.0.1');
    const peer = new RawPeer(socket);
    try {
      await within(
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          void peer.closed.then(() => {
            reject(new Error('closed before connecting'));
          });
        }),
        timeoutMs,
        'a TCP connection',
      );
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return peer;
  }

  /** Completes a WebSocket upgrade by hand; resolves once the 101 response is in. */
  async upgrade(port: number): Promise<void> {
    this.socket.write(upgradeRequest(port));
    await this.until(() => this.received.includes('\r\n\r\n'), 'the upgrade response');
    const status = this.received.toString('latin1', 0, 12);
    if (status !== 'HTTP/1.1 101') throw new Error(`upgrade answered "${status}"`);
  }

  until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const closedWhy = (): string | null => (this.isClosed ? `closed before ${what}` : null);
    return waitUntil(this.listeners, condition, closedWhy, what, timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * Checks `condition` now and at each notification of `listeners` (a peer's: a frame, bytes, a
 * close); resolves when it holds, rejects with `closedWhy()` once that says the peer is gone,
 * or after `timeoutMs`.
 */
function waitUntil(
  listeners: Set<() => void>,
  condition: () => boolean,
  closedWhy: () => string | null,
  what: string,
  timeoutMs: number,
): Promise<void> {
  return within(
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (condition()) {
          listeners.delete(check);
          resolve();
          return;
        }
        const closed = closedWhy();
        if (closed !== null) {
          listeners.delete(check);
          reject(new Error(closed));
        }
      };
      listeners.add(check);
      check();
    }),
    timeoutMs,
    what,
  );
}

/** Runs `tasks` with at most `concurrency` in flight; every result or error is kept, in order. */
export async function runPool<T>(
  tasks: ReadonlyArray<() => Promise<T>>,
  concurrency: number,
): Promise<Array<PromiseSettledResult<T>>> {
  const results: Array<PromiseSettledResult<T>> = new Array<PromiseSettledResult<T>>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (!task) continue;
      try {
        results[index] = { status: 'fulfilled', value: await task() };
      } catch (error) {
        results[index] = { status: 'rejected', reason: error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/**
 * The well-behaved client: subscribes to a few symbols and checks every batch continues its
 * symbol's series from the snapshot's nextSeq, records when each arrived and how old its newest
 * tick was, and pings every 200 ms to time the control path too.
 */
export class Watcher {
  readonly problems: string[] = [];
  readonly arrivals = new Map<number, number[]>();
  readonly nextSeq = new Map<number, number>();
  /** Receipt time minus the newest tick's time, over all batches. */
  maxLagMs = 0;
  minLagMs = Infinity;
  maxRttMs = 0;
  frameLimit = 0;
  directoryIds: number[] = [];
  private readonly batch = createTickBatch(256);
  private pinger: ReturnType<typeof setInterval> | null = null;
  private leaving = false;

  constructor(readonly socket: WebSocket) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => {
      this.receive(new Uint8Array(data));
    });
    socket.on('error', (error) => this.problems.push(`socket error: ${error.message}`));
    socket.on('close', (code) => {
      if (!this.leaving) this.problems.push(`closed with ${code} during the test`);
    });
  }

  static async connect(url: string, symbolIds: number[]): Promise<Watcher> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const watcher = new Watcher(socket);
    await within(
      new Promise((resolve) => socket.once('open', resolve)),
      10_000,
      'the watcher to connect',
    );
    socket.send(encodeSubscribe({ requestId: 1, symbolIds }));
    watcher.pinger = setInterval(() => {
      socket.send(encodePing({ nonce: Date.now() }));
    }, 200);
    return watcher;
  }

  private receive(frame: Uint8Array): void {
    const now = Date.now();
    switch (frame[1]) {
      case MessageType.Hello:
        this.frameLimit = helloLimit(decodeHello(frame), LimitId.MaxClientFrameBytes) ?? 0;
        break;
      case MessageType.SymbolDirectory:
        this.directoryIds = decodeSymbolDirectory(frame).symbols.map((symbol) => symbol.id);
        break;
      case MessageType.Snapshot: {
        const snapshot = decodeSnapshot(frame);
        // requestId 0 would be the server restarting the series (a resume or a resync).
        if (snapshot.requestId !== 1 || this.nextSeq.has(snapshot.symbolId)) {
          this.problems.push(
            `unexpected snapshot of ${snapshot.symbolId} (request ${snapshot.requestId})`,
          );
        }
        this.nextSeq.set(snapshot.symbolId, snapshot.nextSeq);
        break;
      }
      case MessageType.TickBatch: {
        const batch = decodeTickBatch(frame, this.batch);
        const expected = this.nextSeq.get(batch.symbolId);
        if (expected !== batch.seq) {
          this.problems.push(`symbol ${batch.symbolId}: batch ${batch.seq}, expected ${expected}`);
        }
        this.nextSeq.set(batch.symbolId, batch.seq + 1);
        const arrivals = this.arrivals.get(batch.symbolId) ?? [];
        arrivals.push(now);
        this.arrivals.set(batch.symbolId, arrivals);
        const newest = batch.time[batch.count - 1];
        if (newest !== undefined) {
          this.maxLagMs = Math.max(this.maxLagMs, now - newest);
          this.minLagMs = Math.min(this.minLagMs, now - newest);
        }
        break;
      }
      case MessageType.Pong:
        this.maxRttMs = Math.max(this.maxRttMs, now - decodePong(frame).nonce);
        break;
      case MessageType.Error:
        this.problems.push('the watcher got an error reply');
        break;
      case MessageType.GoingAway:
        this.problems.push('the server said it is going away');
        break;
    }
  }

  batchesOf(symbolId: number): number {
    return this.arrivals.get(symbolId)?.length ?? 0;
  }

  /** The longest time in [from, to] without a batch of `symbolId`. */
  longestSilenceMs(symbolId: number, from: number, to: number): number {
    const times = [
      from,
      ...(this.arrivals.get(symbolId) ?? []).filter((t) => t > from && t < to),
      to,
    ];
    let longest = 0;
    for (let i = 1; i < times.length; i++) {
      longest = Math.max(longest, (times[i] ?? 0) - (times[i - 1] ?? 0));
    }
    return longest;
  }

  async close(): Promise<void> {
    this.leaving = true;
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.close(1000);
    await within(closed, 10_000, 'the watcher to close');
  }
}

interface InspectorMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: { readonly sessionId?: string; readonly message?: string };
}

/**
 * HeapProfiler.collectGarbage on the main thread, then through NodeWorker on every worker the
 * inspector attaches to as it is enabled (it reports the running ones before its answer).
 */
function collectEverywhere(inspector: WebSocket): Promise<number> {
  const COLLECT = JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' });
  return new Promise<number>((resolve, reject) => {
    const workers = new Set<string>();
    const collecting = new Set<string>();
    let enabled = false;
    const settle = (): void => {
      if (enabled && collecting.size === 0) resolve(workers.size);
    };
    inspector.once('error', reject);
    inspector.once('open', () => {
      inspector.send(COLLECT);
    });
    inspector.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as InspectorMessage;
      const sessionId = message.params?.sessionId ?? '';
      if (message.id === 1) {
        const enable = {
          id: 2,
          method: 'NodeWorker.enable',
          params: { waitForDebuggerOnStart: false },
        };
        inspector.send(JSON.stringify(enable));
      } else if (message.method === 'NodeWorker.attachedToWorker') {
        workers.add(sessionId);
      } else if (message.id === 2) {
        enabled = true;
        for (const worker of workers) {
          collecting.add(worker);
          const params = { sessionId: worker, message: COLLECT };
          inspector.send(
            JSON.stringify({ id: 3, method: 'NodeWorker.sendMessageToWorker', params }),
          );
        }
        settle();
      } else if (message.method === 'NodeWorker.receivedMessageFromWorker') {
        const answer = JSON.parse(message.params?.message ?? '{}') as InspectorMessage;
        if (answer.id === 1) collecting.delete(sessionId);
        settle();
      }
    });
  });
}
