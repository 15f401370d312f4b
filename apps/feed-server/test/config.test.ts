import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../src/config.js';
import { parseUniverse } from '../src/domain/universe.js';

describe('configFromEnv', () => {
  it('uses documented defaults', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({
      port: 8080,
      host: undefined,
      seed: 1,
      tickRate: 200,
      flushIntervalMs: 50,
    });
    expect(config.universe.length).toBeGreaterThanOrEqual(20);
  });

  it('reads overrides', () => {
    const config = configFromEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      SEED: '9',
      TICK_RATE: '5000',
      FLUSH_INTERVAL_MS: '20',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      seed: 9,
      tickRate: 5000,
      flushIntervalMs: 20,
    });
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer from 0 to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT must be an integer/],
    ['PORT', '-1', /PORT must be an integer/],
    ['TICK_RATE', '0', /TICK_RATE must be an integer from 1/],
    ['FLUSH_INTERVAL_MS', '2.5', /FLUSH_INTERVAL_MS must be an integer/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of debug, info, warn, error, silent/],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(message);
  });
});

describe('parseUniverse', () => {
  const good = {
    id: 1,
    ticker: 'X',
    name: 'X Corp',
    assetClass: 'stock',
    referencePrice: 10,
    priceDecimals: 2,
    sizeDecimals: 0,
    annualVolatility: 0.2,
    activity: 1,
  };

  it('accepts a valid entry and maps the asset class', () => {
    expect(parseUniverse({ symbols: [good] })[0]).toMatchObject({ ticker: 'X', assetClass: 0 });
  });

  it.each([
    [{ symbols: [] }, /at least one symbol/],
    [{ symbols: [good, { ...good, ticker: 'Y' }] }, /duplicate id 1/],
    [{ symbols: [{ ...good, assetClass: 'bond' }] }, /assetClass must be "stock" or "crypto"/],
    [{ symbols: [{ ...good, referencePrice: -1 }] }, /referencePrice must be a positive number/],
    [
      { symbols: [{ ...good, priceDecimals: 13 }] },
      /priceDecimals must be an integer from 0 to 12/,
    ],
  ])('rejects a broken data file with a message naming the entry', (data, message) => {
    expect(() => parseUniverse(data)).toThrow(message);
  });
});
