/**
 * What the user chose to draw, as plain serialisable values: the toolbar builds them, the link
 * and localStorage carry them in a compact text form (`sma20,ema50,bb20-2,vwap,vma20`), and
 * `createIndicator` turns one into an `Indicator`.
 *
 * To add a kind: a member of `IndicatorSpec`, a case in `checkIndicatorSpec`, `formatIndicator`
 * and `parseIndicator` (keep its text form free of `,`), an indicator class and its case in
 * `createIndicator`.
 */
export type IndicatorSpec =
  | { readonly kind: 'sma'; readonly period: number }
  | { readonly kind: 'ema'; readonly period: number }
  | { readonly kind: 'bb'; readonly period: number; readonly width: number }
  | { readonly kind: 'vwap' }
  | { readonly kind: 'vma'; readonly period: number };

export type IndicatorKind = IndicatorSpec['kind'];

/** What the toolbar may offer and a link may ask for. */
export const INDICATOR_LIMITS = {
  minPeriod: 2,
  maxPeriod: 500,
  /** Bollinger width k in standard deviations, in steps of 0.1. */
  minBandWidth: 0.5,
  maxBandWidth: 5,
  /** More lines than this make the chart unreadable and each costs work per tick. */
  maxIndicators: 8,
} as const;

/** Periods the toolbar offers first: the ones traders commonly use. */
export const DEFAULT_PERIODS: readonly number[] = [9, 20, 50, 100, 200];

/** Bollinger's own choice (20 candles, 2 standard deviations). */
export const DEFAULT_BAND_WIDTH = 2;

/** A starting menu for the toolbar, one of each kind at its usual settings. */
export const SUGGESTED_INDICATORS: readonly IndicatorSpec[] = [
  { kind: 'sma', period: 20 },
  { kind: 'sma', period: 50 },
  { kind: 'ema', period: 20 },
  { kind: 'ema', period: 50 },
  { kind: 'bb', period: 20, width: DEFAULT_BAND_WIDTH },
  { kind: 'vwap' },
  { kind: 'vma', period: 20 },
];

/** The parsed indicators of a link or of saved settings. */
export interface ParsedIndicators {
  readonly specs: readonly IndicatorSpec[];
  /** Things in the text that could not be used, to tell the user. */
  readonly problems: readonly string[];
}

const PERIOD_PROBLEM = `period must be a whole number from ${INDICATOR_LIMITS.minPeriod} to ${INDICATOR_LIMITS.maxPeriod}`;
const WIDTH_PROBLEM = `band width must be from ${INDICATOR_LIMITS.minBandWidth} to ${INDICATOR_LIMITS.maxBandWidth}, with at most one decimal`;
/** Long enough for any valid item; a pasted essay is cut so the message stays readable. */
const MAX_SHOWN_LENGTH = 24;

/** Why `spec` is outside the limits, or undefined when it is fine. */
export function checkIndicatorSpec(spec: IndicatorSpec): string | undefined {
  switch (spec.kind) {
    case 'vwap':
      return undefined;
    case 'sma':
    case 'ema':
    case 'vma':
      return isPeriod(spec.period) ? undefined : PERIOD_PROBLEM;
    case 'bb':
      if (!isPeriod(spec.period)) return PERIOD_PROBLEM;
      return isBandWidth(spec.width) ? undefined : WIDTH_PROBLEM;
  }
}

/** The compact text form of one spec, e.g. `bb20-2.5`; also a stable key for it. */
export function formatIndicator(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case 'vwap':
      return 'vwap';
    case 'sma':
    case 'ema':
    case 'vma':
      return `${spec.kind}${spec.period}`;
    case 'bb':
      return `bb${spec.period}-${formatBandWidth(spec.width)}`;
  }
}

/** The compact text form of a list, comma-separated: `sma20,ema50,bb20-2,vwap,vma20`. */
export function formatIndicators(specs: readonly IndicatorSpec[]): string {
  return specs.map(formatIndicator).join(',');
}

/**
 * Reads `formatIndicators` text from a link or from saved settings. Items are trimmed and read
 * case-insensitively; empty items (a trailing comma) are skipped. Malformed or out-of-limit
 * items, duplicates and items beyond `maxIndicators` are dropped, each with a problem.
 */
export function parseIndicators(text: string): ParsedIndicators {
  const specs: IndicatorSpec[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const beyondLimit: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const parsed = parseIndicator(item.toLowerCase());
    if (typeof parsed === 'string') {
      problems.push(`Ignored indicator in the link: ${shown(item)} (${parsed})`);
      continue;
    }
    const key = formatIndicator(parsed);
    if (seen.has(key)) {
      problems.push(`Ignored duplicate indicator in the link: ${shown(item)}`);
      continue;
    }
    seen.add(key);
    if (specs.length < INDICATOR_LIMITS.maxIndicators) specs.push(parsed);
    else beyondLimit.push(shown(item));
  }
  if (beyondLimit.length > 0) {
    problems.push(
      `Ignored indicators beyond the first ${INDICATOR_LIMITS.maxIndicators} in the link: ` +
        beyondLimit.join(', '),
    );
  }
  return { specs, problems };
}

/** One lower-case item: its spec, or why it is not one. */
function parseIndicator(item: string): IndicatorSpec | string {
  if (item === 'vwap') return { kind: 'vwap' };
  const averaged = /^(sma|ema|vma)(\d+)$/.exec(item);
  if (averaged !== null) {
    const period = Number(averaged[2]);
    if (!isPeriod(period)) return PERIOD_PROBLEM;
    return averaged[1] === 'sma'
      ? { kind: 'sma', period }
      : averaged[1] === 'ema'
        ? { kind: 'ema', period }
        : { kind: 'vma', period };
  }
  const bands = /^bb(\d+)-(.*)$/.exec(item);
  if (bands !== null) {
    const period = Number(bands[1]);
    if (!isPeriod(period)) return PERIOD_PROBLEM;
    const widthText = bands[2] ?? '';
    const width = /^\d+(\.\d+)?$/.test(widthText) ? Number(widthText) : NaN;
    if (!isBandWidth(width)) return WIDTH_PROBLEM;
    return { kind: 'bb', period, width: Math.round(width * 10) / 10 };
  }
  if (/^(sma|ema|vma|bb)$/.test(item)) return `a period is missing, e.g. ${item}20`;
  if (/^bb\d+$/.test(item)) return `a band width is missing, e.g. ${item}-${DEFAULT_BAND_WIDTH}`;
  return 'not an indicator; known: sma20, ema20, bb20-2, vwap, vma20';
}

function isPeriod(period: number): boolean {
  return (
    Number.isInteger(period) &&
    period >= INDICATOR_LIMITS.minPeriod &&
    period <= INDICATOR_LIMITS.maxPeriod
  );
}

function isBandWidth(width: number): boolean {
  // Tenths are not exact in binary (0.7 * 10 is 7.000000000000001), hence the tolerance.
  const tenths = width * 10;
  return (
    width >= INDICATOR_LIMITS.minBandWidth &&
    width <= INDICATOR_LIMITS.maxBandWidth &&
    Math.abs(tenths - Math.round(tenths)) < 1e-9
  );
}

/** `2` as "2", `2.5` as "2.5", and a width off the 0.1 grid by rounding error as its tenth. */
export function formatBandWidth(width: number): string {
  return String(Math.round(width * 10) / 10);
}

function shown(item: string): string {
  return item.length <= MAX_SHOWN_LENGTH ? item : `${item.slice(0, MAX_SHOWN_LENGTH)}…`;
}
