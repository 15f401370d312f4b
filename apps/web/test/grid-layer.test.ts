import { scaleLinear } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import { gridLines } from '../src/components/trading-chart/GridLayer';

describe('gridLines', () => {
  const plot = { x: 10, y: 20, width: 100, height: 50 };
  const x = scaleLinear().domain([0, 100]).range([10, 110]);
  const y = scaleLinear().domain([0, 10]).range([70, 20]);

  it('draws a line down the plot per time and across it per price', () => {
    expect(gridLines(plot, x, [25, 50], y, [5])).toEqual({
      vertical: 'M35,20V70M60,20V70',
      horizontal: 'M10,45H110',
    });
  });

  it('leaves out ticks outside the plot, keeping those on its edges', () => {
    expect(gridLines(plot, x, [-1, 0, 100, 101], y, [-0.5, 0, 10, 12])).toEqual({
      vertical: 'M10,20V70M110,20V70',
      horizontal: 'M10,70H110M10,20H110',
    });
  });
});
