/** The alert bell, on a 16-unit grid: the bell buttons and the crosshair's bell draw it. */
export const BELL_PATH =
  'M8 1.5a4 4 0 0 0-4 4v2.6L2.7 10.6a.6.6 0 0 0 .5.9h9.6a.6.6 0 0 0 .5-.9L12 8.1V5.5a4 4 0 0 0-4-4ZM6.3 12.7a1.8 1.8 0 0 0 3.4 0Z';
