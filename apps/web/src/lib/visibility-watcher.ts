/** The part of IntersectionObserver the watcher uses (a fake in tests). */
export type ObserverFactory = (
  callback: (
    entries: readonly Pick<IntersectionObserverEntry, 'target' | 'isIntersecting'>[],
  ) => void,
  options: IntersectionObserverInit,
) => Pick<IntersectionObserver, 'observe' | 'unobserve' | 'disconnect'>;

const browserObserver: ObserverFactory = (callback, options) =>
  new IntersectionObserver(callback, options);

/**
 * Which of many elements are within a scrolling box (or near it), through one
 * IntersectionObserver: the watchlist's rows ask it whether anyone can see them.
 */
export class VisibilityWatcher {
  private readonly listeners = new Map<Element, (visible: boolean) => void>();
  private readonly observer: ReturnType<ObserverFactory>;

  /**
   * @param root the scrolling box.
   * @param margin how far beyond its edges an element still counts as visible (CSS margin
   *   syntax), so that a scroll finds the next rows already drawn.
   */
  constructor(root: Element, margin: string, createObserver: ObserverFactory = browserObserver) {
    this.observer = createObserver(
      (entries) => {
        for (const entry of entries) this.listeners.get(entry.target)?.(entry.isIntersecting);
      },
      { root, rootMargin: margin },
    );
  }

  /** Reports each change of the element's visibility (the first report comes soon after). */
  watch(element: Element, onChange: (visible: boolean) => void): () => void {
    this.listeners.set(element, onChange);
    this.observer.observe(element);
    return () => {
      this.listeners.delete(element);
      this.observer.unobserve(element);
    };
  }

  stop(): void {
    this.listeners.clear();
    this.observer.disconnect();
  }
}
