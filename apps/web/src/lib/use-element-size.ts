import { useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

export interface ElementSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The content size of an element in CSS pixels, following resizes. Charts use it to fill their
 * box and to draw about one point per pixel. A zero size (not laid out yet, or hidden) keeps the
 * last one rather than drawing nothing.
 */
export function useElementSize<T extends HTMLElement>(
  fallback: ElementSize,
): [RefObject<T | null>, ElementSize] {
  const ref = useRef<T | null>(null);
  const [size, setSize] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const apply = (width: number, height: number) => {
      setSize((current) =>
        current.width === width && current.height === height ? current : { width, height },
      );
    };
    apply(element.clientWidth || fallback.width, element.clientHeight || fallback.height);
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box && box.width > 0 && box.height > 0) {
        apply(Math.round(box.width), Math.round(box.height));
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [fallback]);
  return [ref, size];
}
