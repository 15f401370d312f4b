import { ClientErrorCode, FeedError, MarketState, View } from '@ticker/client';
import { ErrorCode, createTickColumns } from '@ticker/protocol';
import type { Snapshot, SymbolInfo } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import {
  CHARTS_PER_FRAME,
  GRID_CHART_REFRESH_MS,
  CHART_REFRESH_MS,
  FeedBridge,
  QUOTE_REFRESH_MS,
} from '../src/feed/feed-bridge';
import type { TradeSink } from '../src/feed/feed-bridge';
import { LIVE_MARKET, createDashboardStore, pricesAreStale } from '../src/store/dashboard-store';
import type { InitialView } from '../src/store/dashboard-store';
import { GRID_CHARTS } from '../src/store/view-options';
import {
  AAPL,
  BTC,
  DIRECTORY,
  ETH,
  FakeFeed,
  ManualScheduler,
  flushMicrotasks,
  refusal,
} from './fakes';
import { quote, quoteSnapshot, session } from './series-fixtures';

function setup(view: Partial<InitialView> = { watchlist: ['BTC-USD'], focused: 'BTC-USD' }) {
  const feed = new FakeFeed();
  const store = createDashboardStore(view);
  const scheduler = new ManualScheduler();
  let now = 1_000;
  let secondCallback: (() => void) | null = null;
  let secondStopped = false;
  const bridge = new FeedBridge({
    client: feed,
    store,
    scheduler,
    now: () => now,
    everySecond: (callback) => {
      secondCallback = callback;
      return () => {
        secondStopped = true;
      };
    },
  });
  let notifications = 0;
  store.subscribe(() => {
    notifications += 1;
  });
  return {
    feed,
    store,
    scheduler,
    bridge,
    notifications: () => notifications,
    advance: (ms: number) => {
      now += ms;
    },
    tickSecond: () => {
      secondCallback?.();
    },
    secondStopped: () => secondStopped,
  };
}

/** Started, with the directory delivered (so the watchlist has been asked for). */
function started(view?: Partial<InitialView>, directory: readonly SymbolInfo[] = DIRECTORY) {
  const context = setup(view);
  context.bridge.start();
  context.feed.sendDirectory(directory);
  return context;
}

/** `count` symbols S0, S1, … for layouts that need more than the three of DIRECTORY. */
function manySymbols(count: number): SymbolInfo[] {
  return Array.from({ length: count }, (_, i) => ({ ...AAPL, id: 100 + i, ticker: `S${i}` }));
}

function snapshot(
  symbolId: number,
  prices: readonly number[],
  sessionFigures: Partial<Snapshot['session']> = {},
): Snapshot {
  const history = createTickColumns(prices.length);
  prices.forEach((price, i) => {
    history.price[i] = price;
    history.size[i] = 1;
    history.time[i] = 10_000 + i * 100;
  });
  history.count = prices.length;
  return {
    requestId: 0,
    symbolId,
    nextSeq: 1,
    session: {
      startTime: 0,
      open: prices[0] ?? 0,
      high: Math.max(...prices),
      low: Math.min(...prices),
      last: prices.at(-1) ?? 0,
      volume: prices.length,
      tradeCount: prices.length,
      ...sessionFigures,
    },
    history,
    candles: [],
  };
}

