import { describe, expect, it } from 'vitest';
import { ChartCandles } from '../src/chart/chart-candles';
import {
  ALERT_BELL_SIZE,
  candleAt,
  emptyFrame,
  onAlertAxis,
  priceAtY,
  timeAtX,
  valueAtY,
  xAtTime,
} from '../src/components/trading-chart/chart-frame';
import type { ChartFrame, PlotBox } from '../src/components/trading-chart/chart-frame';
import { axisScale } from '../src/chart/visible-candles';
import { chartCandles } from './chart-fixtures';
import type { Candle } from '@ticker/client';

const MINUTE = 60_000;
const T0 = 1_764_547_200_000; // a whole minute
const PLOT: PlotBox = { x: 40, y: 12, width: 800, height: 400 };

function frame(figures: Partial<ChartFrame> = {}): ChartFrame {
  return { ...emptyFrame(), from: T0, to: T0 + 120 * MINUTE, pricePlot: PLOT, ...figures };
}

function row(start: number): Candle {
  return { start, open: 100, high: 110, low: 90, close: 105, volume: 1 };
}

describe('timeAtX and xAtTime', () => {
  it('map the plot’s edges to the range’s ends', () => {
    const f = frame();
    expect(timeAtX(f, PLOT.x)).toBe(f.from);
    expect(timeAtX(f, PLOT.x + PLOT.width)).toBe(f.to);
    expect(timeAtX(f, PLOT.x + PLOT.width / 4)).toBe(T0 + 30 * MINUTE);
    expect(xAtTime(f, f.from)).toBe(PLOT.x);
    expect(xAtTime(f, f.to)).toBe(PLOT.x + PLOT.width);
    expect(xAtTime(f, T0 + 90 * MINUTE)).toBe(PLOT.x + 600);
  });

  it('are each other’s inverse, outside the plot too', () => {
    const f = frame();
    for (const x of [-100, 0, 40, 123.25, 440, 839.5, 1_000]) {
      expect(xAtTime(f, timeAtX(f, x) ?? Number.NaN)).toBeCloseTo(x, 6);
    }
    for (const time of [T0 - MINUTE, T0, T0 + 7_777, T0 + 119 * MINUTE, T0 + 300 * MINUTE]) {
      expect(timeAtX(f, xAtTime(f, time) ?? Number.NaN)).toBeCloseTo(time, 3);
    }
  });

  it('are null before the chart has drawn a plot', () => {
    expect(timeAtX(frame({ pricePlot: null }), 100)).toBeNull();
    expect(xAtTime(frame({ pricePlot: null }), T0)).toBeNull();
    expect(timeAtX(frame({ pricePlot: { ...PLOT, width: 0 } }), 100)).toBeNull();
  });
});

describe('valueAtY', () => {
  const bottom = PLOT.y + PLOT.height;

  it('is linear between the domain’s ends on linear and percent axes', () => {
    for (const scale of ['linear', 'percent'] as const) {
      const f = frame({ scale, yMin: -5, yMax: 15 });
      expect(valueAtY(f, PLOT.y)).toBe(15);
      expect(valueAtY(f, bottom)).toBe(-5);
      expect(valueAtY(f, PLOT.y + PLOT.height / 2)).toBe(5);
      expect(valueAtY(f, PLOT.y + PLOT.height / 4)).toBe(10);
    }
  });

  it('is log-linear on a log axis', () => {
    const f = frame({ scale: 'log', yMin: 10, yMax: 1_000 });
    expect(valueAtY(f, PLOT.y)).toBeCloseTo(1_000, 9);
    expect(valueAtY(f, bottom)).toBeCloseTo(10, 9);
    expect(valueAtY(f, PLOT.y + PLOT.height / 2)).toBeCloseTo(100, 9); // the geometric mean
    expect(valueAtY(f, PLOT.y + PLOT.height / 4)).toBeCloseTo(10 ** 2.5, 9);
  });

  it('is linear on a log axis whose domain reaches zero', () => {
    const f = frame({ scale: 'log', yMin: 0, yMax: 100 });
    expect(valueAtY(f, PLOT.y + PLOT.height / 2)).toBe(50);
  });

  it('is null off the price pane and before there is one', () => {
    const f = frame({ yMin: 0, yMax: 100 });
    expect(valueAtY(f, PLOT.y - 1)).toBeNull();
    expect(valueAtY(f, bottom + 1)).toBeNull();
    expect(valueAtY(frame({ pricePlot: null }), 100)).toBeNull();
  });
});

