// Wire size at a given feed: runs the real simulator and batcher (no sockets) over simulated
// minutes and counts what one subscriber of every symbol would receive, against the usual
// per-tick JSON message. Run: npm run bench:wire -w @ticker/feed-server [-- ticksPerSecond]
import { formatScaled } from '@ticker/protocol';
import type { Side } from '@ticker/protocol';
import { configFromEnv } from '../src/config.js';
import { Batcher } from '../src/domain/batcher.js';
import { MarketSimulator } from '../src/domain/market-simulator.js';

const config = configFromEnv(process.env);
const ticksPerSecond = Number(process.argv[2] ?? config.tickRate);
const minutes = 10;
const start = Date.UTC(2026, 10, 22, 14, 30);
const { universe, flushIntervalMs } = config;

/** WebSocket server-to-client frame header for a payload (RFC 6455 §5.2). */
const wsHeader = (payload: number): number => (payload < 126 ? 2 : payload < 65_536 ? 4 : 10);

const batcher = new Batcher(universe.map((s) => s.id));
let ticks = 0;
let jsonBytes = 0;
const sink = {
  addTick(index: number, price: number, size: number, time: number, side: Side): void {
    batcher.addTick(index, price, size, time, side);
    ticks++;
    const symbol = universe[index];
    if (!symbol) return;
    const p = formatScaled(price, symbol.priceDecimals);
    const q = formatScaled(size, symbol.sizeDecimals);
    const text = `{"s":"${symbol.ticker}","p":${p},"q":${q},"t":${time}}`;
    jsonBytes += text.length + wsHeader(text.length);
  },
};

const simulator = new MarketSimulator(universe, {
  seed: config.seed,
  ticksPerSecond,
  startTime: start,
});
let frames = 0;
let wireBytes = 0;
for (let t = start + flushIntervalMs; t <= start + minutes * 60_000; t += flushIntervalMs) {
  simulator.advanceTo(t, sink);
  batcher.flush(
    (_index, bytes) => {
      frames++;
      wireBytes += bytes.length + wsHeader(bytes.length);
    },
    () => true,
  );
}

console.log(
  `${ticksPerSecond} ticks/s over ${universe.length} symbols, ${flushIntervalMs} ms flush, ` +
    `${minutes} simulated minutes: ${ticks} ticks in ${frames} frames (${(ticks / frames).toFixed(2)} ticks/frame)`,
);
console.log(
  `binary ${(wireBytes / ticks).toFixed(2)} bytes/tick incl. WebSocket framing; ` +
    `per-tick JSON ${(jsonBytes / ticks).toFixed(2)}; binary is ${(jsonBytes / wireBytes).toFixed(1)}x smaller`,
);
