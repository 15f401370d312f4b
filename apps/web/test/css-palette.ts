import { readFileSync } from 'node:fs';
import type { Theme } from '../src/lib/theme';

/** Where each theme's custom properties are declared in styles.css. */
const SELECTORS: Readonly<Record<Theme, string>> = {
  light: ':root',
  dark: ":root[data-theme='dark']",
};

/**
 * The custom properties (`--up: #15783a;` as `up: '#15783a'`) in effect in each theme, read
 * from the stylesheet itself so a check of them cannot drift from what the page shows. The
 * dark set overrides the light one, which it inherits from `:root` for anything it leaves out.
 */
export function cssPalette(): Readonly<Record<Theme, ReadonlyMap<string, string>>> {
  const css = readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8');
  const light = customProperties(css, SELECTORS.light);
  const dark = new Map([...light, ...customProperties(css, SELECTORS.dark)]);
  return { light, dark };
}

function customProperties(css: string, selector: string): Map<string, string> {
  const start = css.indexOf(`\n${selector} {`);
  const end = css.indexOf('}', start);
  if (start < 0 || end < 0) throw new Error(`styles.css has no "${selector} {" block`);
  const properties = new Map<string, string>();
  for (const match of css.slice(start, end).matchAll(/--([\w-]+):\s*([^;]+);/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined) properties.set(name, value.trim());
  }
  return properties;
}
