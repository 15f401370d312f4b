import { INTERVALS, INTERVAL_LABELS } from '../chart/intervals';

/**
 * Every keyboard shortcut of the dashboard, in the order the help dialog lists them: the one
 * table both the handlers (`matchShortcut`) and the `?` dialog read, so a key cannot work
 * without being listed, nor be listed without working. To add one, add a row here and a case
 * where its scope is handled (`use-global-shortcuts.ts`, `Watchlist.tsx` or
 * `trading-chart/use-chart-navigation.ts`); the README's table is checked against this one.
 */

/**
 * Where a shortcut works: anywhere on the page (`page`: one listener on the document), on a
 * focused watchlist row, or on the focused chart.
 */
export type ShortcutScope = 'page' | 'watchlist' | 'chart';

export type ShortcutAction =
  | 'focus-search'
  | 'choose-interval'
  | 'zoom-in'
  | 'zoom-out'
  | 'show-shortcuts'
  | 'close'
  | 'previous-row'
  | 'next-row'
  | 'first-row'
  | 'last-row'
  | 'chart-row'
  | 'pan-back'
  | 'pan-forward'
  | 'back-to-live';

export interface Shortcut {
  readonly action: ShortcutAction;
  readonly scope: ShortcutScope;
  /**
   * The `KeyboardEvent.key` values that trigger it: the character the key types, not where the
   * key is, so `?` is Shift+/ on a US layout and whatever types `?` on others.
   */
  readonly keys: readonly string[];
  /** The keys as the help dialog and the README show them, one `<kbd>` each. */
  readonly keyLabels: readonly string[];
  readonly description: string;
}

/** 1 to 7: one digit for each of the toolbar's intervals, in the toolbar's order. */
const INTERVAL_KEYS = INTERVALS.map((_, place) => String(place + 1));

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'focus-search',
    scope: 'page',
    keys: ['/'],
    keyLabels: ['/'],
    description: 'Search symbols',
  },
  {
    action: 'choose-interval',
    scope: 'page',
    keys: INTERVAL_KEYS,
    keyLabels: [`1 … ${INTERVAL_KEYS.length}`],
    description: `Interval, in the toolbar's order (${INTERVALS.map(
      (interval, place) => `${place + 1} = ${INTERVAL_LABELS[interval]}`,
    ).join(', ')}); in the grid, its window`,
  },
  {
    action: 'zoom-in',
    scope: 'page',
    // `=` is the unshifted `+` key on US layouts: zooming in needs no Shift there.
    keys: ['+', '='],
    keyLabels: ['+'],
    description: 'Zoom the chart in',
  },
  {
    action: 'zoom-out',
    scope: 'page',
    keys: ['-', '_'],
    keyLabels: ['-'],
    description: 'Zoom the chart out',
  },
  {
    action: 'show-shortcuts',
    scope: 'page',
    keys: ['?'],
    keyLabels: ['?'],
    description: 'Show these shortcuts',
  },
  {
    action: 'close',
    scope: 'page',
    keys: ['Escape'],
    keyLabels: ['Esc'],
    description: 'Close the open menu, the search results or this list',
  },
  {
    action: 'previous-row',
    scope: 'watchlist',
    keys: ['ArrowUp'],
    keyLabels: ['↑'],
    description: 'Previous row',
  },
  {
    action: 'next-row',
    scope: 'watchlist',
    keys: ['ArrowDown'],
    keyLabels: ['↓'],
    description: 'Next row',
  },
  {
    action: 'first-row',
    scope: 'watchlist',
    keys: ['Home'],
    keyLabels: ['Home'],
    description: 'First row',
  },
  {
    action: 'last-row',
    scope: 'watchlist',
    keys: ['End'],
    keyLabels: ['End'],
    description: 'Last row',
  },
  {
    action: 'chart-row',
    scope: 'watchlist',
    keys: ['Enter'],
    keyLabels: ['Enter'],
    description: "Chart the row's symbol",
  },
  {
    action: 'pan-back',
    scope: 'chart',
    keys: ['ArrowLeft'],
    keyLabels: ['←'],
    description: 'Pan back in time',
  },
  {
    action: 'pan-forward',
    scope: 'chart',
    keys: ['ArrowRight'],
    keyLabels: ['→'],
    description: 'Pan forward in time',
  },
  {
    action: 'back-to-live',
    scope: 'chart',
    keys: ['End'],
    keyLabels: ['End'],
    description: 'Back to live',
  },
];

/** What a key press is, as far as shortcuts care: a DOM `KeyboardEvent` is one. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly target: EventTarget | null;
}

export interface ShortcutMatch {
  readonly action: ShortcutAction;
  /** Which of the shortcut's keys was pressed: for the number keys, the interval's place. */
  readonly keyIndex: number;
}

/** Keys typed into these are text, not commands. */
const TEXT_ENTRY_TAGS: ReadonlySet<string> = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * The shortcut of `scope` that a key press triggers, or null. Presses with Ctrl, Meta (⌘) or Alt
 * are left to the browser and the system (Ctrl+- zooms the page, Alt+← goes back); Shift is
 * allowed, as it is how `?` and `+` are typed. While the user types in a field only Escape
 * counts, so `/`, digits and `-` reach the field.
 */
export function matchShortcut(press: KeyPress, scope: ShortcutScope): ShortcutMatch | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  for (const shortcut of SHORTCUTS) {
    if (shortcut.scope !== scope) continue;
    const keyIndex = shortcut.keys.indexOf(press.key);
    if (keyIndex === -1) continue;
    if (shortcut.action !== 'close' && isTextEntry(press.target)) return null;
    return { action: shortcut.action, keyIndex };
  }
  return null;
}

/** Duck-typed on the element's fields, so it holds for any DOM, and for tests without one. */
function isTextEntry(target: EventTarget | null): boolean {
  if (target === null || !('tagName' in target)) return false;
  const element = target as { readonly tagName: unknown; readonly isContentEditable?: unknown };
  return (
    (typeof element.tagName === 'string' && TEXT_ENTRY_TAGS.has(element.tagName)) ||
    element.isContentEditable === true
  );
}
