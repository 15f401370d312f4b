// Codec benchmark: wire size against per-tick JSON, fixed cost per batch including WebSocket
// framing, and encode/decode throughput on one core. Run: npm run bench -w @ticker/protocol
// Results are recorded in this package's README.
import { cpus } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  ByteWriter,
  createTickBatch,
  decodeTickBatch,
  encodeTickBatch,
  reserveTicks,
} from '../src/index.js';
import type { TickBatch } from '../src/index.js';

/** WebSocket server-to-client frame header for a payload (RFC 6455 §5.2; no mask). */
function wsHeaderBytes(payload: number): number {
  return payload < 126 ? 2 : payload < 65_536 ? 4 : 10;
}

function varintBytes(value: number): number {
  let bytes = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) bytes++;
  return bytes;
}

/** A BTC-like random walk: price 43,251.23 in cents, sizes in 0.0001 lots, ms gaps. */
function makeBatch(count: number, seed: number): TickBatch {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const batch = createTickBatch(1);
  reserveTicks(batch, count);
  batch.symbolId = 1;
  batch.seq = 123_456; // ~1.7 hours of 20 batches/s: a 3-byte varint, as in a long-running feed
  batch.baseTime = 1_732_200_000_123;
  let price = 4_325_123;
  let time = batch.baseTime;
  for (let i = 0; i < count; i++) {
    price += Math.round((random() - 0.5) * 12);
    time += Math.floor(random() * (50 / Math.max(1, count / 8)));
    batch.price[i] = price;
    batch.size[i] = 1 + Math.floor(-Math.log(1 - random()) * 400);
    batch.time[i] = time;
    batch.side[i] = random() < 0.5 ? 0 : 1;
  }
  batch.count = count;
  return batch;
}

/** The same ticks as the usual per-tick JSON message, each in its own WebSocket frame. */
function jsonBytesPerTick(batch: TickBatch): number {
  let total = 0;
  for (let i = 0; i < batch.count; i++) {
    const text = JSON.stringify({
      s: 'BTC-USD',
      p: (batch.price[i] ?? 0) / 100,
      q: (batch.size[i] ?? 0) / 10_000,
      t: batch.time[i],
    });
    const bytes = Buffer.byteLength(text);
    total += bytes + wsHeaderBytes(bytes);
  }
  return total / batch.count;
}

function sizes(): void {
  console.log(
    '\nWire size (one batch of a BTC-like walk; JSON = one {"s","p","q","t"} frame per tick)',
  );
  console.log(
    'ticks | frame bytes | fixed bytes incl. WS | bytes/tick in batch | total/tick | JSON/tick | JSON ÷ binary',
  );
  for (const count of [1, 4, 16, 64, 256, 1024, 4096]) {
    const batch = makeBatch(count, count);
    const payload = encodeTickBatch(batch).length;
    const ws = wsHeaderBytes(payload);
    const fixed =
      ws + 2 + varintBytes(batch.symbolId) + varintBytes(batch.seq) + varintBytes(batch.baseTime);
    const perTickInside = (payload + ws - fixed) / count;
    const totalPerTick = (payload + ws) / count;
    const json = jsonBytesPerTick(batch);
    console.log(
      [
        count,
        payload + ws,
        fixed,
        perTickInside.toFixed(2),
        totalPerTick.toFixed(2),
        json.toFixed(1),
        (json / totalPerTick).toFixed(1) + 'x',
      ]
        .map(String)
        .join(' | '),
    );
  }
}

async function rate(name: string, ticksPerCall: number, action: () => void): Promise<void> {
  const seconds = 2.5;
  for (let i = 0; i < 20_000; i++) action(); // warm up into optimised code
  let gcRuns = 0;
  const observer = new PerformanceObserver((list) => (gcRuns += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const results: number[] = [];
  let calls = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(seconds * 1e9) / 5n;
    let n = 0;
    while (process.hrtime.bigint() < deadline) {
      for (let i = 0; i < 1000; i++) action();
      n += 1000;
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    results.push((n * ticksPerCall) / elapsed);
    calls += n;
  }
  // GC entries are delivered asynchronously: let them arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  results.sort((a, b) => a - b);
  const median = results[2] ?? 0;
  const millionTicks = (calls * ticksPerCall) / 1e6;
  console.log(
    `${name.padEnd(30)} ${(median / 1e6).toFixed(1).padStart(6)} M ticks/s   (${(gcRuns / millionTicks).toFixed(2)} GC runs per million ticks)`,
  );
}

async function speed(): Promise<void> {
  console.log('\nThroughput on one core (median of 5 rounds of 0.5 s)');
  for (const count of [16, 64, 256]) {
    const batch = makeBatch(count, 7);
    const writer = new ByteWriter(16 * 1024);
    const bytes = encodeTickBatch(batch, writer).slice();
    const out = createTickBatch(count);
    await rate(`encode, ${count}-tick batches`, count, () => encodeTickBatch(batch, writer));
    await rate(`decode, ${count}-tick batches`, count, () => decodeTickBatch(bytes, out));
  }
}

console.log(`@ticker/protocol codec bench — ${new Date().toISOString().slice(0, 10)}`);
console.log(
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
);
sizes();
await speed();