describe('FeedBridge lifecycle', () => {
  it('keeps a restarting server’s 1001 while the attempts that follow find it gone', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    feed.setState('open', 'connected');
    feed.setState('reconnecting', 'closed by server: 1001', { retryInMs: 1_000, closeCode: 1001 });
    feed.setState('reconnecting', 'closed by server: 1006', { retryInMs: 2_000, closeCode: 1006 });
    expect(store.getState().connection.closeCode).toBe(1001);
    feed.setState('open', 'connected');
    expect(store.getState().connection.closeCode).toBeNull();
    // A connection that was open and dropped without a close frame is a lost one.
    feed.setState('reconnecting', 'closed by server: 1006', { retryInMs: 1_000, closeCode: 1006 });
    expect(store.getState().connection.closeCode).toBe(1006);
  });

  it('connects on start and mirrors connection state, countdown and close code into the store', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    expect(feed.connects).toBe(1);
    expect(store.getState().connection.state).toBe('connecting');
    const before = Date.now();
    feed.setState('reconnecting', 'closed by server: 1001', { retryInMs: 3_000, closeCode: 1001 });
    const { connection } = store.getState();
    expect(connection.state).toBe('reconnecting');
    expect(connection.closeCode).toBe(1001);
    expect(connection.retryAt).toBeGreaterThanOrEqual(before + 3_000);
    expect(connection.everOpen).toBe(false);
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().connection).toMatchObject({
      state: 'open',
      retryAt: null,
      everOpen: true,
    });
  });

  it('mirrors the market status: delayed since its last data, live again, and live on a new connection', () => {
    const { feed, store, bridge } = setup();
    bridge.start();
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().market).toEqual(LIVE_MARKET);
    expect(pricesAreStale(store.getState())).toBe(false);
    const silent = 'no market data from the source for 3 s';
    feed.sendMarketStatus({
      state: MarketState.Delayed,
      lastDataTime: 1_700_000_000_000,
      reason: silent,
    });
    expect(store.getState().market).toEqual({
      delayed: true,
      since: 1_700_000_000_000,
      reason: silent,
    });
    expect(pricesAreStale(store.getState())).toBe(true);
    feed.sendMarketStatus({ state: MarketState.Live, lastDataTime: 1_700_000_004_000, reason: '' });
    expect(store.getState().market).toEqual(LIVE_MARKET);
    // A state this page does not know is not live.
    feed.sendMarketStatus({ state: 7, lastDataTime: 0, reason: 'halted' });
    expect(store.getState().market.delayed).toBe(true);
    // The connection is lost: stale while reconnecting; the next one starts live.
    feed.setState('reconnecting', 'closed by server: 1006', { retryInMs: 1_000 });
    expect(pricesAreStale(store.getState())).toBe(true);
    feed.sendDirectory(DIRECTORY);
    expect(store.getState().market).toEqual(LIVE_MARKET);
    expect(pricesAreStale(store.getState())).toBe(false);
  });

  it('does not listen or connect twice when started twice', () => {
    const { feed, bridge } = setup();
    bridge.start();
    const listeners = feed.listenerCount();
    bridge.start();
    expect(feed.connects).toBe(1);
    expect(feed.listenerCount()).toBe(listeners);
  });

  it('on stop: drops a pending commit, stops its timer, removes its subscriptions and closes', () => {
    const { feed, scheduler, bridge, secondStopped } = started();
    const btc = feed.sub('BTC-USD');
    btc.sendTicks([[1_000, 100]]);
    expect(scheduler.pending).toBe(1);
    bridge.stop();
    expect(scheduler.pending).toBe(0);
    expect(feed.listenerCount()).toBe(0);
    expect(btc.listenerCount()).toBe(0);
    expect(btc.removed).toBe(true);
    expect(feed.closes).toBe(1);
    expect(secondStopped()).toBe(true);
  });

  it('publishes the client metrics and turns the second once a second', () => {
    const { feed, store, tickSecond } = started();
    feed.currentMetrics = { ...feed.currentMetrics, ticksPerSecond: 1_234 };
    tickSecond();
    expect(store.getState().second).toBe(1);
    expect(store.getState().metrics?.ticksPerSecond).toBe(1_234);
  });
});

