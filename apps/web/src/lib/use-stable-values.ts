import { useState } from 'react';

/**
 * The same array as the last render's while its values are the same. recharts redraws an axis
 * (and recomputes its store) whenever a prop changes by reference; tick values usually stay the
 * same from frame to frame of a pan, so handing over the previous array keeps the axis still.
 */
export function useStableValues<T>(values: readonly T[]): readonly T[] {
  const [kept] = useState(() => new StableValues(values));
  return kept.of(values);
}

/**
 * Remembers the last array it was given. Updating it during render is safe: whatever render
 * React keeps, the array it got holds exactly the values that render computed.
 */
export class StableValues<T> {
  constructor(private last: readonly T[]) {}

  of(values: readonly T[]): readonly T[] {
    if (!sameValues(this.last, values)) this.last = values;
    return this.last;
  }
}

export function sameValues<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
