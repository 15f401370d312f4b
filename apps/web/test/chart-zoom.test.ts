import { describe, expect, it } from 'vitest';
import { ChartZoomSlot } from '../src/keyboard/chart-zoom';

function recordingZoom(log: string[], name: string) {
  return {
    zoomIn: () => log.push(`${name} in`),
    zoomOut: () => log.push(`${name} out`),
  };
}

describe('ChartZoomSlot', () => {
  it('zooms the attached chart, and nothing once it is detached', () => {
    const log: string[] = [];
    const slot = new ChartZoomSlot();
    slot.zoomIn();
    const detach = slot.attach(recordingZoom(log, 'a'));
    slot.zoomIn();
    slot.zoomOut();
    detach();
    slot.zoomIn();
    expect(log).toEqual(['a in', 'a out']);
  });

  it('keeps a newer chart when the older one detaches after it attached', () => {
    // A detach must never undo a later attach, whatever order two charts' effects run in.
    const log: string[] = [];
    const slot = new ChartZoomSlot();
    const detachOld = slot.attach(recordingZoom(log, 'old'));
    slot.attach(recordingZoom(log, 'new'));
    detachOld();
    slot.zoomOut();
    expect(log).toEqual(['new out']);
  });
});
