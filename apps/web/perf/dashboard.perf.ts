/**
 * The dashboard under a heavy feed (20,000 ticks/s, 50 watchlist rows), in four scenarios:
 * - `grid`: the grid of 12 charts, 60 s;
 * - `chart`: the focused chart with candles, volume, two indicators (SMA 20, EMA 50) and a
 *   compared symbol, 60 s; it also reports the time from navigation to the chart fully drawn
 *   with at least 200 candles, on a server whose history is warm (a first visit warmed it);
 * - `zoom-pan`: the same chart, zoomed with the wheel and dragged back and forth without pause
 *   for 30 s (half of PERF_SECONDS);
 * - `tape`: the focused chart (candles, volume, SMA 20, EMA 50, no comparison) with its time and
 *   sales open, 60 s, on a feed fast enough for the focused symbol's 1,000 trades/s or more:
 *   every tick reaching the page is a trade the tape lists (the report's page ticks/s is the
 *   focused symbol's rate, checked against those 1,000).
 * Run with `npm run perf -w @ticker/web` (never part of `npm test`); tune with PERF_TICK_RATE,
 * PERF_SECONDS, PERF_WARMUP_SECONDS, PERF_VIEWPORT (e.g. 2560x1440), PERF_SCENARIOS (e.g.
 * `chart,zoom-pan`).
 *
 * Each scenario reports and writes perf/results/<scenario>.json; it fails only when the page
 * does not load or the feed never delivers a tick batch. How each figure is taken:
 * - frames/s: a requestAnimationFrame loop installed before the app (page-probes.ts) stores
 *   every frame's timestamp; frames inside the window / window length.
 * - long tasks: PerformanceObserver 'longtask' entries starting inside the window.
 * - heap: CDP HeapProfiler.collectGarbage, then Performance.getMetrics JSHeapUsedSize, at the
 *   middle and at the end of the window. Forcing a full GC first leaves only live objects, so two
 *   samples compare what the page retains rather than where the GC cycle happened to be.
 * - main-thread busy: CDP Performance.getMetrics TaskDuration is the renderer main thread's
 *   cumulative time in tasks (script, style, layout, paint recording, GC, idle-free work), so its
 *   delta over the window divided by the frames drawn is the average work per frame, and divided
 *   by the window length the busy share. Raster and compositing run on other threads.
 * The forced GC at the middle stalls the page, so the window is two halves around it: nothing
 * that happens during the GC (its own long task, the missed frames) counts against the page.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { expect, test } from '@playwright/test';
import type { CDPSession, Locator, Page, TestInfo } from '@playwright/test';
import { FeedTap } from './feed-tap.js';
import type { FeedCounts } from './feed-tap.js';
import { readServerCounters, startFeedServer } from './feed-server.js';
import type { ServerCounters } from './feed-server.js';
import { installPageProbes, readPageProbes } from './page-probes.js';
import type { LongTask } from './page-probes.js';
import { formatReport, judge } from './report.js';
import type { ElementCount, PerfResult, Scenario } from './report.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function envViewport(): { width: number; height: number } {
  const raw = process.env.PERF_VIEWPORT ?? '1920x1080';
  const match = /^(\d+)x(\d+)$/.exec(raw);
  if (!match) throw new Error(`PERF_VIEWPORT must look like 1920x1080, got ${raw}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** The server's directory of symbols (apps/feed-server/data/symbols.json), in file order. */
function directory(): { ticker: string; activity: number }[] {
  const file = new URL('../../feed-server/data/symbols.json', import.meta.url);
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const symbols = (parsed as { symbols?: unknown }).symbols;
  if (!Array.isArray(symbols)) throw new Error(`${file.pathname} has no "symbols" array`);
  return symbols.flatMap((entry: unknown) => {
    const { ticker, activity } = entry as { ticker?: unknown; activity?: unknown };
    if (typeof ticker !== 'string') return [];
    // A symbol without an activity draws the default share of one.
    return [{ ticker, activity: typeof activity === 'number' ? activity : 1 }];
  });
}

