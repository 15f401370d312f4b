/** Where the pointer is over a chart, in plot coordinates; null when it is elsewhere. */
export interface Hover {
  /** The instant under the pointer (epoch ms). */
  readonly time: number;
  /** Pointer position relative to the chart's box, in CSS pixels. */
  readonly x: number;
  readonly y: number;
}

/**
 * The crosshair's position, outside React state: the pointer moves sixty times a second, and only
 * the crosshair and the legend follow it, never the chart's own drawing.
 */
export class HoverModel {
  private hover: Hover | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly current = (): Hover | null => this.hover;

  set(hover: Hover | null): void {
    if (hover === this.hover) return;
    this.hover = hover;
    for (const listener of this.listeners) listener();
  }
}
