import { describe, expect, it } from 'vitest';
import { ChartCandles } from '../src/chart/chart-candles';
import { ClientErrorCode, HistoryError } from '@ticker/client';
import type { Candle, History, HistoryRequest } from '@ticker/client';
import { ChartHistory, MARKET_START, PAGE_CANDLES } from '../src/chart/chart-history';

const MINUTE = 60_000;
const T0 = 1_764_547_200_000; // a whole minute

/** One-minute candles starting at `first`, each open = 100 + index, volume 1. */
function minutes(first: number, count: number): Candle[] {
  return Array.from({ length: count }, (_, i) => ({
    start: first + i * MINUTE,
    open: 100 + i,
    high: 110 + i,
    low: 90 + i,
    close: 105 + i,
    volume: 1,
  }));
}

/** The history API's answer holding `minutes(first, count)`, as of `asOf` when given. */
function page(first: number, count: number, asOf?: number): History {
  const candles = minutes(first, count);
  const history = { symbol: 'BTC-USD', interval: '1m', intervalMs: MINUTE, candles } as const;
  return asOf === undefined ? history : { ...history, asOf };
}

function starts(candles: ChartCandles): number[] {
  return Array.from({ length: candles.size }, (_, i) => candles.startAt(i));
}

describe('ChartCandles', () => {
  it('puts older pages in front and replaces the latest, keeping its order', () => {
    const candles = new ChartCandles(MINUTE);
    candles.replaceLatest(minutes(T0, 3));
    expect(candles.prepend(minutes(T0 - 2 * MINUTE, 4))).toBe(2); // two overlap
    expect(starts(candles)).toEqual([-2, -1, 0, 1, 2].map((i) => T0 + i * MINUTE));
    candles.replaceLatest(minutes(T0 + MINUTE, 3));
    expect(starts(candles)).toEqual([-2, -1, 0, 1, 2, 3].map((i) => T0 + i * MINUTE));
    expect(candles.openAt(3)).toBe(100); // replaced by the new page's first
    expect(candles.firstAtOrAfter(T0 + 30_000)).toBe(3);
  });

  it('grows on both sides across many pages without losing a candle', () => {
    const candles = new ChartCandles(MINUTE);
    candles.replaceLatest(minutes(T0, PAGE_CANDLES));
    for (let p = 1; p <= 10; p++)
      candles.prepend(minutes(T0 - p * PAGE_CANDLES * MINUTE, PAGE_CANDLES));
    for (let i = 0; i < 3_000; i++) candles.addTrade(T0 + (PAGE_CANDLES + i) * MINUTE, 7, 1);
    expect(candles.size).toBe(11 * PAGE_CANDLES + 3_000);
    const all = starts(candles);
    expect(all.every((start, i) => i === 0 || start - (all[i - 1] as number) === MINUTE)).toBe(
      true,
    );
  });

  it('folds a trade into its candle, opens the next, and ignores older ones', () => {
    const candles = new ChartCandles(MINUTE);
    candles.replaceLatest(minutes(T0, 1));
    candles.addTrade(T0 + 10, 200, 5);
    candles.addTrade(T0 + 20, 50, 5);
    expect([candles.highAt(0), candles.lowAt(0), candles.closeAt(0), candles.volumeAt(0)]).toEqual([
      200, 50, 50, 11,
    ]);
    candles.addTrade(T0 + MINUTE + 5, 70, 2);
    candles.addTrade(T0 + 30, 999, 1);
    expect(candles.size).toBe(2);
    expect([candles.openAt(1), candles.closeAt(1), candles.volumeAt(1)]).toEqual([70, 70, 2]);
    expect(candles.highAt(0)).toBe(200);
  });
});