/** The first `count` tickers of the server's directory, in file order. */
function firstTickers(count: number): string[] {
  const tickers = directory().map((symbol) => symbol.ticker);
  if (tickers.length < count)
    throw new Error(
      `the server's directory has ${tickers.length} symbols, the scenario needs ${count}`,
    );
  return tickers.slice(0, count);
}

const scenarioBase = {
  tickRate: envNumber('PERF_TICK_RATE', 20_000),
  seconds: envNumber('PERF_SECONDS', 60),
  warmupSeconds: envNumber('PERF_WARMUP_SECONDS', 5),
  watchlistRows: 50,
  viewport: envViewport(),
};

type ScenarioName = 'grid' | 'chart' | 'zoom-pan' | 'tape';
const SCENARIOS: readonly ScenarioName[] = ['grid', 'chart', 'zoom-pan', 'tape'];
const chosen = (process.env.PERF_SCENARIOS ?? SCENARIOS.join(','))
  .split(',')
  .map((name) => name.trim());
for (const name of chosen) {
  if (!SCENARIOS.includes(name as ScenarioName))
    throw new Error(`PERF_SCENARIOS names ${name}; the scenarios are ${SCENARIOS.join(', ')}`);
}

/** The focused chart's view in the chart scenarios: candles, volume, two indicators, a comparison. */
const CHART_VIEW = 'range=1D&style=candles&ind=sma20,ema50&cmp=ETH-USD';
/**
 * The tape scenario's view: the focused chart alone in the chart view (no comparison), so every
 * tick reaching the page is one of the focused symbol's trades, listed by its time and sales.
 */
const TAPE_VIEW = 'range=1D&style=candles&ind=sma20,ema50';
/** The tape's symbol: the first of the watchlist, which the chart view focuses. */
const TAPE_SYMBOL = 'BTC-USD';
/** The rate for the tape: 1,000 trades a second on the focused symbol. */
const TAPE_TRADES_PER_SECOND = 1_000;
/**
 * Room over the rate a symbol's share promises: the simulator gave BTC-USD less (1,158 ticks/s
 * of 55,385, 2.1% against a share of 2.7%), so the page would fall short without it.
 */
const TAPE_RATE_MARGIN = 1.3;

/**
 * The TICK_RATE (never below the base one) at which `ticker` draws `perSecond` ticks: a symbol's
 * share of the feed is its activity over the directory's total.
 */
function tickRateFor(ticker: string, perSecond: number): number {
  const symbols = directory();
  const symbol = symbols.find((entry) => entry.ticker === ticker);
  if (!symbol) throw new Error(`the server's directory has no ${ticker}`);
  const total = symbols.reduce((sum, entry) => sum + entry.activity, 0);
  return Math.max(
    scenarioBase.tickRate,
    Math.ceil((perSecond * total) / symbol.activity / 1_000) * 1_000,
  );
}
/** Fewest candles of a "fully drawn" chart. */
const DRAWN_CANDLES = 200;

test.use({ viewport: scenarioBase.viewport });

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });

async function cdpMetrics(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return new Map(metrics.map(({ name, value }) => [name, value]));
}

function metric(metrics: Map<string, number>, name: string): number {
  const value = metrics.get(name);
  if (value === undefined) throw new Error(`Performance.getMetrics has no ${name}`);
  return value;
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return metric(await cdpMetrics(cdp), 'JSHeapUsedSize');
}

/** Everything read at one boundary of the window, as close together as possible. */
interface Mark {
  readonly pageNow: number;
  readonly metrics: Map<string, number>;
  readonly feed: FeedCounts;
  readonly server: ServerCounters;
}

async function mark(page: Page, cdp: CDPSession, tap: FeedTap, url: string): Promise<Mark> {
  const [pageNow, metrics] = await Promise.all([
    page.evaluate(() => performance.now()),
    cdpMetrics(cdp),
  ]);
  return { pageNow, metrics, feed: tap.counts(), server: await readServerCounters(url) };
}

