/** A colour as sRGB channels 0–255 and an alpha 0–1. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

const HEX = /^#([0-9a-f]{6})$/i;
const RGBA = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/i;

/** Reads the colour forms the palette uses: `#rrggbb`, `rgb(…)` and `rgba(…)`. */
export function parseColor(text: string): Rgba {
  const hex = HEX.exec(text.trim())?.[1];
  if (hex !== undefined) {
    const channel = (at: number) => parseInt(hex.slice(at, at + 2), 16);
    return { r: channel(0), g: channel(2), b: channel(4), a: 1 };
  }
  const rgba = RGBA.exec(text.trim());
  if (rgba) {
    const [, r, g, b, a] = rgba;
    return { r: Number(r), g: Number(g), b: Number(b), a: a === undefined ? 1 : Number(a) };
  }
  throw new Error(`not a colour this check reads: "${text}"`);
}

/** `top` painted over the opaque `under` (source-over compositing). */
export function composite(top: Rgba, under: Rgba): Rgba {
  const mix = (front: number, back: number) => front * top.a + back * (1 - top.a);
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a: 1 };
}

/** Relative luminance, WCAG 2.2 "relative luminance" (sRGB, threshold 0.04045). */
function luminance({ r, g, b }: Rgba): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The WCAG contrast ratio of two opaque colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(one: Rgba, other: Rgba): number {
  if (one.a !== 1 || other.a !== 1) {
    throw new Error('contrast is between opaque colours: composite a translucent one first');
  }
  const [light, dark] = [luminance(one), luminance(other)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}