/** A fetch whose answers the test gives, one request at a time. */
function fakeServer() {
  const requests: Array<{
    request: HistoryRequest;
    resolve: (page: History) => void;
    reject: (error: unknown) => void;
  }> = [];
  const timers: Array<{ callback: () => void; ms: number }> = [];
  const history = new ChartHistory({
    ticker: 'BTC-USD',
    interval: '1m',
    fetchHistory: (request) =>
      new Promise<History>((resolve, reject) => {
        requests.push({ request, resolve, reject });
      }),
    setTimer: (callback, ms) => {
      timers.push({ callback, ms });
      return () => undefined;
    },
  });
  return { history, requests, timers };
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('ChartHistory', () => {
  it('counts every trade once: those after the page’s as-of, kept while it was on its way', async () => {
    const { history, requests } = fakeServer();
    history.start();
    expect(requests[0]?.request).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      limit: PAGE_CANDLES,
    });
    // Trades before the answer: the first two are in the page (as of T0 + 2 MINUTE + 20).
    history.addTrades(
      [T0 + 2 * MINUTE + 10, T0 + 2 * MINUTE + 20, T0 + 2 * MINUTE + 30],
      [1, 2, 300],
      [4, 4, 4],
      3,
    );
    requests[0]?.resolve(page(T0, 3, T0 + 2 * MINUTE + 20));
    await settle();
    expect(history.status).toBe('ready');
    history.addTrades([T0 + 2 * MINUTE + 40, T0 + 3 * MINUTE], [5, 6], [1, 2], 2);
    const { candles } = history;
    expect(candles.size).toBe(4);
    expect([candles.highAt(2), candles.closeAt(2), candles.volumeAt(2)]).toEqual([
      300,
      5,
      1 + 4 + 1,
    ]);
    expect([candles.startAt(3), candles.openAt(3), candles.volumeAt(3)]).toEqual([
      T0 + 3 * MINUTE,
      6,
      2,
    ]);
  });

  it('scrolls back page by page until the market’s start, stepping over empty pages', async () => {
    const { history, requests } = fakeServer();
    history.start();
    const first = MARKET_START + 3_000 * MINUTE;
    requests[0]?.resolve(page(first, 10, first + 10 * MINUTE));
    await settle();
    history.loadOlder();
    history.loadOlder(); // one at a time
    expect(requests).toHaveLength(2);
    expect(requests[1]?.request.end).toBe(first);
    requests[1]?.resolve(page(first, 0));
    await settle();
    const next = first - 4 * PAGE_CANDLES * MINUTE;
    history.loadOlder();
    expect(requests[2]?.request.end).toBe(next);
    requests[2]?.resolve(page(next - 5 * MINUTE, 5));
    await settle();
    expect(history.candles.oldestStart()).toBe(next - 5 * MINUTE);
    expect(history.reachedStart).toBe(true); // 4 × 500 minutes before `next` is before the start
    history.loadOlder();
    expect(requests).toHaveLength(3);
  });

  it('asks the latest page again after a gap, keeping older candles', async () => {
    const { history, requests } = fakeServer();
    history.start();
    requests[0]?.resolve(page(T0, 5, T0 + 5 * MINUTE));
    await settle();
    history.restartLive();
    history.addTrades([T0 + 6 * MINUTE], [1], [1], 1); // kept until the page
    expect(history.candles.size).toBe(5);
    requests[1]?.resolve(page(T0 + 3 * MINUTE, 3, T0 + 5 * MINUTE + 1));
    await settle();
    expect(starts(history.candles)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => T0 + i * MINUTE));
  });

  it('retries a failed latest page after the server’s wait, and says why meanwhile', async () => {
    const { history, requests, timers } = fakeServer();
    let notified = 0;
    history.subscribe(() => (notified += 1));
    history.start();
    const busy = new HistoryError(ClientErrorCode.HistoryRefused, 'busy', {
      status: 503,
      retryAfterMs: 2_000,
    });
    requests[0]?.reject(busy);
    await settle();
    expect([history.status, history.error, notified]).toEqual(['failed', 'busy', 1]);
    expect(timers[0]?.ms).toBe(2_000);
    timers[0]?.callback();
    requests[1]?.resolve(page(T0, 1, T0 + 1));
    await settle();
    expect([history.status, history.error]).toEqual(['ready', null]);
  });

  it('drops the answers of a stopped history', async () => {
    const { history, requests } = fakeServer();
    history.start();
    history.stop();
    requests[0]?.resolve(page(T0, 3, T0));
    await settle();
    expect([history.status, history.candles.size]).toEqual(['loading', 0]);
  });
});