describe('FeedBridge subscriptions: rows as quotes, charts as charts', () => {
  it('asks for nothing before the directory, then for every row: the focused one as a chart', () => {
    const { feed, bridge } = setup({
      watchlist: ['BTC-USD', 'ETH-USD', 'AAPL'],
      focused: 'ETH-USD',
    });
    bridge.start();
    expect(feed.calls).toEqual([]);
    feed.sendDirectory(DIRECTORY);
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Quote],
      ['ETH-USD', View.Chart],
      ['AAPL', View.Quote],
    ]);
    // Created in their views: nothing had to be moved.
    expect(feed.calls.map(({ call }) => call)).toEqual(['subscribe', 'subscribe', 'subscribe']);
  });

  it('drops tickers the directory lacks and says so, keeping the rest', () => {
    const { feed, store } = started({ watchlist: ['BTC-USD', 'NOPE', 'ZZZ'] });
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Unknown symbols: NOPE, ZZZ');
    expect(feed.wanted()).toEqual([['BTC-USD', View.Chart]]);
  });

  it('moves one ticker each way when the focus changes, with no unsubscribe in between', () => {
    const { feed, store } = started({
      watchlist: ['BTC-USD', 'ETH-USD', 'AAPL'],
      focused: 'BTC-USD',
    });
    const before = feed.calls.length;
    store.getState().focus('ETH-USD');
    expect(feed.calls.slice(before)).toEqual([
      { ticker: 'BTC-USD', call: 'setView', view: View.Quote },
      { ticker: 'ETH-USD', call: 'setView', view: View.Chart },
    ]);
    expect(feed.inView(View.Chart)).toEqual(['ETH-USD']);
    expect(feed.inView(View.Quote)).toEqual(['BTC-USD', 'AAPL']);
  });

  it(`charts the first ${GRID_CHARTS} in the grid, and moves them back to quotes in the single layout`, () => {
    const symbols = manySymbols(GRID_CHARTS + 2);
    const tickers = symbols.map((s) => s.ticker);
    const { feed, store } = started({ watchlist: tickers, focused: 'S0', layout: 'grid' }, symbols);
    expect(feed.inView(View.Chart)).toEqual(tickers.slice(0, GRID_CHARTS));
    expect(feed.inView(View.Quote)).toEqual(tickers.slice(GRID_CHARTS));

    const before = feed.calls.length;
    store.getState().setLayout('single');
    const moves = feed.calls.slice(before);
    expect(moves.map(({ ticker }) => ticker)).toEqual(tickers.slice(1, GRID_CHARTS));
    expect(new Set(moves.map(({ call, view }) => `${call} ${view}`))).toEqual(
      new Set([`setView ${View.Quote}`]),
    );
    expect(feed.inView(View.Chart)).toEqual(['S0']);
  });

  it('subscribes an added symbol as a quote and removes a removed one, ignoring its later data', () => {
    const { feed, store, scheduler, bridge } = started();
    store.getState().addSymbol('ETH-USD');
    expect(feed.calls.at(-1)).toEqual({ ticker: 'ETH-USD', call: 'subscribe', view: View.Quote });
    const btc = feed.sub('BTC-USD');
    store.getState().removeSymbol('BTC-USD');
    expect(btc.removed).toBe(true);
    expect(btc.listenerCount()).toBe(0);
    expect(bridge.series('BTC-USD')).toBeUndefined();
    // The focus moved to ETH-USD, which became the chart.
    expect(feed.wanted()).toEqual([['ETH-USD', View.Chart]]);
    scheduler.runFrame(); // its chart draws at once
    btc.sendTicks([[1_000, 100]]);
    expect(scheduler.pending).toBe(0);
  });

  it('leaves resubscribing after a reconnect to the client, and keeps receiving', () => {
    const { feed, store, scheduler } = started();
    const calls = feed.calls.length;
    feed.sendDirectory([{ ...BTC, id: 42 }, ETH, AAPL]);
    expect(feed.calls).toHaveLength(calls);
    feed.sub('BTC-USD').sendTicks([[1_000, 777]]);
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(777);
  });

  it('shows client error events in the error slot', () => {
    const { feed, store } = started();
    feed.emit('error', new FeedError(1, 'undecodable frame'));
    expect(store.getState().error).toBe('Feed error: undecodable frame');
  });
});

