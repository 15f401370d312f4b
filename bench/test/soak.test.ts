// The soak's pure parts: its command line, the plateau rule and the pass/fail verdict, the
// histogram behind the tick ages and the /metrics reader. The soak itself runs for minutes and
// is never part of npm test (`npm run soak -w @ticker/bench`).
import { describe, expect, it } from 'vitest';
import { MsHistogram } from '../src/ms-histogram.js';
import { UsageError } from '../src/plan.js';
import { metricTotal, metricValue, parsePrometheusText } from '../src/prometheus-text.js';
import { DEFAULT_SOAK, parseSoakCommand } from '../src/soak-options.js';
import { PLATEAU_RULE, judgePlateau, judgeSoak, median } from '../src/soak-verdict.js';
import type { RssPoint } from '../src/soak-verdict.js';

const MiB = 1024 * 1024;

describe('parseSoakCommand', () => {
  it('runs 10 minutes with a sample every 10 s by default', () => {
    expect(parseSoakCommand([])).toEqual(DEFAULT_SOAK);
    expect(DEFAULT_SOAK).toMatchObject({ durationS: 600, sampleS: 10 });
  });

  it('reads every option', () => {
    expect(
      parseSoakCommand([
        '--minutes',
        '3',
        '--sample-seconds',
        '5',
        '--clients',
        '50',
        '--churn',
        '0',
        '--slow-readers',
        '2',
        '--tick-rate',
        '2000',
        '--out',
        '/tmp/soak',
        '--semi-space-mb',
        '16',
      ]),
    ).toEqual({
      durationS: 180,
      sampleS: 5,
      clients: 50,
      churnPerSecond: 0,
      slowReaders: 2,
      tickRate: 2000,
      outDir: '/tmp/soak',
      semiSpaceMb: 16,
    });
    expect(parseSoakCommand(['--seconds', '45'])).toMatchObject({ durationS: 45 });
    expect(parseSoakCommand(['--help'])).toBe('help');
  });

  it.each([
    [['--minutes', '0'], /--minutes takes an integer from 1 to 120 \(got "0"\)/],
    [['--minutes', '121'], /--minutes takes an integer from 1 to 120/],
    [['--minutes', '1.5'], /--minutes takes an integer .* \(got "1.5"\)/],
    [['--minutes', '1e1'], /--minutes takes an integer .* \(got "1e1"\)/],
    [['--minutes', ''], /--minutes takes an integer/],
    [['--seconds', '5'], /--seconds takes an integer from 10 to 7200/],
    [['--semi-space-mb', '0'], /--semi-space-mb takes an integer from 1 to 64/],
    [['--minutes', '2', '--seconds', '30'], /either --minutes or --seconds, not both/],
    [
      ['--seconds', '20', '--sample-seconds', '10'],
      /gives 2 sample\(s\) in a 20 s run; at least 3/,
    ],
    [['--clients', '-1'], /--clients takes an integer from 0 to 2000/],
    [['--churn', '101'], /--churn takes an integer from 0 to 100/],
    [['--tick-rate', 'fast'], /--tick-rate takes an integer from 1 to 200000 \(got "fast"\)/],
    [['--out', ' '], /--out needs a directory/],
    [['--minutes'], /--minutes needs a value/],
    [['--hours', '1'], /unknown option "--hours"/],
  ])('rejects %j with a UsageError that says what is wrong', (argv, message) => {
    expect(() => parseSoakCommand(argv)).toThrow(UsageError);
    expect(() => parseSoakCommand(argv)).toThrow(message);
  });
});

/** One sample every 10 s over 600 s, RSS given by `rssAt(t)`. */
const run = (rssAt: (tS: number) => number): RssPoint[] =>
  Array.from({ length: 61 }, (_, k) => ({ tS: k * 10, rssBytes: rssAt(k * 10) }));

