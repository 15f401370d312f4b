import { createContext } from 'react';

/** Zooms a chart around the middle of its view, as its own + and − keys did. */
export interface ChartZoom {
  zoomIn(): void;
  zoomOut(): void;
}

/**
 * Where the page's + and − shortcuts find the trading chart on screen: the chart attaches its
 * navigation's zoom while it is mounted, so the shortcuts zoom through the same code as the
 * wheel, and zoom nothing when no trading chart is shown (the grid).
 */
export class ChartZoomSlot implements ChartZoom {
  #attached: ChartZoom | null = null;

  /** Returns the detach, which leaves a later chart's zoom in place. */
  attach(zoom: ChartZoom): () => void {
    this.#attached = zoom;
    return () => {
      if (this.#attached === zoom) this.#attached = null;
    };
  }

  zoomIn(): void {
    this.#attached?.zoomIn();
  }

  zoomOut(): void {
    this.#attached?.zoomOut();
  }
}

/** Provided by the App beside its shortcuts; a chart outside it has no page shortcuts. */
export const ChartZoomContext = createContext<ChartZoomSlot | null>(null);
