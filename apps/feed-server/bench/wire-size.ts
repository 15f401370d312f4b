// The feed at a given rate: bytes per tick one subscriber of every symbol receives, against the
// usual per-tick JSON message, and how fast one core runs the server's pipeline (simulate,
// batch, record history, encode). No sockets. Run: npm run bench:wire -w @ticker/feed-server [-- ticks/s]
import { formatScaled } from '@ticker/protocol';
import type { Side } from '@ticker/protocol';
import { configFromEnv } from '../src/config.js';
import { Batcher } from '../src/domain/batcher.js';
import type { TickSink } from '../src/domain/tick-sink.js';
import { MarketPath } from '../src/market-path/market-path.js';
import { PathPlayer } from '../src/market-path/path-player.js';
import { SymbolHistory } from '../src/domain/symbol-history.js';

const config = configFromEnv({ ...process.env, LOG_LEVEL: 'silent' });
const ticksPerSecond = Number(process.argv[2] ?? config.tickRate);
const minutes = 10;
const start = Date.UTC(2026, 10, 23, 15, 0);
const { universe, flushIntervalMs } = config;

/** WebSocket server-to-client frame header for a payload (RFC 6455 §5.2). */
const wsHeader = (payload: number): number => (payload < 126 ? 2 : payload < 65_536 ? 4 : 10);

/** Runs the pipeline for `minutes` of simulated time; `observe` sees every tick and frame. */
function run(observe?: {
  tick(index: number, price: number, size: number, time: number): void;
  frame(bytes: Uint8Array): void;
}) {
  const histories = universe.map(() => new SymbolHistory(start));
  const batcher = new Batcher(
    universe.map((s) => s.id),
    { onSealed: (index, batch) => histories[index]?.record(batch) },
  );
  const sink: TickSink = observe
    ? {
        addTick(index: number, price: number, size: number, time: number, side: Side) {
          batcher.addTick(index, price, size, time, side);
          observe.tick(index, price, size, time);
        },
      }
    : batcher;
  const path = new MarketPath({ universe, seed: config.seed, ticksPerSecond, stockHours: null });
  const simulator = new PathPlayer(path, start);
  const publish = observe
    ? (_index: number, bytes: Uint8Array) => {
        observe.frame(bytes);
      }
    : () => undefined;
  for (let t = start + flushIntervalMs; t <= start + minutes * 60_000; t += flushIntervalMs) {
    simulator.advanceTo(t, sink);
    batcher.flush(publish, () => true);
  }
}

let ticks = 0;
let jsonBytes = 0;
let frames = 0;
let wireBytes = 0;
run({
  tick(index, price, size, time) {
    ticks++;
    const symbol = universe[index];
    if (!symbol) return;
    const p = formatScaled(price, symbol.priceDecimals);
    const q = formatScaled(size, symbol.sizeDecimals);
    const text = `{"s":"${symbol.ticker}","p":${p},"q":${q},"t":${time}}`;
    jsonBytes += text.length + wsHeader(text.length);
  },
  frame(bytes) {
    frames++;
    wireBytes += bytes.length + wsHeader(bytes.length);
  },
});

const began = process.hrtime.bigint();
run();
const seconds = Number(process.hrtime.bigint() - began) / 1e9;

console.log(
  `${ticksPerSecond} ticks/s over ${universe.length} symbols, ${flushIntervalMs} ms flush, ` +
    `${minutes} simulated minutes: ${ticks} ticks in ${frames} frames (${(ticks / frames).toFixed(2)} ticks/frame)`,
);
console.log(
  `binary ${(wireBytes / ticks).toFixed(2)} bytes/tick incl. WebSocket framing; ` +
    `per-tick JSON ${(jsonBytes / ticks).toFixed(2)}; binary is ${(jsonBytes / wireBytes).toFixed(1)}x smaller`,
);
const rate = ticks / seconds;
console.log(
  `pipeline (simulate, batch, record history, encode) on one core: ${(rate / 1e6).toFixed(2)} M ticks/s; ` +
    `this feed needs ${((100 * ticksPerSecond) / rate).toFixed(1)}% of a core`,
);
