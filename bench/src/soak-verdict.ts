// Whether a soak run passed: the server's memory levels off, and the clients that behave were
// served without a gap or a close. Pure functions of the samples, so the rule is tested apart.

/**
 * Memory has plateaued when the median RSS of the run's last third is at most
 * max(`growthFraction` × the middle third's median, `growthBytes`) above the middle third's.
 * The first third is warm-up (histories filling, JIT, the allocator finding its size) and is
 * not judged. Medians, not maxima, so one sample caught mid-GC or holding a slow reader's buffer
 * does not decide the verdict.
 */
export interface PlateauRule {
  readonly growthFraction: number;
  readonly growthBytes: number;
  /** Samples each judged third needs; fewer and the run is too short to say. */
  readonly minSamplesPerThird: number;
}

export const PLATEAU_RULE: PlateauRule = {
  growthFraction: 0.05,
  growthBytes: 4 * 1024 * 1024,
  minSamplesPerThird: 2,
};

export interface RssPoint {
  /** Seconds since the clients started. */
  readonly tS: number;
  readonly rssBytes: number;
}

export type PlateauVerdict =
  | { readonly judged: false; readonly why: string }
  | {
      readonly judged: true;
      readonly plateau: boolean;
      readonly middleMedianBytes: number;
      readonly lastMedianBytes: number;
      readonly growthBytes: number;
      readonly allowedBytes: number;
      readonly why: string;
    };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/**
 * Judges RSS over a run of `durationS` seconds: the middle third is (D/3, 2D/3], the last third
 * (2D/3, D]; samples at or before D/3 (including an idle one at 0) are warm-up.
 */
export function judgePlateau(
  points: readonly RssPoint[],
  durationS: number,
  rule: PlateauRule = PLATEAU_RULE,
): PlateauVerdict {
  const middle = points.filter((p) => p.tS > durationS / 3 && p.tS <= (2 * durationS) / 3);
  const last = points.filter((p) => p.tS > (2 * durationS) / 3 && p.tS <= durationS);
  if (middle.length < rule.minSamplesPerThird || last.length < rule.minSamplesPerThird) {
    return {
      judged: false,
      why:
        `too short to judge: ${middle.length} sample(s) in the middle third and ${last.length} in ` +
        `the last, ${rule.minSamplesPerThird} needed in each`,
    };
  }
  const middleMedianBytes = median(middle.map((p) => p.rssBytes));
  const lastMedianBytes = median(last.map((p) => p.rssBytes));
  const growthBytes = lastMedianBytes - middleMedianBytes;
  const allowedBytes = Math.max(rule.growthFraction * middleMedianBytes, rule.growthBytes);
  const plateau = growthBytes <= allowedBytes;
  const sign = growthBytes >= 0 ? '+' : '−';
  return {
    judged: true,
    plateau,
    middleMedianBytes,
    lastMedianBytes,
    growthBytes,
    allowedBytes,
    why:
      `median RSS ${mb(middleMedianBytes)} MB in the middle third, ${mb(lastMedianBytes)} MB in the ` +
      `last (${sign}${mb(Math.abs(growthBytes))} MB; at most +${mb(allowedBytes)} MB allowed): ` +
      (plateau ? 'memory plateaus' : 'memory is still growing'),
  };
}

/** What the well-behaved clients saw over the whole run. */
export interface SteadyClientsOutcome {
  /** Batches whose sequence number did not follow the previous one of their symbol. */
  readonly gaps: number;
  /** Closes by the server (or failures) while the run lasted. */
  readonly unexpectedCloses: number;
}

export interface SoakVerdict {
  readonly pass: boolean;
  /** One line per check, failed ones first. */
  readonly lines: readonly string[];
}

/**
 * The run passes when memory plateaus (or the run is too short to judge it) and the
 * well-behaved clients lost nothing: a gap or a close there means either a server bug or a
 * machine too busy for the run to mean anything, and both deserve a failing exit code.
 */
export function judgeSoak(plateau: PlateauVerdict, steady: SteadyClientsOutcome): SoakVerdict {
  const checks: { ok: boolean; line: string }[] = [
    {
      ok: !plateau.judged || plateau.plateau,
      line: `memory: ${plateau.why}`,
    },
    {
      ok: steady.gaps === 0,
      line: `well-behaved clients: ${steady.gaps} sequence gap(s)`,
    },
    {
      ok: steady.unexpectedCloses === 0,
      line: `well-behaved clients: ${steady.unexpectedCloses} unexpected close(s)`,
    },
  ];
  const sorted = [...checks.filter((c) => !c.ok), ...checks.filter((c) => c.ok)];
  return {
    pass: checks.every((c) => c.ok),
    lines: sorted.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.line}`),
  };
}
