import { createContext, use, useCallback, useEffect, useState } from 'react';
import type { RefObject } from 'react';
import { VisibilityWatcher } from './visibility-watcher';

/** The watcher of the scrolling box around; null where there is none (everything is visible). */
export const VisibilityContext = createContext<VisibilityWatcher | null>(null);

/**
 * Whether the element can be seen in its scrolling box (or is near it). True until the first
 * report and wherever nothing watches: drawing too much is the safe side.
 */
export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const watcher = use(VisibilityContext);
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const element = ref.current;
    if (!watcher || !element) return;
    return watcher.watch(element, setOnScreen);
  }, [watcher, ref]);
  return onScreen;
}

/**
 * A watcher for `VisibilityContext` of the scrolling element the returned ref is attached to;
 * null before it is mounted, and where the browser has no IntersectionObserver.
 */
export function useVisibilityWatcher(
  margin: string,
): [(element: Element | null) => (() => void) | undefined, VisibilityWatcher | null] {
  const [watcher, setWatcher] = useState<VisibilityWatcher | null>(null);
  const attach = useCallback(
    (element: Element | null) => {
      if (!element || typeof IntersectionObserver === 'undefined') return undefined;
      const next = new VisibilityWatcher(element, margin);
      setWatcher(next);
      return () => {
        next.stop();
        setWatcher(null);
      };
    },
    [margin],
  );
  return [attach, watcher];
}
