import { describe, expect, it } from 'vitest';
import { resumePoint } from '../src/broker/source-resume.js';
import type { Predecessor } from '../src/broker/source-resume.js';

const MARKET = 'seed=1 tickRate=1000 stockHours=always universe=abc';
const NOW = 1_767_625_200_000;
const REPLAY_MS = 60_000;

/** A predecessor that stopped a second ago, symbols 1 and 2 traded recently, 3 not for a while. */
function predecessor(overrides: Partial<Predecessor> = {}): Predecessor {
  return {
    epoch: 'old',
    market: MARKET,
    lastEntry: { epoch: 'old', flushNumber: 4_321, time: NOW - 1_000 },
    snapshotSeqs: new Map([
      [1, 90],
      [2, 40],
      [3, 7],
    ]),
    streamSeqs: new Map([
      [1, 100],
      [2, 40],
    ]),
    ...overrides,
  };
}

describe('taking over from the previous source', () => {
  it('goes on with its epoch, flush numbers, time and every symbol next seq', () => {
    expect(resumePoint(predecessor(), [1, 2, 3], MARKET, NOW, REPLAY_MS)).toEqual({
      epoch: 'old',
      flushNumber: 4_321,
      playedUntil: NOW - 1_000,
      nextSeqs: new Map([
        [1, 100],
        [2, 40],
        [3, 7],
      ]),
    });
  });

  it.each<[string, Partial<Predecessor>, number]>([
    ['another market', { market: 'seed=2 tickRate=1000 stockHours=always universe=abc' }, NOW],
    ['no entry in the stream', { lastEntry: null }, NOW],
    [
      'a last entry of another epoch',
      { lastEntry: { epoch: 'older', flushNumber: 9, time: NOW } },
      NOW,
    ],
    ['a last entry older than the replay window', {}, NOW + REPLAY_MS],
    [
      'a symbol without a snapshot',
      {
        snapshotSeqs: new Map([
          [1, 90],
          [2, 40],
        ]),
      },
      NOW,
    ],
    [
      'a snapshot ahead of the stream (flushes dropped after the last entry)',
      {
        snapshotSeqs: new Map([
          [1, 101],
          [2, 40],
          [3, 7],
        ]),
      },
      NOW,
    ],
  ])('starts a new epoch instead with %s', (_case, overrides, now) => {
    expect(resumePoint(predecessor(overrides), [1, 2, 3], MARKET, now, REPLAY_MS)).toBeNull();
  });
});
