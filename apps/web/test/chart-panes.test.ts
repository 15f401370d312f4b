import { scaleLinear, scaleLog } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import {
  PANE_GAP,
  chartPanes,
  priceAxisDomain,
  volumeAxisDomain,
} from '../src/components/trading-chart/chart-panes';
import type { PlotBox } from '../src/components/trading-chart/chart-frame';

const PLOT: PlotBox = { x: 8, y: 10, width: 1200, height: 900 };
const bottom = (box: PlotBox) => box.y + box.height;

describe('chartPanes', () => {
  it('puts the volume pane under the price pane, a gap apart, filling the plot', () => {
    for (const height of [200, 576, 942, 1400]) {
      const plot = { ...PLOT, height: height - 42 };
      const { price, volume } = chartPanes(plot, height);
      expect(price.y).toBe(plot.y);
      expect(volume.y - bottom(price)).toBe(PANE_GAP);
      expect(bottom(volume)).toBe(bottom(plot));
      expect([price.x, price.width, volume.x, volume.width]).toEqual([8, 1200, 8, 1200]);
      // A fifth of the chart, 48 to 160 pixels, never more than half the plot.
      expect(volume.height).toBe(Math.min(160, Math.max(48, Math.round(height * 0.2))));
      expect(price.height).toBeGreaterThan(volume.height);
    }
  });
});

describe('priceAxisDomain and volumeAxisDomain', () => {
  // recharts maps an axis's domain onto the whole plot, bottom to top, as these scales do.
  const panes = chartPanes(PLOT, 942);
  const range = [bottom(PLOT), PLOT.y];

  it('fill the price pane with [low, high] on a linear axis', () => {
    const y = scaleLinear()
      .domain(priceAxisDomain([69_000, 76_000], PLOT.height, panes, false))
      .range(range);
    expect(y(76_000)).toBeCloseTo(panes.price.y, 9);
    expect(y(69_000)).toBeCloseTo(bottom(panes.price), 9);
  });

  it('fill the price pane with [low, high] on a log axis', () => {
    const y = scaleLog()
      .domain(priceAxisDomain([12.5, 400], PLOT.height, panes, true))
      .range(range);
    expect(y(400)).toBeCloseTo(panes.price.y, 9);
    expect(y(12.5)).toBeCloseTo(bottom(panes.price), 9);
    expect(y(Math.sqrt(12.5 * 400))).toBeCloseTo(panes.price.y + panes.price.height / 2, 9);
  });

  it('fill the price pane with a percent range that crosses zero', () => {
    const y = scaleLinear()
      .domain(priceAxisDomain([-2.5, 7.5], PLOT.height, panes, false))
      .range(range);
    expect(y(7.5)).toBeCloseTo(panes.price.y, 9);
    expect(y(-2.5)).toBeCloseTo(bottom(panes.price), 9);
  });

  it('fill the volume pane with [0, top], from the plot’s bottom', () => {
    const y = scaleLinear()
      .domain(volumeAxisDomain(20_000, PLOT.height, panes))
      .range(range);
    expect(y(0)).toBeCloseTo(bottom(panes.volume), 9);
    expect(y(20_000)).toBeCloseTo(panes.volume.y, 9);
  });
});