describe('FeedBridge subscriptions: compared symbols', () => {
  it('subscribes a compared symbol off the watchlist in the quote view, and one on it only once', () => {
    const { feed } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
      compare: ['BTC-USD', 'AAPL', 'ETH-USD'],
    });
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Chart],
      ['ETH-USD', View.Quote],
      ['AAPL', View.Quote],
    ]);
    expect(feed.calls.filter(({ call }) => call === 'subscribe')).toHaveLength(3);
  });

  it('keeps a compared symbol in the quote view in the grid, which charts only the watchlist', () => {
    const { feed } = started({ watchlist: ['BTC-USD'], layout: 'grid', compare: ['ETH-USD'] });
    expect(feed.inView(View.Chart)).toEqual(['BTC-USD']);
    expect(feed.inView(View.Quote)).toEqual(['ETH-USD']);
  });

  it('subscribes a symbol once compared and removes it once no longer compared', () => {
    const { feed, store, bridge } = started();
    store.getState().setCompare(['ETH-USD']);
    expect(feed.calls.at(-1)).toEqual({ ticker: 'ETH-USD', call: 'subscribe', view: View.Quote });
    const eth = feed.sub('ETH-USD');
    eth.sendQuote(quote(2_000, 321));
    expect(bridge.series('ETH-USD')?.session.last).toBe(321);

    store.getState().setCompare([]);
    expect(eth.removed).toBe(true);
    expect(eth.listenerCount()).toBe(0);
    expect(bridge.series('ETH-USD')).toBeUndefined();
    expect(feed.wanted()).toEqual([['BTC-USD', View.Chart]]);
  });

  it('keeps the subscription of a compared symbol that is also watched when comparing ends', () => {
    const { feed, store } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
      compare: ['ETH-USD'],
    });
    const calls = feed.calls.length;
    store.getState().setCompare([]);
    expect(feed.calls.slice(calls)).toEqual([]);
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Chart],
      ['ETH-USD', View.Quote],
    ]);
  });

  it('keeps a compared symbol removed from the watchlist, moved to the quote view', () => {
    const { feed, store } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'ETH-USD',
      compare: ['ETH-USD'],
    });
    const eth = feed.sub('ETH-USD');
    store.getState().removeSymbol('ETH-USD');
    expect(eth.removed).toBe(false);
    expect(feed.sub('ETH-USD')).toBe(eth);
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Chart],
      ['ETH-USD', View.Quote],
    ]);
  });

  it('drops compared symbols the directory lacks with the unknown-symbol message', () => {
    const { feed, store } = started({
      watchlist: ['BTC-USD'],
      compare: ['NOPE', 'ETH-USD'],
    });
    expect(store.getState().compare).toEqual(['ETH-USD']);
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Unknown symbol: NOPE');
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Chart],
      ['ETH-USD', View.Quote],
    ]);
  });

  it('names unknown watched and compared symbols in one message', () => {
    const { feed, store } = started({
      watchlist: ['BTC-USD', 'ZZZ'],
      compare: ['NOPE'],
    });
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().compare).toEqual([]);
    expect(store.getState().error).toBe('Unknown symbols: ZZZ, NOPE');
    expect(feed.wanted()).toEqual([['BTC-USD', View.Chart]]);
  });

  it.each([
    ['outside the access link', ErrorCode.Forbidden, 'Your access link does not cover ETH-USD'],
    ['unknown to the server', ErrorCode.UnknownSymbol, 'Unknown symbol: ETH-USD'],
  ])('drops a compared symbol %s from the comparison', async (_, code, message) => {
    const { feed, store } = started({ watchlist: ['BTC-USD'], compare: ['ETH-USD', 'AAPL'] });
    const eth = feed.sub('ETH-USD');
    eth.refuse(refusal(code));
    await flushMicrotasks();
    expect(store.getState().compare).toEqual(['AAPL']);
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe(message);
    expect(eth.removed).toBe(true);
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Chart],
      ['AAPL', View.Quote],
    ]);
  });

  it('drops a refused symbol that is both watched and compared from both', async () => {
    const { feed, store } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
      compare: ['ETH-USD'],
    });
    feed.sub('ETH-USD').refuse(refusal(ErrorCode.Forbidden));
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().compare).toEqual([]);
    expect(feed.wanted()).toEqual([['BTC-USD', View.Chart]]);
  });
});

describe('FeedBridge refusals, per symbol', () => {
  const three = { watchlist: ['BTC-USD', 'ETH-USD', 'AAPL'], focused: 'BTC-USD' };

  it('drops the symbols outside the access link with one message, and the others keep streaming', async () => {
    const { feed, store, scheduler } = started(three);
    const forbidden = refusal(
      ErrorCode.Forbidden,
      'your access token does not cover: ETH-USD, AAPL',
    );
    // As the client does: each subscription's state, then the same error as a client event.
    feed.sub('ETH-USD').refuse(forbidden);
    feed.sub('AAPL').refuse(forbidden);
    feed.emit('error', forbidden);
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe('Your access link does not cover ETH-USD, AAPL');
    // BTC-USD was neither dropped nor asked for again.
    expect(feed.calls.filter(({ ticker }) => ticker === 'BTC-USD')).toEqual([
      { ticker: 'BTC-USD', call: 'subscribe', view: View.Chart },
    ]);
    feed.sub('BTC-USD').sendTicks([[1_000, 500]]);
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(500);
  });

  it('drops an unknown symbol with the unknown-symbol message, together with a forbidden one', async () => {
    const { feed, store } = started(three);
    feed.sub('ETH-USD').refuse(refusal(ErrorCode.Forbidden));
    feed.sub('AAPL').refuse(refusal(ErrorCode.UnknownSymbol));
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD']);
    expect(store.getState().error).toBe(
      'Unknown symbol: AAPL. Your access link does not cover ETH-USD',
    );
    expect(feed.wanted()).toEqual([['BTC-USD', View.Chart]]);
  });

  it('keeps a row refused for a limit, says so, and asks again at the next change of view', async () => {
    const { feed, store } = started(three);
    feed.sub('AAPL').refuse(refusal(ErrorCode.LimitExceeded, 'message rate exceeded'));
    await flushMicrotasks();
    expect(store.getState().watchlist).toEqual(['BTC-USD', 'ETH-USD', 'AAPL']);
    expect(store.getState().error).toBe('Could not subscribe to AAPL: message rate exceeded');
    expect(feed.sub('AAPL').state).toBe('unsubscribed');
    store.getState().focus('AAPL');
    expect(feed.calls.at(-1)).toEqual({ ticker: 'AAPL', call: 'subscribe', view: View.Chart });
  });

  it('streams rows in the chart view from a server without views', async () => {
    const { feed, store } = started(three, [...DIRECTORY, { ...AAPL, id: 4, ticker: 'MSFT' }]);
    const unsupported = new FeedError(ClientErrorCode.ViewsUnsupported, 'predates views');
    feed.sub('ETH-USD').refuse(unsupported);
    feed.sub('AAPL').refuse(unsupported);
    feed.emit('error', unsupported);
    await flushMicrotasks();
    expect(feed.wanted()).toEqual([
      ['BTC-USD', View.Chart],
      ['ETH-USD', View.Chart],
      ['AAPL', View.Chart],
    ]);
    store.getState().addSymbol('MSFT');
    expect(feed.calls.at(-1)).toEqual({ ticker: 'MSFT', call: 'subscribe', view: View.Chart });
    expect(store.getState().error).toBeNull();
  });

  it('ignores a refusal of a symbol removed before it was settled', async () => {
    const { feed, store } = started(three);
    feed.sub('ETH-USD').refuse(refusal(ErrorCode.Forbidden));
    store.getState().removeSymbol('ETH-USD');
    await flushMicrotasks();
    expect(store.getState().error).toBeNull();
    expect(store.getState().watchlist).toEqual(['BTC-USD', 'AAPL']);
  });
});

