import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../src/lib/theme';
import type { Theme } from '../src/lib/theme';
import { cssPalette } from './css-palette';
import { composite, contrastRatio, parseColor } from './wcag-contrast';

/** WCAG 2.2 SC 1.4.3 (AA) for normal-size text; every figure here is under 18 pt. */
const AA_TEXT = 4.5;
/** WCAG 2.2 SC 1.4.11 for graphical objects that carry meaning: a candle's direction. */
const AA_GRAPHICS = 3;

/**
 * What gains and losses are drawn on: panels and charts (`surface`), and the focused watchlist
 * row (`surface-2`). Nothing coloured as a gain or loss sits on the page's `bg`.
 */
const BACKGROUNDS = ['surface', 'surface-2'] as const;
const TRENDS = ['up', 'down'] as const;
const THEMES: readonly Theme[] = ['light', 'dark'];
const palette = cssPalette();

/** A colour's hue in degrees, or null for a near-grey (saturation under 0.2), which has none. */
function hueOf(color: string): number | null {
  const channels = parseColor(color);
  const [r, g, b] = [channels.r / 255, channels.g / 255, channels.b / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  if (saturation < 0.2) return null;
  const sector =
    max === r
      ? ((g - b) / chroma + 6) % 6
      : max === g
        ? (b - r) / chroma + 2
        : (r - g) / chroma + 4;
  return sector * 60;
}

/** How far apart two hues are round the colour wheel, 0 to 180 degrees. */
function hueDistance(a: number, b: number): number {
  const apart = Math.abs(a - b) % 360;
  return Math.min(apart, 360 - apart);
}

function cssColor(theme: Theme, name: string) {
  const value = palette[theme].get(name);
  if (value === undefined) throw new Error(`styles.css sets no --${name} in the ${theme} theme`);
  return parseColor(value);
}

describe.each(THEMES)('the %s theme', (theme) => {
  it.each(TRENDS.flatMap((trend) => BACKGROUNDS.map((background) => [trend, background] as const)))(
    'colours %s figures readably (AA) on --%s',
    (trend, background) => {
      const ratio = contrastRatio(cssColor(theme, trend), cssColor(theme, background));
      expect(ratio).toBeGreaterThanOrEqual(AA_TEXT);
    },
  );

  // The flash fades from full strength, under the figures (styles.css): its first frame is the
  // hardest to read.
  it.each(TRENDS.flatMap((trend) => BACKGROUNDS.map((background) => [trend, background] as const)))(
    'keeps the last price readable (AA) at the peak of a flash-%s on --%s',
    (trend, background) => {
      const flashed = composite(cssColor(theme, `flash-${trend}`), cssColor(theme, background));
      expect(contrastRatio(cssColor(theme, 'text'), flashed)).toBeGreaterThanOrEqual(AA_TEXT);
    },
  );

  it.each(TRENDS)("writes the chart's last price readably (AA) on its %s label", (trend) => {
    const colors = CHART_COLORS[theme];
    const ratio = contrastRatio(parseColor(colors.onTrend), parseColor(colors[trend]));
    expect(ratio).toBeGreaterThanOrEqual(AA_TEXT);
  });

  // axe cannot read contrast through an SVG, so the chart's own text is checked here.
  it("writes the chart's axis labels readably (AA)", () => {
    const ratio = contrastRatio(parseColor(CHART_COLORS[theme].axis), cssColor(theme, 'surface'));
    expect(ratio).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it.each(TRENDS)('draws %s candles distinguishable (3:1) from the chart', (trend) => {
    const ratio = contrastRatio(parseColor(CHART_COLORS[theme][trend]), cssColor(theme, 'surface'));
    expect(ratio).toBeGreaterThanOrEqual(AA_GRAPHICS);
  });

  // The legend writes their figures in these colours over the chart.
  it.each(['indicators', 'compares'] as const)('writes the legend of %s readably (AA)', (lines) => {
    for (const color of CHART_COLORS[theme][lines]) {
      const ratio = contrastRatio(parseColor(color), cssColor(theme, 'surface'));
      expect(ratio, color).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  // A compared symbol's line and legend figure must not read as a gain, a loss, an alert or the
  // symbol's own price line.
  it('keeps compared lines 25° of hue away from gains, losses, alerts and the price line', () => {
    const colors = CHART_COLORS[theme];
    const meanings = [colors.up, colors.down, colors.alert, colors.line];
    for (const compare of colors.compares) {
      const hue = hueOf(compare);
      if (hue === null) continue;
      for (const meaning of meanings) {
        const taken = hueOf(meaning) as number;
        expect(hueDistance(hue, taken), `${compare} against ${meaning}`).toBeGreaterThanOrEqual(25);
      }
    }
  });
});