describe('onAlertAxis', () => {
  const axisX = PLOT.x + PLOT.width;

  it('holds on the bell at the axis’s edge and the axis beside the price pane', () => {
    const f = frame();
    expect(onAlertAxis(f, axisX - ALERT_BELL_SIZE, PLOT.y + 100)).toBe(true);
    expect(onAlertAxis(f, axisX + 40, PLOT.y)).toBe(true);
    expect(onAlertAxis(f, axisX + 40, PLOT.y + PLOT.height)).toBe(true);
  });

  it('leaves the plot to the left of the bell, and the axis above and below the pane, to the chart', () => {
    const f = frame();
    expect(onAlertAxis(f, axisX - ALERT_BELL_SIZE - 1, PLOT.y + 100)).toBe(false);
    expect(onAlertAxis(f, PLOT.x + 10, PLOT.y + 100)).toBe(false);
    expect(onAlertAxis(f, axisX + 40, PLOT.y - 1)).toBe(false);
    // The volume pane's axis is below the price pane.
    expect(onAlertAxis(f, axisX + 40, PLOT.y + PLOT.height + 1)).toBe(false);
    expect(onAlertAxis(frame({ pricePlot: null }), axisX + 40, PLOT.y + 100)).toBe(false);
  });
});

describe('priceAtY', () => {
  it('is the scaled price nearest the height, on a price axis', () => {
    // 100.00 to 200.00 over 400 px: a quarter down is 175.00, 0.01 px is under a cent.
    const f = frame({ yMin: 100, yMax: 200, fromAxis: axisScale('linear', 2, null).fromAxis });
    expect(priceAtY(f, PLOT.y + PLOT.height / 4)).toBe(17_500);
    expect(priceAtY(f, PLOT.y + PLOT.height / 4 + 0.01)).toBe(17_500);
    expect(priceAtY(f, PLOT.y)).toBe(20_000);
  });

  it('turns a percent axis’s change back into a price of the first candle on screen', () => {
    // −10 % to +10 % of 50.00: the middle is 50.00, the top 55.00.
    const f = frame({
      scale: 'percent',
      yMin: -10,
      yMax: 10,
      fromAxis: axisScale('percent', 2, 5_000).fromAxis,
    });
    expect(priceAtY(f, PLOT.y + PLOT.height / 2)).toBe(5_000);
    expect(priceAtY(f, PLOT.y)).toBe(5_500);
  });

  it('is null off the price pane and where the axis is at no price', () => {
    const f = frame({ yMin: -1, yMax: 1, fromAxis: axisScale('linear', 2, null).fromAxis });
    expect(priceAtY(f, PLOT.y + PLOT.height + 1)).toBeNull();
    expect(priceAtY(f, PLOT.y + PLOT.height)).toBeNull(); // −1.00
    expect(priceAtY(f, PLOT.y + PLOT.height / 2)).toBeNull(); // 0.00
    expect(priceAtY(f, PLOT.y)).toBe(100);
  });
});

describe('candleAt', () => {
  // Minutes 0, 1, 3 and 4: minute 2 had no trade.
  const candles = chartCandles(MINUTE, [
    row(T0),
    row(T0 + MINUTE),
    row(T0 + 3 * MINUTE),
    row(T0 + 4 * MINUTE),
  ]);

  it('finds the candle covering an instant, from its first to its last millisecond', () => {
    expect(candleAt(candles, T0)).toBe(0);
    expect(candleAt(candles, T0 + MINUTE - 1)).toBe(0);
    expect(candleAt(candles, T0 + MINUTE)).toBe(1);
    expect(candleAt(candles, T0 + 3 * MINUTE + 30_000)).toBe(2);
    expect(candleAt(candles, T0 + 5 * MINUTE - 1)).toBe(3);
  });

  it('is -1 in an empty interval, before the first candle and after the last', () => {
    expect(candleAt(candles, T0 + 2 * MINUTE)).toBe(-1);
    expect(candleAt(candles, T0 + 3 * MINUTE - 1)).toBe(-1);
    expect(candleAt(candles, T0 - 1)).toBe(-1);
    expect(candleAt(candles, T0 + 5 * MINUTE)).toBe(-1);
    expect(candleAt(new ChartCandles(MINUTE), T0)).toBe(-1);
  });

  it('rounds negative instants down to their candle’s start', () => {
    // Minutes -3, -2 and 0: minute -1 is empty.
    const early = chartCandles(MINUTE, [row(-3 * MINUTE), row(-2 * MINUTE), row(0)]);
    expect(candleAt(early, -3 * MINUTE)).toBe(0);
    expect(candleAt(early, -2 * MINUTE - 1)).toBe(0);
    expect(candleAt(early, -2 * MINUTE)).toBe(1);
    expect(candleAt(early, -MINUTE - 1)).toBe(1);
    expect(candleAt(early, -1)).toBe(-1); // in minute -1, not minute 0
    expect(candleAt(early, 0)).toBe(2);
    expect(candleAt(early, -3 * MINUTE - 1)).toBe(-1);
  });
});
