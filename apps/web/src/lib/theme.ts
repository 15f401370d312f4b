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

/**
 * Chart colours per theme. SVG presentation attributes do not resolve CSS variables, so charts
 * take concrete colours from here; the same values are the CSS variables in styles.css.
 */
export const CHART_COLORS: Readonly<
  Record<
    Theme,
    {
      line: string;
      grid: string;
      axis: string;
      up: string;
      down: string;
      volume: string;
      /** Price alert lines, and the text on their labels. */
      alert: string;
      alertText: string;
      /** Text on the crosshair's labels (drawn on the axis colour). */
      crosshairText: string;
    }
  >
> = {
  light: {
    line: '#2563eb',
    grid: '#e5e7eb',
    axis: '#5f6873',
    up: '#16a34a',
    down: '#dc2626',
    volume: '#94a3b8',
    alert: '#b45309',
    alertText: '#ffffff',
    crosshairText: '#ffffff',
  },
  dark: {
    line: '#60a5fa',
    grid: '#2a3140',
    axis: '#9aa4b2',
    up: '#22c55e',
    down: '#f87171',
    volume: '#475569',
    alert: '#fbbf24',
    alertText: '#0f131a',
    crosshairText: '#0f131a',
  },
};
