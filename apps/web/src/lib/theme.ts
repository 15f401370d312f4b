import { useSyncExternalStore } from 'react';
import type { ThemeChoice } from '../store/view-options';

export type Theme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

// One query object for the page: every chart reads it on each render.
let darkQuery: MediaQueryList | null = null;
function systemDarkQuery(): MediaQueryList {
  darkQuery ??= window.matchMedia(DARK_QUERY);
  return darkQuery;
}

function subscribeToSystem(callback: () => void): () => void {
  const query = systemDarkQuery();
  query.addEventListener('change', callback);
  return () => {
    query.removeEventListener('change', callback);
  };
}

function systemTheme(): Theme {
  return systemDarkQuery().matches ? 'dark' : 'light';
}

/** The theme in effect: the user's choice, else the system's (followed live). */
export function useResolvedTheme(choice: ThemeChoice): Theme {
  const system = useSyncExternalStore(subscribeToSystem, systemTheme, () => 'light' as const);
  return choice ?? system;
}

/** One theme's chart colours. */
export interface ChartColors {
  readonly line: string;
  readonly grid: string;
  readonly axis: string;
  /** Rising candles and volume, and the last price's label while the live candle rises. */
  readonly up: string;
  readonly down: string;
  readonly volume: string;
  /** The last price's figures on its `up` or `down` label: WCAG AA (4.5:1) on both. */
  readonly onTrend: string;
  /** Price alert lines, and the text on their labels. */
  readonly alert: string;
  readonly alertText: string;
  /** Text on the crosshair's labels (drawn on the axis colour). */
  readonly crosshairText: string;
  /**
   * Indicator lines, one per indicator in turn, and compared symbols' lines, apart from them.
   * The legend writes each one's figures in its colour, so every one is text: AA (4.5:1) on
   * the chart in its theme. Compared lines keep clear of the hues that mean something on this
   * chart (red and green for losses and gains, amber for alerts, the price line's blue):
   * fuchsia, cyan, grey; a rose first one read as a loss whichever way the symbol moved.
   */
  readonly indicators: readonly string[];
  readonly compares: readonly string[];
}

/**
 * Chart colours per theme. SVG presentation attributes do not resolve CSS variables, so charts
 * take concrete colours from here (the axis and line colours are styles.css's `--muted` and
 * `--accent`). test/theme-contrast.test.ts checks their contrast.
 */
export const CHART_COLORS: Readonly<Record<Theme, ChartColors>> = {
  light: {
    line: '#2563eb',
    grid: '#e5e7eb',
    axis: '#5f6873',
    // Darker than the #16a34a it was, under which white figures had 3.3:1.
    up: '#15783a',
    down: '#dc2626',
    volume: '#94a3b8',
    onTrend: '#ffffff',
    alert: '#b45309',
    alertText: '#ffffff',
    crosshairText: '#ffffff',
    // The dark theme's hues a shade or two darker: amber, cyan, lime and teal had 2.0–2.5:1.
    indicators: [
      '#b45309',
      '#7c3aed',
      '#0e7490',
      '#be185d',
      '#4d7c0f',
      '#c2410c',
      '#0f766e',
      '#9333ea',
    ],
    compares: ['#a21caf', '#0e7490', '#525252'],
  },
  dark: {
    line: '#60a5fa',
    grid: '#2a3140',
    axis: '#9aa4b2',
    up: '#22c55e',
    down: '#f87171',
    volume: '#475569',
    // Dark figures: white ones had 2.3:1 on this green and 2.8:1 on this red.
    onTrend: '#0f131a',
    alert: '#fbbf24',
    alertText: '#0f131a',
    crosshairText: '#0f131a',
    indicators: [
      '#f59e0b',
      '#a78bfa',
      '#06b6d4',
      '#ec4899',
      '#84cc16',
      '#f97316',
      '#14b8a6',
      '#c084fc',
    ],
    compares: ['#e879f9', '#22d3ee', '#d4d4d4'],
  },
};
