// What every peer server shares: its settings (the feed server's own variable names), the feed
// server's market (its MarketPath, played) over the same universe file, seed and rate, and the harness's start
// signal. So every server under test carries the same ticks, and only its fan-out differs.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MarketPath, PathPlayer, parseUniverse } from '@ticker/feed-server';
import type { SymbolSpec, TickSink } from '@ticker/feed-server';
import { Side } from '@ticker/protocol';

export interface PeerSettings {
  readonly port: number;
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  readonly tickRate: number;
  readonly flushIntervalMs: number;
}

export function peerSettings(env: NodeJS.ProcessEnv): PeerSettings {
  const integer = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`${name} must be a non-negative integer (got "${String(env[name])}")`);
    }
    return value;
  };
  const universeFile = env.UNIVERSE_FILE;
  if (universeFile === undefined) throw new Error('UNIVERSE_FILE is required');
  return {
    port: integer('PORT', 0),
    universe: parseUniverse(JSON.parse(readFileSync(universeFile, 'utf8'))),
    seed: integer('SEED', 1),
    tickRate: integer('TICK_RATE', 10_000),
    flushIntervalMs: integer('FLUSH_INTERVAL_MS', 50),
  };
}

/** The line the harness waits for, and reads the bound port from (PORT=0 picks a free one). */
export function announceListening(name: string, port: number): void {
  process.stdout.write(`${name} listening on ${port}\n`);
}

/**
 * Starts the simulated market when the harness writes "start" on stdin, that is once every
 * client is connected and subscribed. Every `wakeIntervalMs` the simulator advances to the wall
 * clock: tick times follow from the start time alone, so a late timer delays ticks (which the
 * latency shows) but never drifts or thins the feed. `afterWake` runs after each advance.
 */
export function startOnSignal(
  settings: PeerSettings,
  wakeIntervalMs: number,
  sink: TickSink & { now: number },
  afterWake: () => void = () => undefined,
): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'start') return;
    lines.close();
    const path = new MarketPath({
      universe: settings.universe,
      seed: settings.seed,
      ticksPerSecond: settings.tickRate,
      stockHours: null,
    });
    const simulator = new PathPlayer(path, Date.now());
    setInterval(() => {
      sink.now = Date.now();
      simulator.advanceTo(sink.now, sink);
      afterWake();
    }, wakeIntervalMs);
  });
}

/** One tick as the usual tutorial sends it: a JSON object with readable keys and float values. */
export interface JsonTick {
  readonly symbol: string;
  readonly seq: number;
  readonly price: number;
  readonly size: number;
  readonly side: 'buy' | 'sell';
  readonly time: number;
}

/**
 * A tick older than this when its turn comes is skipped (its sequence number is still used, so
 * clients count it as lost): a saturated per-tick server sheds load instead of queueing ever
 * more, and its latency figures stay those of the ticks it delivers.
 */
export const MAX_TICK_LAG_MS = 1_000;

/** Numbers each symbol's ticks, drops the hopelessly late ones, and hands the rest on as JSON ticks. */
export class PerTickFeed implements TickSink {
  now = 0;
  skipped = 0;
  private readonly seq: Float64Array;
  private readonly priceScale: number[];
  private readonly sizeScale: number[];

  constructor(
    private readonly universe: readonly SymbolSpec[],
    private readonly send: (symbolIndex: number, tick: JsonTick) => void,
  ) {
    this.seq = new Float64Array(universe.length);
    this.priceScale = universe.map((s) => 10 ** s.priceDecimals);
    this.sizeScale = universe.map((s) => 10 ** s.sizeDecimals);
  }

  addTick(index: number, price: number, size: number, time: number, side: Side): void {
    const seq = (this.seq[index] = (this.seq[index] ?? 0) + 1);
    if (this.now - time > MAX_TICK_LAG_MS) {
      this.skipped += 1;
      return;
    }
    this.send(index, {
      symbol: (this.universe[index] as SymbolSpec).ticker,
      seq,
      price: price / (this.priceScale[index] as number),
      size: size / (this.sizeScale[index] as number),
      side: side === Side.Buy ? 'buy' : 'sell',
      time,
    });
  }
}

/** Symbol indexes by ticker, for subscribe requests that name tickers. */
export function indexByTicker(universe: readonly SymbolSpec[]): ReadonlyMap<string, number> {
  return new Map(universe.map((symbol, index) => [symbol.ticker, index]));
}

/** The tickers of a JSON subscribe request ({"type":"subscribe","symbols":[...]}) that exist. */
export function requestedIndexes(tickers: unknown, known: ReadonlyMap<string, number>): number[] {
  if (!Array.isArray(tickers)) return [];
  return tickers.flatMap((ticker) => {
    const index = typeof ticker === 'string' ? known.get(ticker) : undefined;
    return index === undefined ? [] : [index];
  });
}
