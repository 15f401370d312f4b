// The quick mode of `npm run bench`, end to end: five real servers, the compiled C load
// generator, autocannon against the history API, /proc accounting and the report. It keeps the
// harness from rotting; its figures prove nothing about speed (npm test runs every suite at
// once), only that each is measured.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../src/bench.js';
import type { Written } from '../src/bench.js';
import { CONTENDERS } from '../src/contenders.js';
import { QUICK_PLAN } from '../src/plan.js';
import { stormFailed } from '../src/storm.js';

const outDir = mkdtempSync(join(tmpdir(), 'ticker-bench-test-'));
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  let written: Written;

  it('measures every server and writes the JSON and the table', async () => {
    const lines: string[] = [];
    written = await runBench(QUICK_PLAN, outDir, (line) => lines.push(line));
    expect(lines[0]).toMatch(/ on .+, \d+ cores, .*Node v\d+.*socket\.io 4\.8\.4/);
    expect(existsSync(written.jsonPath)).toBe(true);
    const stored = JSON.parse(readFileSync(written.jsonPath, 'utf8')) as Written['results'];
    expect(stored.runs).toHaveLength(CONTENDERS.length);
    const markdown = readFileSync(written.markdownPath, 'utf8');
    for (const { name } of CONTENDERS) expect(markdown).toContain(`| \`${name}\` | 100 |`);
  });

  it('delivers every subscribed tick of the feed server, in order, within a few flushes', () => {
    const ours = written.results.runs.find((r) => r.contender === 'ticker');
    expect(ours).toMatchObject({ lost: 0, outOfOrder: 0, disconnects: 0, serverErrors: 0 });
    // 100 clients × 20 of 500 symbols × 10,000 ticks/s offers 40,000 ticks/s.
    expect(ours?.offeredTicksPerSecond).toBe(40_000);
    expect(ours?.deliveredTicksPerSecond).toBeGreaterThan(20_000);
    expect(ours?.latencyMs.p50).toBeGreaterThan(0);
    expect(ours?.latencyMs.p50).toBeLessThan(1_000);
  });

  it('reads each wire format: batches cost a few bytes a tick, JSON tens', () => {
    for (const run of written.results.runs) {
      expect(run.deliveredTicksPerSecond, run.contender).toBeGreaterThan(0);
      expect(run.serverCpuNsPerTick, run.contender).toBeGreaterThan(0);
      expect(run.outOfOrder, run.contender).toBe(0);
      const binary = run.contender === 'ticker' || run.contender === 'ws-batch';
      if (binary) expect(run.bytesPerTick, run.contender).toBeLessThan(30);
      else expect(run.bytesPerTick, run.contender).toBeGreaterThan(60);
    }
  });

  it('storms the feed server: every client holds its 20 chart snapshots, timed', () => {
    const charts = written.results.storms?.filter((s) => s.view === 'chart') ?? [];
    expect(charts).toHaveLength(QUICK_PLAN.storm.concurrency.length);
    for (const storm of charts) {
      if (stormFailed(storm)) throw new Error(`the quick storm failed: ${storm.failure}`);
      expect(storm).toMatchObject({ clients: QUICK_PLAN.storm.clients, sourceAddresses: 8 });
      expect(storm.snapshots).toBe(QUICK_PLAN.storm.clients * QUICK_PLAN.storm.symbolsPerClient);
      // 60 s of warm-up at 10,000 ticks/s: 1,200 ticks and 60 candles a symbol, KBs each.
      expect(storm.snapshotBytes / storm.snapshots).toBeGreaterThan(1_000);
      expect(storm.readyMs.p50).toBeGreaterThan(0);
      expect(storm.readyMs.p50).toBeLessThanOrEqual(storm.readyMs.p99);
      expect(storm.readyMs.p99).toBeLessThanOrEqual(storm.readyMs.max);
      expect(storm.serverCpuMs).toBeGreaterThan(0);
    }
    expect(readFileSync(written.markdownPath, 'utf8')).toContain('## Reconnect storm');
  });

  it("measures the storms' connects alone, on ticker and on a bare uWS.js server", () => {
    const connects = written.results.connectStorms ?? [];
    expect(connects.map((s) => s.server).sort()).toEqual(['ticker', 'uws-json']);
    for (const storm of connects) {
      expect(storm.failure, storm.server).toBeNull();
      expect(storm.clients).toBe(QUICK_PLAN.storm.clients);
      expect(storm.handshakeMs.p50).toBeGreaterThan(0);
      expect(storm.handshakeMs.p99).toBeLessThanOrEqual(storm.handshakeMs.max);
    }
    expect(readFileSync(written.markdownPath, 'utf8')).toContain('### Connects alone');
  });

  it('runs the quote scenarios, skipping them only for a server whose hello lacks views', () => {
    const { serverViews, skipped = [], storms = [], viewers = [] } = written.results;
    if (serverViews?.views === true) {
      // Views announced: nothing may be skipped; quotes and viewers measured.
      expect(skipped).toEqual([]);
      const quotes = storms.filter((s) => s.view === 'quote');
      expect(quotes.map((s) => (stormFailed(s) ? s.failure : s.snapshots))).toEqual(
        QUICK_PLAN.storm.concurrency.map(() => QUICK_PLAN.storm.clients * 20),
      );
      expect(viewers.map((r) => r.kind)).toEqual(['charts', 'viewers']);
      const viewer = viewers.find((r) => r.kind === 'viewers');
      expect(viewer?.quotesPerSecond).toBeGreaterThan(0);
      expect(viewer).toMatchObject({ lost: 0, serverErrors: 0, disconnects: 0 });
    } else {
      // Today's server: the hello has no QuoteIntervalMs (limit 7); say so, measure no quotes.
      expect(serverViews?.views).toBe(false);
      expect(skipped.map((s) => s.scenario)).toEqual(['quote storm', 'viewers']);
      for (const skip of skipped)
        expect(skip.why).toMatch(/does not announce QuoteIntervalMs \(limit 7/);
      expect(storms.filter((s) => s.view === 'quote')).toEqual([]);
      expect(viewers).toEqual([]);
    }
  });

  it('runs the history API beside the feed: every phase answered, the feed intact', () => {
    const [run] = written.results.api ?? [];
    if (run === undefined) throw new Error('the quick run has no history API run');
    // A fresh server of either market has every day since 2016: a full year of them.
    expect(run.startup.map((s) => [s.market, s.candles])).toEqual([
      ['built-in', 365],
      ['bench', 365],
    ]);
    expect(run.phases.map((p) => p.phase)).toEqual(['baseline', 'paced', 'throughput']);
    for (const phase of run.phases) {
      expect(phase, phase.phase).toMatchObject({ lost: 0, disconnects: 0 });
      expect(phase.tickAgeMs.p50, phase.phase).toBeGreaterThan(0);
      if (phase.phase === 'baseline') continue;
      // The per-address budget is raised: no 429; a busy machine may see the work budget's 503s.
      expect(phase.api?.statuses['429'], phase.phase).toBeUndefined();
      expect(phase.api?.statuses['200'], phase.phase).toBeGreaterThan(0);
      expect(phase.api?.errors, phase.phase).toBe(0);
    }
    expect(run.phases[1]?.api?.byKind.map((k) => k.kind)).toEqual([
      'recent-1m',
      'recent-1d',
      'scroll-back',
      'deep',
    ]);
    expect(readFileSync(written.markdownPath, 'utf8')).toContain('## History API');
  });

  it('measures idle memory per connection for every server', () => {
    expect(written.results.idle.map((r) => r.contender)).toEqual(CONTENDERS.map((c) => c.name));
    for (const record of written.results.idle) {
      expect(record.clients).toBe(QUICK_PLAN.idleClients);
      expect(record.rssAfterBytes, record.contender).toBeGreaterThan(0);
    }
  });
});