describe('FeedBridge commits', () => {
  it('turns several batches before a frame into exactly one store commit with session figures', () => {
    const { feed, store, scheduler, notifications } = started();
    const btc = feed.sub('BTC-USD');
    const before = notifications();
    btc.sendTicks([[1_000, 100, 2]]);
    btc.sendTicks([
      [1_050, 120, 3],
      [1_060, 90, 1],
    ]);
    btc.sendTicks([[1_070, 95, 4]]);
    expect(notifications()).toBe(before);
    expect(scheduler.requests).toBe(1);
    scheduler.runFrame();
    expect(notifications()).toBe(before + 1);
    expect(store.getState().quotes.get('BTC-USD')).toEqual({
      version: 1,
      last: 95,
      open: 100,
      high: 120,
      low: 90,
      volume: 10,
      direction: 1,
      tradeCount: 4,
    });
  });

  it('starts from the snapshot session and keeps untouched quotes as the same object', () => {
    const { feed, store, scheduler } = started({ watchlist: ['BTC-USD', 'ETH-USD'] });
    scheduler.runFrame();
    const eth = store.getState().quotes.get('ETH-USD');
    feed.sub('BTC-USD').sendSnapshot(snapshot(BTC.id, [500, 510, 505], { open: 480, volume: 99 }));
    feed.sub('BTC-USD').sendTicks([[20_000, 490]]);
    scheduler.runFrame();
    const btc = store.getState().quotes.get('BTC-USD');
    expect(btc).toMatchObject({
      open: 480,
      high: 510,
      last: 490,
      low: 490,
      volume: 100,
      direction: -1,
    });
    expect(store.getState().quotes.get('ETH-USD')).toBe(eth);
  });

  it("fills a quote row's figures and sparkline bars from its quote snapshot and quotes", () => {
    const { feed, store, scheduler, bridge } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
    });
    const eth = feed.sub('ETH-USD');
    eth.sendQuoteSnapshot(
      quoteSnapshot({
        from: 60_000,
        closes: [2_000, 2_010, 2_005],
        session: session({
          open: 1_900,
          high: 2_050,
          low: 1_880,
          last: 2_005,
          volume: 70,
          tradeCount: 9,
        }),
      }),
    );
    scheduler.runFrame();
    expect(store.getState().quotes.get('ETH-USD')).toEqual({
      version: 1,
      last: 2_005,
      open: 1_900,
      high: 2_050,
      low: 1_880,
      volume: 70,
      direction: 0,
      tradeCount: 9,
    });
    const closes = () => {
      const bars = bridge.series('ETH-USD')?.seconds;
      return bars ? Array.from({ length: bars.size }, (_, i) => bars.closeAt(i)) : [];
    };
    expect(closes()).toEqual([2_000, 2_010, 2_005]);

    eth.sendQuote(quote(63_200, 2_060, { high: 2_060, low: 1_880, volume: 75, tradeCount: 11 }));
    scheduler.runFrame(); // too soon for quotes: waits for the refresh interval
    expect(closes()).toEqual([2_000, 2_010, 2_005, 2_060]); // the buffers are already current
    expect(store.getState().quotes.get('ETH-USD')?.last).toBe(2_005);
  });

  it(`commits the quotes of many rows at most once per frame and every ${QUOTE_REFRESH_MS} ms`, () => {
    const { feed, store, scheduler, notifications, advance } = started({
      watchlist: ['BTC-USD', 'ETH-USD', 'AAPL'],
      focused: 'BTC-USD',
    });
    const rows = ['ETH-USD', 'AAPL'].map((ticker) => feed.sub(ticker));
    for (const row of rows)
      row.sendQuoteSnapshot(
        quoteSnapshot({ session: session({ last: 10, open: 10, tradeCount: 1 }) }),
      );
    for (let i = 1; i <= 5; i++) for (const row of rows) row.sendQuote(quote(1_000 * i, 10 + i));
    const before = notifications();
    expect(scheduler.requests).toBe(1);
    scheduler.runFrame();
    expect(notifications()).toBe(before + 1);
    expect(store.getState().quotes.get('ETH-USD')).toMatchObject({
      last: 15,
      direction: 1,
      version: 1,
    });
    expect(store.getState().quotes.get('AAPL')).toMatchObject({ last: 15, version: 1 });

    advance(16);
    for (const row of rows) row.sendQuote(quote(6_000, 9));
    scheduler.runFrame();
    expect(notifications()).toBe(before + 1); // held back, with a frame booked to catch up
    expect(scheduler.pending).toBe(1);
    advance(QUOTE_REFRESH_MS);
    scheduler.runFrame();
    expect(notifications()).toBe(before + 2);
    expect(store.getState().quotes.get('AAPL')).toMatchObject({
      last: 9,
      direction: -1,
      version: 2,
    });
  });

  it('keeps what a chart had when it becomes a quote row, and takes the snapshot when charted again', () => {
    const { feed, store, bridge } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
    });
    const btc = feed.sub('BTC-USD');
    btc.sendSnapshot(snapshot(BTC.id, [500, 510, 505]));
    const ticks = () => bridge.series('BTC-USD')?.ticks.size;
    expect(ticks()).toBe(3);

    store.getState().focus('ETH-USD');
    expect(btc.view).toBe(View.Quote);
    btc.sendQuoteSnapshot(
      quoteSnapshot({
        from: 10_000,
        closes: [505],
        session: session({ last: 505, tradeCount: 3 }),
      }),
    );
    btc.sendQuote(quote(11_000, 520));
    expect(ticks()).toBe(4); // the snapshot's ticks, then the quote's trade
    expect(bridge.series('BTC-USD')?.session.last).toBe(520);

    store.getState().focus('BTC-USD');
    expect(btc.view).toBe(View.Chart);
    btc.sendSnapshot(snapshot(BTC.id, [600]));
    expect(ticks()).toBe(1);
    expect(bridge.series('BTC-USD')?.session.last).toBe(600);
  });

  it('commits nothing while paused, then everything at once on resume', () => {
    const { feed, store, scheduler, notifications } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
    });
    scheduler.runFrame();
    store.getState().setPaused(true);
    const before = notifications();
    feed.sub('BTC-USD').sendTicks([[1_000, 100]]);
    feed.sub('ETH-USD').sendQuote(quote(1_000, 200));
    scheduler.runFrame();
    feed.sub('BTC-USD').sendTicks([[1_100, 101]]);
    scheduler.runFrame();
    expect(notifications()).toBe(before);
    expect(store.getState().quotes.get('BTC-USD')?.last).toBeNull();
    expect(store.getState().quotes.get('ETH-USD')?.last).toBeNull();
    expect(scheduler.pending).toBe(0); // no frames spent while paused

    store.getState().setPaused(false);
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')).toMatchObject({
      last: 101,
      tradeCount: 2,
      version: 1,
    });
    expect(store.getState().quotes.get('ETH-USD')).toMatchObject({ last: 200, version: 1 });
  });
});

