/**
 * Steps a price axis takes, per power of ten. d3's ticks step by 1, 2 and 5 only; charting
 * screens also use 2.5 (25, 250: quarters of a hundred, a thousand), which reads as naturally.
 */
const STEP_MULTIPLES = [1, 2, 2.5, 5] as const;

/** Price labels on an axis, about. */
export const PRICE_TICKS = 5;

export interface PriceTicks {
  /** The axis's span in display units: the data widened outward to whole steps. */
  readonly domain: readonly [number, number];
  /** Every step from one end of the domain to the other, in display units. */
  readonly ticks: readonly number[];
  /** Between ticks, in display units. */
  readonly step: number;
}

/**
 * "Nice" ticks for prices from `min` to `max`: about `count` labels on whole multiples of a step
 * of 1, 2, 2.5 or 5 × 10ⁿ that the symbol's prices can take (never finer than its last decimal,
 * 10^-decimals, and always a whole number of those), so every label is a round price that the
 * symbol can trade at. Worked out in whole units of the last decimal, so no label is a binary
 * float's neighbour of the price (0.30000000000000004). A range of one price gets two steps
 * around it; no prices (an empty chart), no ticks.
 */
export function priceTicks(
  min: number,
  max: number,
  decimals: number,
  count = PRICE_TICKS,
): PriceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [], step: 1 };
  const scale = 10 ** decimals;
  const low = Math.floor(Math.min(min, max) * scale + 1e-6);
  const high = Math.ceil(Math.max(min, max) * scale - 1e-6);
  const step = niceStep((high - low) / Math.max(1, count - 1));
  let first = Math.floor(low / step) * step;
  let last = Math.ceil(high / step) * step;
  if (last - first < 2 * step) {
    first -= step;
    last = Math.max(last, first + 2 * step);
  }
  const ticks: number[] = [];
  for (let tick = first; tick <= last; tick += step) ticks.push(tick / scale);
  return { domain: [first / scale, last / scale], ticks, step: step / scale };
}

/** The least nice step, in whole units of the last decimal, at least `raw` of them. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const multiple of STEP_MULTIPLES) {
    const step = multiple * power;
    if (step >= raw && Number.isInteger(step)) return step;
  }
  return 10 * power;
}

const axisFormats = new Map<number, Intl.NumberFormat>();

/** An axis price in the user's locale, with its thousands separators and the symbol's decimals. */
export function formatAxisPrice(price: number, decimals: number): string {
  let format = axisFormats.get(decimals);
  if (format === undefined) {
    format = new Intl.NumberFormat(undefined, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    axisFormats.set(decimals, format);
  }
  return format.format(price);
}
