import type { ShortcutAction } from './shortcuts';

/**
 * The row that a watchlist shortcut moves focus to from row `current` of `count`, or null for
 * an action that does not move. The ends hold, as in a table or a listbox (WAI-ARIA APG): a
 * wrap from the last row to the first would look like a jump to a screen reader's user.
 */
export function rowAfter(action: ShortcutAction, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (action) {
    case 'previous-row':
      return Math.max(0, current - 1);
    case 'next-row':
      return Math.min(count - 1, current + 1);
    case 'first-row':
      return 0;
    case 'last-row':
      return count - 1;
    default:
      return null;
  }
}