describe('FeedBridge chart throttling', () => {
  it(`updates quotes and redraws a chart at most every ${CHART_REFRESH_MS} ms, catching up once due`, () => {
    const { feed, store, scheduler, advance } = started();
    const btc = feed.sub('BTC-USD');
    const version = () => store.getState().chartVersions.get('BTC-USD') ?? 0;
    btc.sendTicks([[1_000, 100]]);
    scheduler.runFrame();
    expect(version()).toBe(1);

    advance(16);
    btc.sendTicks([[1_016, 101]]);
    scheduler.runFrame();
    expect(version()).toBe(1); // too soon: the chart and the quote wait
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(100);
    expect(scheduler.pending).toBe(1); // and a frame is booked to catch up

    advance(Math.max(CHART_REFRESH_MS, QUOTE_REFRESH_MS));
    scheduler.runFrame();
    expect(version()).toBe(2);
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(101);
    expect(scheduler.pending).toBe(0);
  });

  it(`redraws at most ${CHARTS_PER_FRAME} charts per frame in the grid, the rest in later frames`, () => {
    const many = manySymbols(5);
    const { feed, store, scheduler } = started(
      { watchlist: many.map((s) => s.ticker), layout: 'grid' },
      many,
    );
    for (const symbol of many) feed.sub(symbol.ticker).sendTicks([[1_000, 100]]);
    scheduler.runFrame();
    expect(store.getState().chartVersions.size).toBe(CHARTS_PER_FRAME);
    expect(store.getState().quotes.get('S4')?.last).toBe(100); // quotes are never held back
    const frames = Math.ceil(many.length / CHARTS_PER_FRAME);
    for (let frame = 1; frame < frames; frame++) scheduler.runFrame();
    expect(store.getState().chartVersions.size).toBe(many.length);
    expect(scheduler.pending).toBe(0);
  });

  it('takes grid charts in turn, so slow frames never starve the last one', () => {
    const many = manySymbols(5);
    const { feed, store, scheduler, advance } = started(
      { watchlist: many.map((s) => s.ticker), layout: 'grid' },
      many,
    );
    const last = many[many.length - 1]?.ticker ?? '';
    // Frames so slow that the first charts are due again before the last has had a turn,
    // and every chart has new ticks in every frame.
    const frameMs = GRID_CHART_REFRESH_MS / 2;
    for (let frame = 0; frame < many.length; frame++) {
      for (const symbol of many) {
        feed.sub(symbol.ticker).sendTicks([[1_000 + frame * frameMs, 100 + frame]]);
      }
      scheduler.runFrame();
      advance(frameMs);
    }
    expect(store.getState().chartVersions.get(last) ?? 0).toBeGreaterThan(0);
  });

  it('draws only charted symbols: the focused one in the single layout', () => {
    const { feed, store, scheduler } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'ETH-USD',
    });
    feed.sub('BTC-USD').sendQuote(quote(1_000, 100));
    feed.sub('ETH-USD').sendTicks([[1_000, 100]]);
    scheduler.runFrame();
    expect(store.getState().quotes.get('BTC-USD')?.last).toBe(100);
    expect([...store.getState().chartVersions.keys()]).toEqual(['ETH-USD']);
  });

  it('draws a newly focused chart at once, before its chart snapshot arrives', () => {
    const { feed, store, scheduler } = started({
      watchlist: ['BTC-USD', 'ETH-USD'],
      focused: 'BTC-USD',
    });
    feed.sub('ETH-USD').sendQuote(quote(1_000, 100));
    scheduler.runFrame();
    expect(store.getState().chartVersions.has('ETH-USD')).toBe(false);
    store.getState().focus('ETH-USD');
    scheduler.runFrame();
    expect(store.getState().chartVersions.get('ETH-USD')).toBe(1);
  });
});

