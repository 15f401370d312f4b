import { describe, expect, it } from 'vitest';
import { LOAD_CORE, SERVER_CORE, placeScaleOut } from '../src/deployment.js';
import { describePlacement } from '../src/report.js';

describe('placeScaleOut', () => {
  it('keeps the load generator alone on its core and, on two cores, the deployment on the other', () => {
    expect(placeScaleOut(2, 2)).toEqual({
      source: SERVER_CORE,
      redis: SERVER_CORE,
      gateways: [SERVER_CORE, SERVER_CORE],
      load: LOAD_CORE,
    });
  });

  it('gives gateways the spare cores first, round-robin, the source core last', () => {
    expect(placeScaleOut(4, 2).gateways).toEqual([2, 3]);
    expect(placeScaleOut(3, 3).gateways).toEqual([2, 0, 2]);
    expect(placeScaleOut(8, 1)).toMatchObject({ source: 0, redis: 0, gateways: [2], load: 1 });
  });
});

describe('describePlacement', () => {
  it('says what runs on each core, counting gateways', () => {
    expect(describePlacement(placeScaleOut(2, 2))).toBe(
      'source, redis-server and 2 gateways on core 0; load generator on core 1',
    );
    expect(describePlacement(placeScaleOut(4, 2))).toBe(
      'source and redis-server on core 0; load generator on core 1; gateway on core 2; gateway on core 3',
    );
    expect(describePlacement(undefined)).toBe('unpinned');
  });
});
