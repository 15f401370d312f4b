// The history API's thread (history-thread.ts starts it): a market path and the answers drawn
// from it, off the event loop that carries the live feed.
import { parentPort, workerData } from 'node:worker_threads';
import { TradingHours } from '../domain/trading-hours.js';
import { MarketPath } from '../market-path/market-path.js';
import { HistoryAnswers } from './history-answers.js';
import type { CandlesReply, CandlesRequest, HistoryMarket } from './history-thread.js';

const port = parentPort;
if (port === null) throw new Error('history-worker.ts runs as a worker thread (history-thread.ts)');
/**
 * Market-path nodes kept per generation: a few pages' worth. Pages far apart share none, and
 * nodes kept long enough to reach V8's old generation and then let go are what makes full
 * collections long (recent pages keep their written rows instead, HistoryAnswers).
 */
const NODES_KEPT = 8_000;

const market = workerData as HistoryMarket;
const path = new MarketPath({
  universe: market.universe,
  seed: market.seed,
  ticksPerSecond: market.tickRate,
  stockHours: market.stockHours === null ? null : TradingHours.parse(market.stockHours),
  nodesKept: NODES_KEPT,
});
const answers = new HistoryAnswers(path, market.universe, { private: market.privateAnswers });

port.on('message', (request: CandlesRequest) => {
  const started = performance.now();
  let reply: CandlesReply;
  try {
    const answer = answers.candles(request.query, request.grant, request.now);
    reply = { id: request.id, answer, workMs: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { id: request.id, error: message, workMs: performance.now() - started };
  }
  port.postMessage(reply);
});
