/**
 * How many ticks per second one FeedClient can take in: frames go through the real receive path
 * (decode, routing to its subscription, sequence check, tick-age and throughput recording, the
 * subscription's and the client's `batch` events) from an in-memory
 * socket, so the figure is the client's own cost without network or server.
 *
 *   npm run bench -w @ticker/client
 */
import {
  AssetClass,
  createTickBatch,
  encodeHello,
  encodeSymbolDirectory,
  encodeTickBatch,
  reserveTicks,
} from '@ticker/protocol';
import { FeedClient } from '../src/index.js';
import type { WebSocketLike } from '../src/index.js';

class MemorySocket implements WebSocketLike {
  static current: MemorySocket | null = null;
  binaryType = 'arraybuffer';
  readyState = 1;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor() {
    MemorySocket.current = this;
  }
  send(): void {}
  close(): void {}
}

const SYMBOLS = 64;
const ROUNDS = 5;
const ROUND_MS = 500;

function frames(ticksPerBatch: number): ArrayBuffer[] {
  const batch = createTickBatch(ticksPerBatch);
  reserveTicks(batch, ticksPerBatch);
  const now = Date.now();
  const out: ArrayBuffer[] = [];
  for (let symbol = 1; symbol <= SYMBOLS; symbol++) {
    for (let i = 0; i < ticksPerBatch; i++) {
      batch.price[i] = 1_000_000 + ((i * 37) % 200) - 100;
      batch.size[i] = 1 + (i % 50);
      batch.time[i] = now + i;
      batch.side[i] = i & 1;
    }
    batch.count = ticksPerBatch;
    batch.symbolId = symbol;
    batch.seq = 0;
    out.push(encodeTickBatch(batch).slice().buffer);
  }
  return out;
}

function measure(ticksPerBatch: number): { ticksPerSecond: number; bytesPerTick: number } {
  const client = new FeedClient({ url: 'memory', WebSocket: MemorySocket, pingIntervalMs: 0 });
  client.connect();
  const socket = MemorySocket.current;
  if (!socket?.onmessage) throw new Error('client did not open');
  const deliver = socket.onmessage;
  deliver({
    data: encodeHello({ serverTime: Date.now(), heartbeatIntervalMs: 60_000, limits: [] }).slice()
      .buffer,
  });
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => ({
    id: i + 1,
    ticker: `S${i + 1}`,
    name: `Symbol ${i + 1}`,
    assetClass: AssetClass.Crypto,
    priceDecimals: 2,
    sizeDecimals: 0,
    tickSize: 1,
    lotSize: 1,
  }));
  deliver({ data: encodeSymbolDirectory({ symbols }).slice().buffer });
  // Batches reach listeners through the subscription of their symbol, as in an application.
  for (const { ticker } of symbols) client.subscription(ticker).subscribe();
  let checksum = 0;
  client.on('batch', (batch) => {
    checksum += batch.price[batch.count - 1] as number; // a consumer reading the last price
  });
  const data = frames(ticksPerBatch);
  const bytes = data.reduce((sum, frame) => sum + frame.byteLength, 0);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let ticks = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) {
      for (const frame of data) deliver({ data: frame });
      ticks += ticksPerBatch * SYMBOLS;
    }
    rates.push(ticks / ((performance.now() - start) / 1_000));
  }
  client.close();
  if (checksum === 0) throw new Error('no batch reached the listener');
  rates.sort((a, b) => a - b);
  return {
    ticksPerSecond: rates[Math.floor(ROUNDS / 2)] as number,
    bytesPerTick: bytes / (ticksPerBatch * SYMBOLS),
  };
}

console.log(
  `FeedClient receive path, ${SYMBOLS} symbols, median of ${ROUNDS} × ${ROUND_MS} ms (Node ${process.version})`,
);
for (const ticksPerBatch of [1, 16, 64, 256]) {
  const { ticksPerSecond, bytesPerTick } = measure(ticksPerBatch);
  console.log(
    `${String(ticksPerBatch).padStart(4)} ticks/batch: ${(ticksPerSecond / 1e6).toFixed(2)} M ticks/s (${bytesPerTick.toFixed(1)} B/tick)`,
  );
}
