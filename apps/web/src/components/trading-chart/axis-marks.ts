/** How the chart's own axes (price, time, volume) draw their marks, as recharts' axes do. */
export const TICK_SIZE = 6;
/** From the axis line to its labels: the tick and a gap of 2 px. */
export const LABEL_OFFSET = TICK_SIZE + 2;
export const AXIS_FONT_SIZE = 11;

/** What every axis layer draws: labels at `ticks` (axis units), and its colours. */
export interface AxisLabels {
  readonly ticks: readonly number[];
  readonly format: (value: number) => string;
  /** The axis line's and the ticks' colour. */
  readonly line: string;
  readonly text: string;
}
