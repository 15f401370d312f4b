import { useEffect } from 'react';
import type { RefObject } from 'react';
import { flushSync } from 'react-dom';
import { useDashboardStoreApi } from '../dashboard-context';
import { CHART_WINDOWS, TIMEFRAMES } from '../store/view-options';
import { useLatest } from '../lib/use-latest';
import type { ChartZoom } from './chart-zoom';
import { matchShortcut } from './shortcuts';

interface GlobalShortcutsOptions {
  readonly searchInput: RefObject<HTMLInputElement | null>;
  readonly chartZoom: ChartZoom;
  readonly showShortcuts: () => void;
}

/**
 * The page's shortcuts (scope `page` of `keyboard/shortcuts.ts`), from one keydown listener on
 * the document. It hears a key last, after the element that has the focus: a key that element
 * used (the search's arrows, the watchlist's Enter, the chart's ←) is marked handled and left
 * alone, and none apply inside the open shortcuts dialog, whose Escape is the browser's own.
 */
export function useGlobalShortcuts(options: GlobalShortcutsOptions): void {
  const store = useDashboardStoreApi();
  const latest = useLatest(options);

  useEffect(() => {
    const focusSearch = () => {
      const state = store.getState();
      // The search is hidden with a collapsed panel, or on a phone's chart screen: it is shown
      // at once (flushSync) because a hidden input cannot take the focus.
      flushSync(() => {
        if (!state.panelOpen) state.setPanelOpen(true);
        if (state.phoneScreen !== 'watchlist') state.setPhoneScreen('watchlist');
      });
      latest.current.searchInput.current?.focus();
    };
    const chooseInterval = (place: number) => {
      const state = store.getState();
      if (state.layout === 'grid') {
        const window = CHART_WINDOWS[place];
        if (window !== undefined) state.setWindow(window);
      } else {
        const timeframe = TIMEFRAMES[place];
        if (timeframe !== undefined) state.setTimeframe(timeframe);
      }
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isInsideOpenDialog(event.target)) return;
      const match = matchShortcut(event, 'page');
      if (match === null) return;
      switch (match.action) {
        case 'focus-search':
          focusSearch();
          break;
        case 'choose-interval':
          chooseInterval(match.keyIndex);
          break;
        case 'zoom-in':
          latest.current.chartZoom.zoomIn();
          break;
        case 'zoom-out':
          latest.current.chartZoom.zoomOut();
          break;
        case 'show-shortcuts':
          latest.current.showShortcuts();
          break;
        case 'close':
          // The search's results close themselves on Escape; the menus are left to close here.
          closeOpenMenus(event.target);
          return;
        default:
          return;
      }
      // Kept from the page: `/` would start Firefox's quick find, or be typed into the search.
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [store, latest]);
}

function isInsideOpenDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('dialog[open]') !== null;
}

/**
 * Closes every open menu (the toolbar's `<details>` disclosures, which have no Escape of their
 * own). Focus inside a menu goes back to its summary, or it would fall to the page's body with
 * the menu's content hidden.
 */
function closeOpenMenus(target: EventTarget | null): void {
  for (const menu of document.querySelectorAll<HTMLDetailsElement>('details[open]')) {
    const hadFocus = target instanceof Node && menu.contains(target);
    menu.open = false;
    if (hadFocus) menu.querySelector('summary')?.focus();
  }
}
