import { useEffect } from 'react';
import type { RefObject } from 'react';
import { useLatest } from '../../lib/use-latest';
import { onAlertAxis, priceAtY } from './chart-frame';
import type { ChartFrame } from './chart-frame';

/** A press that moved less than this, in pixels, before its release is a click. */
const CLICK_SLOP = 4;

interface AxisAlertOptions {
  readonly surface: RefObject<HTMLElement | null>;
  readonly frame: ChartFrame;
  /** Called with the scaled price clicked on the price axis (or the crosshair's bell). */
  readonly onPrice: (scaledPrice: number) => void;
}

/**
 * A click on the price axis beside the price pane, or on the crosshair's bell at its edge, asks
 * for an alert at the price under the pointer, as trading charts offer one at their price scale.
 * The surface carries `data-on-alert-axis` while the pointer is there, for its cursor.
 */
export function useAxisAlert(options: AxisAlertOptions): void {
  const latest = useLatest(options);

  useEffect(() => {
    const element = options.surface.current;
    if (!element) return;
    let press: { readonly id: number; readonly x: number; readonly y: number } | null = null;
    const pointAt = (event: PointerEvent) => {
      const box = element.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    };
    const onPointerDown = (event: PointerEvent) => {
      const { x, y } = pointAt(event);
      const onAxis = event.button === 0 && onAlertAxis(latest.current.frame, x, y);
      press = onAxis ? { id: event.pointerId, x, y } : null;
    };
    const onPointerUp = (event: PointerEvent) => {
      const pressed = press;
      press = null;
      if (pressed?.id !== event.pointerId) return;
      const { x, y } = pointAt(event);
      if (Math.hypot(x - pressed.x, y - pressed.y) > CLICK_SLOP) return;
      const price = priceAtY(latest.current.frame, pressed.y);
      if (price !== null) latest.current.onPrice(price);
    };
    const onPointerMove = (event: PointerEvent) => {
      const { x, y } = pointAt(event);
      markOnAxis(element, onAlertAxis(latest.current.frame, x, y));
    };
    const onPointerLeave = () => {
      press = null;
      markOnAxis(element, false);
    };

    element.addEventListener('pointerdown', onPointerDown);
    element.addEventListener('pointerup', onPointerUp);
    element.addEventListener('pointermove', onPointerMove);
    element.addEventListener('pointerleave', onPointerLeave);
    return () => {
      element.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('pointerup', onPointerUp);
      element.removeEventListener('pointermove', onPointerMove);
      element.removeEventListener('pointerleave', onPointerLeave);
    };
  }, [options.surface, latest]);
}

/** Writes the attribute only when it changes: pointer moves come many a frame. */
function markOnAxis(element: HTMLElement, onAxis: boolean): void {
  if (onAxis === (element.dataset.onAlertAxis === 'true')) return;
  if (onAxis) element.dataset.onAlertAxis = 'true';
  else delete element.dataset.onAlertAxis;
}