describe('judgePlateau', () => {
  it('passes a flat run after warm-up, however steep the warm-up', () => {
    const verdict = judgePlateau(
      run((t) => (t < 150 ? 60 * MiB + t * MiB : 210 * MiB)),
      600,
    );
    expect(verdict).toMatchObject({ judged: true, plateau: true, growthBytes: 0 });
  });

  it('fails a steady leak of 2 MB a minute and says by how much', () => {
    const verdict = judgePlateau(
      run((t) => 100 * MiB + (t / 60) * 2 * MiB),
      600,
    );
    // Medians: the middle third's at 305 s, 110.2 MiB; the last third's at 505 s, 116.8 MiB.
    expect(verdict.judged && verdict.plateau).toBe(false);
    expect(verdict.judged && verdict.growthBytes / MiB).toBeCloseTo(6.67, 1);
    expect(verdict.why).toMatch(
      /110\.2 MB in the middle third, 116\.8 MB in the last .* still growing/,
    );
  });

  it('allows 5% of the middle third or 4 MiB, whichever is more, and not a byte more', () => {
    // 100 MiB: 5 MiB allowed.
    const at = (growth: number): RssPoint[] =>
      run((t) => (t > 400 ? 100 * MiB + growth : 100 * MiB));
    expect(judgePlateau(at(5 * MiB), 600)).toMatchObject({ plateau: true, allowedBytes: 5 * MiB });
    expect(judgePlateau(at(5 * MiB + 1), 600)).toMatchObject({ plateau: false });
    // 40 MiB: 5% is 2 MiB, so the 4 MiB floor applies.
    const small = (growth: number): RssPoint[] =>
      run((t) => (t > 400 ? 40 * MiB + growth : 40 * MiB));
    expect(judgePlateau(small(4 * MiB), 600)).toMatchObject({
      plateau: true,
      allowedBytes: 4 * MiB,
    });
    expect(judgePlateau(small(4 * MiB + 1), 600)).toMatchObject({ plateau: false });
    expect(PLATEAU_RULE).toMatchObject({ growthFraction: 0.05, growthBytes: 4 * MiB });
  });

  it('judges by medians, so one spike in the last third does not fail a flat run', () => {
    const verdict = judgePlateau(
      run((t) => (t === 550 ? 400 * MiB : 100 * MiB)),
      600,
    );
    expect(verdict).toMatchObject({ judged: true, plateau: true });
  });

  it('ignores the idle sample and the first third, and shrinking memory passes', () => {
    const verdict = judgePlateau(
      run((t) => (t <= 200 ? 500 * MiB : 100 * MiB - t * 1024)),
      600,
    );
    expect(verdict).toMatchObject({ judged: true, plateau: true });
    expect(verdict.judged && verdict.growthBytes).toBeLessThan(0);
    expect(verdict.why).toMatch(/\(−0\.2 MB;/);
  });

  it('does not judge a run with fewer than two samples in a third', () => {
    const points = [10, 20, 30].map((tS) => ({ tS, rssBytes: tS * MiB }));
    const verdict = judgePlateau(points, 30);
    expect(verdict).toEqual({
      judged: false,
      why: 'too short to judge: 1 sample(s) in the middle third and 1 in the last, 2 needed in each',
    });
  });
});

describe('judgeSoak', () => {
  const flat = judgePlateau(
    run(() => 100 * MiB),
    600,
  );
  const leak = judgePlateau(
    run((t) => 100 * MiB + t * 100 * 1024),
    600,
  );
  const short = judgePlateau([], 600);

  it('passes a plateau with a clean client record', () => {
    expect(judgeSoak(flat, { gaps: 0, unexpectedCloses: 0 })).toMatchObject({ pass: true });
  });

  it('fails on growth, on a gap and on a close, listing the failure first', () => {
    const grown = judgeSoak(leak, { gaps: 0, unexpectedCloses: 0 });
    expect(grown.pass).toBe(false);
    expect(grown.lines[0]).toMatch(/^FAIL memory: .* still growing/);
    const gap = judgeSoak(flat, { gaps: 3, unexpectedCloses: 0 });
    expect(gap.pass).toBe(false);
    expect(gap.lines[0]).toBe('FAIL well-behaved clients: 3 sequence gap(s)');
    expect(judgeSoak(flat, { gaps: 0, unexpectedCloses: 1 }).pass).toBe(false);
  });

  it('lets a run too short to judge pass on its clients alone, and says so', () => {
    const verdict = judgeSoak(short, { gaps: 0, unexpectedCloses: 0 });
    expect(verdict.pass).toBe(true);
    expect(verdict.lines).toContain(
      'ok   memory: too short to judge: 0 sample(s) in the middle third and 0 in the last, 2 needed in each',
    );
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('MsHistogram', () => {
  it('gives percentiles to the millisecond, clamps, and starts over on reset', () => {
    const histogram = new MsHistogram(1_000);
    expect(histogram.percentile(99)).toBeNull();
    for (let ms = 1; ms <= 100; ms++) histogram.record(ms);
    expect(histogram.percentile(50)).toBe(50);
    expect(histogram.percentile(99)).toBe(99);
    expect(histogram.percentile(100)).toBe(100);
    histogram.record(5_000);
    histogram.record(-3);
    expect(histogram.count).toBe(102);
    expect(histogram.percentile(100)).toBe(1_000);
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.percentile(50)).toBeNull();
  });
});

describe('parsePrometheusText', () => {
  it('reads gauges, counters with labels and special values, and skips comments', () => {
    const metrics = parsePrometheusText(
      [
        '# HELP ticker_connections Open client connections.',
        '# TYPE ticker_connections gauge',
        'ticker_connections 113',
        'ticker_connections_closed_total{code="4001"} 7',
        'nodejs_eventloop_lag_p99_seconds 0.012550143',
        'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} 30',
        'weird NaN',
        'broken',
        '',
      ].join('\n'),
    );
    expect(metricValue(metrics, 'ticker_connections')).toBe(113);
    expect(metricValue(metrics, 'ticker_connections_closed_total{code="4001"}')).toBe(7);
    expect(metricValue(metrics, 'nodejs_eventloop_lag_p99_seconds')).toBeCloseTo(0.01255, 5);
    expect(metricValue(metrics, 'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"}')).toBe(
      30,
    );
    expect(metricValue(metrics, 'weird')).toBeNaN();
    expect(metrics.has('broken')).toBe(false);
    expect(metricValue(metrics, 'ticker_missing', -1)).toBe(-1);
    expect(metrics.size).toBe(5);
  });

  it('totals a labelled family without counting families that share its prefix', () => {
    const metrics = parsePrometheusText(
      [
        'ticker_slow_consumer_pauses_total{reason="buffer"} 5',
        'ticker_slow_consumer_pauses_total{reason="stalled"} 2',
        'ticker_slow_consumer_pauses_total_extra 100',
        'ticker_connections 3',
      ].join('\n'),
    );
    expect(metricTotal(metrics, 'ticker_slow_consumer_pauses_total')).toBe(7);
    expect(metricTotal(metrics, 'ticker_connections')).toBe(3);
    expect(metricTotal(metrics, 'ticker_memory_cap_drops_total')).toBe(0);
  });
});