/** Counts elements three ways: in the DOM, with a box (Playwright), and at least partly on screen. */
async function countElements(elements: Locator): Promise<ElementCount> {
  const [rendered, visible, onScreen] = await Promise.all([
    elements.count(),
    elements.filter({ visible: true }).count(),
    elements.evaluateAll(
      (nodes) =>
        nodes.filter((node) => {
          const box = node.getBoundingClientRect();
          return (
            box.width > 0 &&
            box.height > 0 &&
            box.bottom > 0 &&
            box.right > 0 &&
            box.top < window.innerHeight &&
            box.left < window.innerWidth
          );
        }).length,
    ),
  ]);
  return { rendered, visible, onScreen };
}

async function countScenario(
  page: Page,
): Promise<{ watchlistRows: ElementCount; charts: ElementCount }> {
  // Body rows only: a header row holds column headers and no cells.
  const rows = page
    .getByRole('table', { name: 'Watchlist' })
    .getByRole('row')
    .filter({ hasNot: page.getByRole('columnheader') });
  const charts = page.locator('section[aria-label$=" chart"]');
  return { watchlistRows: await countElements(rows), charts: await countElements(charts) };
}

const inWindows = (time: number, windows: readonly (readonly [number, number])[]): boolean =>
  windows.some(([start, end]) => time >= start && time < end);

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface ScenarioSpec {
  readonly name: ScenarioName;
  readonly layout: 'grid' | 'single';
  readonly charts: number;
  readonly seconds: number;
  /** The server's TICK_RATE, when not the base one. */
  readonly tickRate?: number;
  /** Ticks/s the page must receive, where the scenario asks for a rate. */
  readonly pageTicksPerSecond?: number;
  /** The focused chart's link parameters (single layout). */
  readonly chartView?: string;
  /** Sets the page up once it is loaded, before the warm-up. */
  readonly prepare?: (page: Page) => Promise<void>;
  /** Works the page during the window (zoom and pan), until the signal aborts. */
  readonly drive?: (page: Page, signal: AbortSignal) => Promise<void>;
}

const SPECS: Readonly<Record<ScenarioName, ScenarioSpec>> = {
  grid: { name: 'grid', layout: 'grid', charts: 12, seconds: scenarioBase.seconds },
  chart: { name: 'chart', layout: 'single', charts: 1, seconds: scenarioBase.seconds },
  'zoom-pan': {
    name: 'zoom-pan',
    layout: 'single',
    charts: 1,
    seconds: scenarioBase.seconds / 2,
    drive: zoomAndPan,
  },
  tape: {
    name: 'tape',
    layout: 'single',
    charts: 1,
    seconds: scenarioBase.seconds,
    tickRate: tickRateFor(TAPE_SYMBOL, TAPE_TRADES_PER_SECOND * TAPE_RATE_MARGIN),
    pageTicksPerSecond: TAPE_TRADES_PER_SECOND,
    chartView: TAPE_VIEW,
    prepare: openTape,
  },
};

/** Opens the focused chart's time and sales, and waits until it lists trades. */
async function openTape(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Time & sales' }).click();
  await expect(page.locator('.tape-row').nth(10)).toBeAttached({ timeout: 20_000 });
}

/**
 * Zooms in and out with the wheel and drags the chart back and forth, without pause: the
 * pointer moves every 16 ms, as a hand would, so the page redraws for every frame it can.
 */
async function zoomAndPan(page: Page, signal: AbortSignal): Promise<void> {
  const surface = page.getByRole('application', { name: / chart: drag/ });
  const box = await surface.boundingBox();
  if (!box) throw new Error('the focused chart has no box');
  const y = box.y + box.height * 0.4;
  const left = box.x + box.width * 0.3;
  const right = box.x + box.width * 0.7;
  // Read through a call: the signal aborts while this loop awaits.
  const stopped = () => signal.aborted;
  while (!stopped()) {
    await page.mouse.move(right, y);
    for (let step = 0; step < 20 && !stopped(); step++) {
      await page.mouse.wheel(0, step < 10 ? -60 : 60);
      await sleep(16);
    }
    await page.mouse.down();
    for (let step = 0; step <= 30 && !stopped(); step++) {
      const share = step <= 15 ? step / 15 : (30 - step) / 15;
      await page.mouse.move(right - (right - left) * share, y);
      await sleep(16);
    }
    await page.mouse.up();
  }
}

