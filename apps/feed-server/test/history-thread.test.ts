import { afterEach, describe, expect, it } from 'vitest';
import { defaultUniverse } from '../src/config.js';
import { TradingHours } from '../src/domain/trading-hours.js';
import { HistoryAnswers } from '../src/history/history-answers.js';
import { HistoryThread, HistoryThreadError } from '../src/history/history-thread.js';
import { MarketPath } from '../src/market-path/market-path.js';
import { OPEN_GRANT } from '../src/transport/admission.js';

const UNIVERSE = defaultUniverse();
const NOW = Date.UTC(2026, 10, 30, 15, 30, 12, 345);
const HOURS = TradingHours.parse('14:30-21:00');
const market = {
  universe: UNIVERSE,
  seed: 9,
  tickRate: 1_000,
  stockHours: HOURS.toString(),
  privateAnswers: false,
};
let thread: HistoryThread | null = null;
afterEach(async () => {
  await thread?.stop();
  thread = null;
});

describe('the history thread', () => {
  it('answers exactly what the answers computed in this thread would, and what it cost', async () => {
    thread = new HistoryThread(market);
    const here = new HistoryAnswers(
      new MarketPath({ universe: UNIVERSE, seed: 9, ticksPerSecond: 1_000, stockHours: HOURS }),
      UNIVERSE,
      { private: false },
    );
    for (const query of [
      'symbol=AAPL&interval=5m&limit=300', // stock hours apply: the thread got them as text
      `symbol=BTC-USD&interval=1m&end=${NOW - 400 * 86_400_000}&limit=1000`,
      'symbol=NOPE&interval=1m',
    ]) {
      const { answer, workMs } = await thread.candles(query, OPEN_GRANT, NOW);
      expect(answer, query).toEqual(here.candles(query, OPEN_GRANT, NOW));
      expect(workMs).toBeGreaterThan(0);
    }
  });

  it('fails what it had not answered when stopped, and starts again on the next request', async () => {
    thread = new HistoryThread(market);
    const unanswered = thread
      .candles('symbol=BTC-USD&interval=1d&limit=1000', OPEN_GRANT, NOW)
      .then(
        () => null,
        (error: unknown) => error,
      );
    await thread.stop();
    const error = await unanswered;
    expect(error).toBeInstanceOf(HistoryThreadError);
    expect((error as Error).message).toBe('the server is closing');
    const again = await thread.candles('symbol=BTC-USD&interval=1d&limit=2', OPEN_GRANT, NOW);
    expect(again.answer.status).toBe(200);
  });
});
