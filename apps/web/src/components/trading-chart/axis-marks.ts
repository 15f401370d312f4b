/** How the chart's own axes (price, time, volume) draw their marks, as recharts' axes do. */
export const TICK_SIZE = 6;
/** From the axis line to its labels: the tick and a gap of 2 px. */
export const LABEL_OFFSET = TICK_SIZE + 2;
export const AXIS_FONT_SIZE = 11;