/**
 * Navigation to the focused chart fully drawn (its history loaded and at least DRAWN_CANDLES
 * candles on screen), in ms of page time from the navigation's start.
 */
async function timeToDrawnChart(page: Page, url: string): Promise<number> {
  await page.goto(url);
  const drawnAt = await page.waitForFunction(
    (fewest) => {
      const figure = document.querySelector('figure.trading-chart');
      if (!figure) return false;
      const ready = figure.getAttribute('data-status') === 'ready';
      const candles = Number(figure.getAttribute('data-candles') ?? 0);
      return ready && candles >= fewest && figure.querySelector('path.candles-up') !== null
        ? performance.now()
        : false;
    },
    DRAWN_CANDLES,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await drawnAt.jsonValue()) as number;
}

for (const name of chosen as ScenarioName[]) {
  test(`dashboard under a heavy feed: ${name}`, async ({ page, browserName }, testInfo) => {
    expect(browserName).toBe('chromium'); // CDP metrics below exist only there
    const spec = SPECS[name];
    const { warmupSeconds } = scenarioBase;
    test.setTimeout((warmupSeconds + spec.seconds) * 1_000 + 180_000);
    await measureScenario(page, testInfo, spec);
  });
}

async function measureScenario(page: Page, testInfo: TestInfo, spec: ScenarioSpec): Promise<void> {
  const { warmupSeconds } = scenarioBase;
  const tickRate = spec.tickRate ?? scenarioBase.tickRate;
  const seconds = spec.seconds;
  const server = await startFeedServer({ TICK_RATE: String(tickRate) });
  try {
    const tickers = firstTickers(scenarioBase.watchlistRows);
    const view =
      spec.layout === 'grid' ? 'layout=grid' : `layout=single&${spec.chartView ?? CHART_VIEW}`;
    const url = `${server.url}?symbols=${tickers.map(encodeURIComponent).join(',')}&${view}`;

    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const tap = new FeedTap(page);
    await page.addInitScript(installPageProbes);

    const response = await page.goto(url);
    expect(response?.ok(), `GET ${url} answered ${String(response?.status())}`).toBe(true);
    // The first visit warmed the server's history; the second is the one a returning user sees.
    const timeToChartMs = spec.layout === 'single' ? await timeToDrawnChart(page, url) : null;
    const scenario: Scenario = {
      ...scenarioBase,
      tickRate,
      name: spec.name,
      seconds,
      charts: spec.charts,
      url,
      timeToChartMs,
      pageTicksPerSecond: spec.pageTicksPerSecond ?? null,
    };
    await expect
      .poll(() => tap.counts().tickBatches, {
        message: 'the feed never delivered a tick batch to the page',
        timeout: 20_000,
      })
      .toBeGreaterThan(0);

    await spec.prepare?.(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await sleep(warmupSeconds * 1_000);

    const atStart = await countScenario(page);
    tap.resetSymbols();
    const startedAt = new Date().toISOString();
    const driving = new AbortController();
    const drive = spec.drive?.(page, driving.signal) ?? Promise.resolve();
    const start = await mark(page, cdp, tap, server.url);
    await sleep((seconds * 1_000) / 2);
    const mid = await mark(page, cdp, tap, server.url);
    const heapMid = await heapAfterGc(cdp);
    const resume = await mark(page, cdp, tap, server.url);
    await sleep(seconds * 1_000 - (mid.pageNow - start.pageNow));
    const end = await mark(page, cdp, tap, server.url);
    driving.abort();
    await drive;
    const heapEnd = await heapAfterGc(cdp);
    const atEnd = await countScenario(page);
    const probes = await page.evaluate(readPageProbes, start.pageNow);

    const windows = [
      [start.pageNow, mid.pageNow],
      [resume.pageNow, end.pageNow],
    ] as const;
    const measuredMs = windows.reduce((sum, [from, to]) => sum + (to - from), 0);
    // Intervals within each half only: the pair straddling the GC is not one the page produced.
    const framesByWindow = windows.map(([from, to]) =>
      probes.frameTimes.filter((time) => time >= from && time < to),
    );
    const frameCount = framesByWindow.reduce((sum, times) => sum + times.length, 0);
    const intervals = framesByWindow
      .flatMap((times) => times.slice(1).map((time, i) => time - (times[i] ?? time)))
      .sort((a, b) => a - b);
    /** Page time to milliseconds into the measured window, the GC pause left out. */
    const windowOffset = (time: number): number =>
      time < resume.pageNow
        ? time - start.pageNow
        : time - resume.pageNow + (mid.pageNow - start.pageNow);
    const longTasks = probes.longTasks.filter((task: LongTask) => inWindows(task.start, windows));
    const delta = (name: string): number =>
      metric(mid.metrics, name) -
      metric(start.metrics, name) +
      (metric(end.metrics, name) - metric(resume.metrics, name));
    const perFrame = (name: string): number => (delta(name) * 1_000) / Math.max(frameCount, 1);
    const feedSeconds = (end.feed.at - start.feed.at) / 1_000;
    const serverSeconds = (end.server.at - start.server.at) / 1_000;
    const browser = page.context().browser();

    const measured: Omit<PerfResult, 'verdicts'> = {
      scenario,
      environment: {
        browser: `Chromium ${browser?.version() ?? '?'}`,
        headless: true,
        node: process.version,
        cpus: cpus().length,
        startedAt,
      },
      page: {
        watchlistRows: { atStart: atStart.watchlistRows, atEnd: atEnd.watchlistRows },
        charts: { atStart: atStart.charts, atEnd: atEnd.charts },
        errors,
      },
      feed: {
        serverTicksPerSecond:
          (end.server.ticksGenerated - start.server.ticksGenerated) / serverSeconds,
        pageTicksPerSecond: (end.feed.ticks - start.feed.ticks) / feedSeconds,
        pageFramesPerSecond: (end.feed.frames - start.feed.frames) / feedSeconds,
        pageBytesPerSecond: (end.feed.bytes - start.feed.bytes) / feedSeconds,
        symbolsStreaming: tap.symbols.size,
        slowConsumerPauses: end.server.slowConsumerPauses - start.server.slowConsumerPauses,
        decodeErrors: end.feed.decodeErrors,
      },
      measuredMs,
      frames: {
        count: frameCount,
        perSecond: (frameCount * 1_000) / measuredMs,
        medianIntervalMs: quantile(intervals, 0.5),
        p95IntervalMs: quantile(intervals, 0.95),
        maxIntervalMs: intervals.at(-1) ?? 0,
      },
      longTasks: {
        count: longTasks.length,
        longestMs: Math.max(0, ...longTasks.map((task) => task.duration)),
        totalMs: longTasks.reduce((sum, task) => sum + task.duration, 0),
        first: longTasks.slice(0, 20).map((task) => ({
          atSeconds: windowOffset(task.start) / 1_000,
          durationMs: task.duration,
        })),
      },
      heap: {
        midBytes: heapMid,
        endBytes: heapEnd,
        growthPercent: ((heapEnd - heapMid) / heapMid) * 100,
      },
      mainThread: {
        busyMs: delta('TaskDuration') * 1_000,
        busyMsPerFrame: perFrame('TaskDuration'),
        busyShare: (delta('TaskDuration') * 1_000) / measuredMs,
        scriptMsPerFrame: perFrame('ScriptDuration'),
        layoutMsPerFrame: perFrame('LayoutDuration'),
        styleMsPerFrame: perFrame('RecalcStyleDuration'),
      },
    };
    const result: PerfResult = { ...measured, verdicts: judge(measured) };

    const report = formatReport(result);
    const resultsDir = new URL('results/', import.meta.url);
    mkdirSync(resultsDir, { recursive: true });
    // Three decimals are more than any of these figures can resolve.
    const rounded = (_key: string, value: unknown): unknown =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e3) / 1e3 : value;
    const file = `${spec.name}.json`;
    writeFileSync(new URL(file, resultsDir), `${JSON.stringify(result, rounded, 2)}\n`);
    process.stdout.write(`\n${report}\nWritten to perf/results/${file}\n`);
    await testInfo.attach('report', { body: report, contentType: 'text/plain' });
  } finally {
    await server.stop();
  }
}
