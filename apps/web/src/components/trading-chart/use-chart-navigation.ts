import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { HoverModel } from '../../chart/hover-model';
import type { ChartZoomSlot } from '../../keyboard/chart-zoom';
import { matchShortcut } from '../../keyboard/shortcuts';
import { pan, zoom } from '../../chart/viewport';
import type { Viewport } from '../../chart/viewport';
import { useLatest } from '../../lib/use-latest';
import { onAlertAxis, timeAtX } from './chart-frame';
import type { ChartFrame } from './chart-frame';

/** Wheel notches to zoom by a factor of e: about 12 % per notch of 100. */
const WHEEL_ZOOM_SCALE = 0.0012;
/** Arrow keys pan by this share of the span; + and − zoom by this factor. */
const KEY_PAN_SHARE = 0.1;
const KEY_ZOOM_FACTOR = 1.25;

interface NavigationOptions {
  readonly surface: RefObject<HTMLElement | null>;
  readonly frame: ChartFrame;
  readonly hover: HoverModel;
  /** The viewport as last drawn, and the live edge it was drawn against. */
  readonly viewport: Viewport;
  readonly live: number;
  readonly intervalMs: number;
  readonly onViewport: (viewport: Viewport) => void;
  /** Where the page's + and − shortcuts reach this chart's zoom; null outside the App. */
  readonly zoomSlot: ChartZoomSlot | null;
}

/**
 * Zoom and pan as trading charts do them: the wheel (and a trackpad's pinch, which browsers send
 * as a wheel with ctrlKey) zooms around the pointer, a drag or a horizontal wheel pans, two
 * fingers pinch, and the keyboard pans with ← → and zooms with + −; End returns to live. Changes
 * are coalesced into one viewport per animation frame. The keys are the shortcut table's
 * (`keyboard/shortcuts.ts`): ← → End on the focused chart, + − anywhere on the page through
 * the zoom slot, so they zoom whether the chart or, say, a toolbar button has the focus.
 */
export function useChartNavigation(options: NavigationOptions): void {
  const latest = useLatest(options);

  useEffect(() => {
    const element = options.surface.current;
    if (!element) return;
    let pending: Viewport | null = null;
    let frameRequest = 0;
    const current = () => pending ?? latest.current.viewport;
    const propose = (next: Viewport) => {
      pending = next;
      if (frameRequest === 0) {
        frameRequest = requestAnimationFrame(() => {
          frameRequest = 0;
          if (pending) latest.current.onViewport(pending);
          pending = null;
        });
      }
    };
    const plotShare = (clientX: number) => {
      const plot = latest.current.frame.pricePlot;
      if (!plot) return 1;
      const x = clientX - element.getBoundingClientRect().left;
      return Math.min(1, Math.max(0, (x - plot.x) / plot.width));
    };
    const msPerPixel = () => {
      const plot = latest.current.frame.pricePlot;
      return plot && plot.width > 0 ? current().spanMs / plot.width : 0;
    };
    const zoomBy = (factor: number, anchor: number) => {
      const { live, intervalMs } = latest.current;
      propose(zoom(current(), factor, anchor, live, intervalMs));
    };
    const panBy = (deltaMs: number) => {
      propose(pan(current(), deltaMs, latest.current.live));
    };

    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 40 : 1; // lines → pixels
      if (Math.abs(event.deltaX) > Math.abs(event.deltaY) && !event.ctrlKey) {
        panBy(event.deltaX * unit * msPerPixel());
        return;
      }
      zoomBy(Math.exp(event.deltaY * unit * WHEEL_ZOOM_SCALE), plotShare(event.clientX));
    };

    // Pointers down: one drags, two pinch.
    const pointers = new Map<number, number>();
    let pinchDistance = 0;
    const onPointerDown = (event: PointerEvent) => {
      if (event.button !== 0) return;
      // A press on the price axis is a click for an alert there (use-axis-alert.ts), not a drag.
      const box = element.getBoundingClientRect();
      if (onAlertAxis(latest.current.frame, event.clientX - box.left, event.clientY - box.top)) {
        return;
      }
      latest.current.hover.set(null);
      element.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, event.clientX);
      if (pointers.size === 2) pinchDistance = spread(pointers);
      element.dataset.dragging = 'true';
    };
    const onPointerMove = (event: PointerEvent) => {
      const previousX = pointers.get(event.pointerId);
      if (previousX === undefined) {
        hoverAt(event);
        return;
      }
      pointers.set(event.pointerId, event.clientX);
      if (pointers.size >= 2) {
        const distance = spread(pointers);
        if (pinchDistance > 0 && distance > 0) zoomBy(pinchDistance / distance, 0.5);
        pinchDistance = distance;
        return;
      }
      // No crosshair while dragging: the chart redraws every frame, the legend need not too.
      panBy((previousX - event.clientX) * msPerPixel());
    };
    const onPointerUp = (event: PointerEvent) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinchDistance = 0;
      if (pointers.size === 0) delete element.dataset.dragging;
    };
    const hoverAt = (event: PointerEvent) => {
      const box = element.getBoundingClientRect();
      const x = event.clientX - box.left;
      const y = event.clientY - box.top;
      const time = timeAtX(latest.current.frame, x);
      latest.current.hover.set(time === null ? null : { time, x, y });
    };
    const onPointerLeave = () => {
      latest.current.hover.set(null);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const span = current().spanMs;
      const action = matchShortcut(event, 'chart')?.action;
      if (action === 'pan-back') panBy(-span * KEY_PAN_SHARE);
      else if (action === 'pan-forward') panBy(span * KEY_PAN_SHARE);
      else if (action === 'back-to-live') propose({ spanMs: span, end: null });
      else return;
      event.preventDefault();
    };
    const detachZoom = options.zoomSlot?.attach({
      zoomIn: () => {
        zoomBy(1 / KEY_ZOOM_FACTOR, 0.5);
      },
      zoomOut: () => {
        zoomBy(KEY_ZOOM_FACTOR, 0.5);
      },
    });

    element.addEventListener('wheel', onWheel, { passive: false });
    element.addEventListener('pointerdown', onPointerDown);
    element.addEventListener('pointermove', onPointerMove);
    element.addEventListener('pointerup', onPointerUp);
    element.addEventListener('pointercancel', onPointerUp);
    element.addEventListener('pointerleave', onPointerLeave);
    element.addEventListener('keydown', onKeyDown);
    return () => {
      detachZoom?.();
      cancelAnimationFrame(frameRequest);
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('pointermove', onPointerMove);
      element.removeEventListener('pointerup', onPointerUp);
      element.removeEventListener('pointercancel', onPointerUp);
      element.removeEventListener('pointerleave', onPointerLeave);
      element.removeEventListener('keydown', onKeyDown);
    };
  }, [options.surface, options.zoomSlot, latest]);
}

function spread(pointers: ReadonlyMap<number, number>): number {
  const [a, b] = [...pointers.values()];
  return a === undefined || b === undefined ? 0 : Math.abs(a - b);
}