/** A TradeSink that keeps a copy of what it is handed (the bridge reuses its columns). */
class RecordingSink implements TradeSink {
  readonly trades: Array<[time: number, price: number, size: number]> = [];
  readonly calls: number[] = [];
  restarts = 0;

  addTrades(
    time: ArrayLike<number>,
    price: ArrayLike<number>,
    size: ArrayLike<number>,
    count: number,
  ): void {
    this.calls.push(count);
    for (let i = 0; i < count; i++) {
      this.trades.push([time[i] ?? Number.NaN, price[i] ?? Number.NaN, size[i] ?? Number.NaN]);
    }
  }

  restartLive(): void {
    this.restarts += 1;
  }
}

describe('FeedBridge trade sinks', () => {
  const two = { watchlist: ['BTC-USD', 'ETH-USD'], focused: 'BTC-USD' };

  it("hands a sink every batch of its ticker, and no other ticker's", () => {
    const { feed, bridge } = started({ ...two, layout: 'grid' });
    const sink = new RecordingSink();
    bridge.watchTrades('BTC-USD', sink);
    feed.sub('BTC-USD').sendTicks([
      [1_000, 100, 2],
      [1_010, 101, 3],
    ]);
    feed.sub('ETH-USD').sendTicks([[1_020, 999, 9]]);
    feed.sub('BTC-USD').sendTicks([[1_030, 102, 1]]);
    expect(sink.calls).toEqual([2, 1]);
    expect(sink.trades).toEqual([
      [1_000, 100, 2],
      [1_010, 101, 3],
      [1_030, 102, 1],
    ]);
    expect(sink.restarts).toBe(0);
  });

  it('skips an empty batch', () => {
    const { feed, bridge } = started();
    const sink = new RecordingSink();
    bridge.watchTrades('BTC-USD', sink);
    feed.sub('BTC-USD').sendTicks([]);
    expect(sink.calls).toEqual([]);
  });

  it('hands a quote over as one trade of no size at its last time and price', () => {
    const { feed, bridge } = started(two);
    const sink = new RecordingSink();
    bridge.watchTrades('ETH-USD', sink);
    const eth = feed.sub('ETH-USD');
    eth.sendQuote(quote(5_000, 2_010, { volume: 40 }));
    eth.sendQuote(quote(5_250, 2_020, { volume: 42 }));
    expect(sink.calls).toEqual([1, 1]);
    expect(sink.trades).toEqual([
      [5_000, 2_010, 0],
      [5_250, 2_020, 0],
    ]);
  });

  it('restarts a sink on every chart snapshot and quote snapshot', () => {
    const { feed, store, bridge } = started(two);
    const sink = new RecordingSink();
    bridge.watchTrades('BTC-USD', sink);
    const btc = feed.sub('BTC-USD');
    btc.sendSnapshot(snapshot(BTC.id, [500, 510]));
    expect(sink.restarts).toBe(1);
    // A snapshot is a restart, not trades.
    expect(sink.calls).toEqual([]);
    btc.sendSnapshot(snapshot(BTC.id, [520]));
    expect(sink.restarts).toBe(2);

    store.getState().focus('ETH-USD');
    btc.sendQuoteSnapshot(quoteSnapshot({ session: session({ last: 530, tradeCount: 1 }) }));
    expect(sink.restarts).toBe(3);
    expect(sink.calls).toEqual([]);
  });

  it('follows a compared symbol off the watchlist, watched before it was compared', () => {
    const { feed, store, bridge } = started();
    const sink = new RecordingSink();
    bridge.watchTrades('AAPL', sink);
    store.getState().setCompare(['AAPL']);
    const aapl = feed.sub('AAPL');
    aapl.sendQuoteSnapshot(quoteSnapshot({ session: session({ last: 150, tradeCount: 1 }) }));
    aapl.sendQuote(quote(7_000, 151));
    expect(sink.restarts).toBe(1);
    expect(sink.trades).toEqual([[7_000, 151, 0]]);
  });

  it('stops handing trades to a sink once stopped, and only to that sink', () => {
    const { feed, bridge } = started();
    const stopped = new RecordingSink();
    const kept = new RecordingSink();
    const stop = bridge.watchTrades('BTC-USD', stopped);
    bridge.watchTrades('BTC-USD', kept);
    const btc = feed.sub('BTC-USD');
    btc.sendTicks([[1_000, 100]]);
    stop();
    stop(); // twice is harmless
    btc.sendTicks([[1_100, 101]]);
    btc.sendSnapshot(snapshot(BTC.id, [102]));
    expect(stopped.trades).toEqual([[1_000, 100, 1]]);
    expect(stopped.restarts).toBe(0);
    expect(kept.trades).toEqual([
      [1_000, 100, 1],
      [1_100, 101, 1],
    ]);
    expect(kept.restarts).toBe(1);
  });

  it('keeps a later sink when an earlier, already stopped one is stopped again', () => {
    const { feed, bridge } = started();
    const first = new RecordingSink();
    const stopFirst = bridge.watchTrades('BTC-USD', first);
    stopFirst();
    const second = new RecordingSink();
    bridge.watchTrades('BTC-USD', second);
    stopFirst();
    feed.sub('BTC-USD').sendTicks([[1_000, 100]]);
    expect(second.trades).toEqual([[1_000, 100, 1]]);
    expect(first.trades).toEqual([]);
  });
});
