import { describe, expect, it } from 'vitest';
import { rowAfter } from '../src/keyboard/row-navigation';

describe('rowAfter', () => {
  it('moves one row up or down', () => {
    expect(rowAfter('next-row', 2, 5)).toBe(3);
    expect(rowAfter('previous-row', 2, 5)).toBe(1);
  });

  it('holds at the ends rather than wrapping', () => {
    expect(rowAfter('next-row', 4, 5)).toBe(4);
    expect(rowAfter('previous-row', 0, 5)).toBe(0);
  });

  it('goes to the first and the last row with Home and End', () => {
    expect(rowAfter('first-row', 3, 5)).toBe(0);
    expect(rowAfter('last-row', 1, 5)).toBe(4);
    expect(rowAfter('last-row', 0, 1)).toBe(0);
  });

  it('does not move for other actions, nor in an empty list', () => {
    expect(rowAfter('chart-row', 2, 5)).toBeNull();
    expect(rowAfter('zoom-in', 2, 5)).toBeNull();
    expect(rowAfter('next-row', 0, 0)).toBeNull();
  });
});
