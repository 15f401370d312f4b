import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { AssetClass } from '@ticker/protocol';
import { configFromEnv } from '../src/config.js';
import { candlesJson, decimal, selectCandles } from '../src/history/candles-json.js';
import { isRefusal, parseCandlesQuery } from '../src/history/candles-query.js';
import { MarketPath } from '../src/market-path/market-path.js';
import { OPENAPI_FILE, loadApiSchemas } from './openapi-schemas.js';

const api = await loadApiSchemas();
const { document } = api;

/** One example of a response body, with where it was found. */
interface BodyExample {
  readonly where: string;
  readonly schema: object;
  readonly example: OpenAPIV3_1.ExampleObject & { 'x-request'?: string; 'x-now'?: number };
}

/** Every example of every response body: the operations' own and the shared components'. */
function bodyExamples(): BodyExample[] {
  const found: BodyExample[] = [];
  const collect = (where: string, response: OpenAPIV3_1.ResponseObject | undefined) => {
    for (const [type, media] of Object.entries(response?.content ?? {})) {
      const examples = Object.entries(media.examples ?? {});
      if (examples.length === 0) throw new Error(`${where} ${type}: no example`);
      for (const [name, example] of examples) {
        if ('$ref' in example || media.schema === undefined) {
          throw new Error(`${where} ${type} ${name}: examples and schemas are written in place`);
        }
        found.push({ where: `${where} ${name}`, schema: media.schema, example });
      }
    }
  };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of ['get', 'options'] as const) {
      for (const [status, response] of Object.entries(item?.[method]?.responses ?? {})) {
        // Shared responses are collected once, below, under their own names.
        if (!('$ref' in response)) collect(`${method.toUpperCase()} ${path} ${status}`, response);
      }
    }
  }
  for (const [name, response] of Object.entries(document.components?.responses ?? {})) {
    if (!('$ref' in response)) collect(name, response);
  }
  return found;
}

const EXAMPLES = bodyExamples();
const CANDLES_EXAMPLES = EXAMPLES.filter((e) => e.example['x-request'] !== undefined);

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validated = await SwaggerParser.validate(OPENAPI_FILE);
    expect('openapi' in validated && validated.openapi).toMatch(/^3\.1\./);
  });

  it('would be refused if broken, so the check above can fail', async () => {
    const broken = structuredClone(document);
    const candles = broken.paths?.['/api/v1/candles']?.get;
    candles?.parameters?.push({ $ref: '#/components/parameters/from' });
    await expect(SwaggerParser.validate(broken)).rejects.toThrow(/from/);
  });

  it('names the schemas that answers are validated against', () => {
    for (const name of ['Candle', 'CandlesAnswer', 'SymbolsAnswer', 'Symbol', 'Decimal']) {
      expect(() => api.schema(name), name).not.toThrow();
    }
    const ok = (path: string) =>
      document.paths?.[path]?.get?.responses['200'] as OpenAPIV3_1.ResponseObject;
    expect(ok('/api/v1/candles').content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/CandlesAnswer',
    });
    expect(ok('/api/v1/symbols').content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/SymbolsAnswer',
    });
  });

  it('declares Ticker-As-Of on the 200 and 304 of candles, not on the directory', () => {
    const headers = (path: string, status: string) => {
      const written = document.paths?.[path]?.get?.responses[status];
      const response =
        written !== undefined && '$ref' in written
          ? document.components?.responses?.[written.$ref.split('/').at(-1) ?? '']
          : written;
      if (response === undefined || '$ref' in response) throw new Error(`${path} ${status}?`);
      return Object.keys(response.headers ?? {});
    };
    expect(headers('/api/v1/candles', '200')).toContain('Ticker-As-Of');
    expect(headers('/api/v1/candles', '304')).toContain('Ticker-As-Of');
    expect(headers('/api/v1/symbols', '200')).not.toContain('Ticker-As-Of');
    expect(headers('/api/v1/symbols', '304')).not.toContain('Ticker-As-Of');
  });

  it('has examples of both answers, and every body described has some', () => {
    // bodyExamples() throws for a body without examples.
    expect(CANDLES_EXAMPLES.length).toBeGreaterThanOrEqual(3);
    expect(EXAMPLES.some((e) => e.where.startsWith('GET /api/v1/symbols 200'))).toBe(true);
  });

  it.each(EXAMPLES.map((e) => [e.where, e] as const))(
    'example %s validates against its schema',
    (_, { schema, example }) => {
      const validate = api.compile(schema);
      expect(validate(example.value), JSON.stringify(validate.errors)).toBe(true);
    },
  );
});

describe('the schemas constrain the answers', () => {
  const minute = [1764547200000, '34666.20', '34669.18', '34637.70', '34647.42', '34.2171'];
  const candles = (...rows: unknown[]) => ({ symbol: 'BTC-USD', interval: '1m', candles: rows });
  const btc = {
    symbol: 'BTC-USD',
    id: 1,
    name: 'Bitcoin',
    assetClass: 'crypto',
    priceDecimals: 2,
    sizeDecimals: 4,
    tickSize: '0.01',
    lotSize: '0.0001',
  };
  const directory = (...symbols: unknown[]) => ({ intervals: ['1s', '1m'], symbols });

  it('accepts an answer without candles (a quiet stretch)', () => {
    expect(api.schema('CandlesAnswer')(candles())).toBe(true);
  });

  it.each([
    ['a price as a float', candles([minute[0], 34666.2, ...minute.slice(2)]), '/candles/0/1'],
    ['a 5-item candle', candles(minute.slice(0, 5)), '/candles/0'],
    ['a 7-item candle', candles([...minute, 12]), '/candles/0'],
    ['no symbol', { interval: '1m', candles: [minute] }, ''],
    ['a start as a string', candles(['1764547200000', ...minute.slice(1)]), '/candles/0/0'],
    ['a start within a second', candles([1764547200500, ...minute.slice(1)]), '/candles/0/0'],
    ['a start before the market', candles([1420070400000, ...minute.slice(1)]), '/candles/0/0'],
    ['a negative price', candles([minute[0], '-1.00', ...minute.slice(2)]), '/candles/0/1'],
    ['an exponent', candles([minute[0], '3.4e4', ...minute.slice(2)]), '/candles/0/1'],
    ['a bare dot', candles([...minute.slice(0, 5), '1.']), '/candles/0/5'],
    ['an interval not served', { ...candles(minute), interval: '2m' }, '/interval'],
    ['a member not described', { ...candles(minute), next: 1 }, ''],
    ['1,001 candles', candles(...Array<unknown>(1_001).fill(minute)), '/candles'],
  ])('refuses a candles answer with %s', (_, body, at) => {
    const validate = api.schema('CandlesAnswer');
    expect(validate(body)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(at);
  });

  it.each([
    ['a tick size as a number', directory({ ...btc, tickSize: 0.01 }), '/symbols/0/tickSize'],
    [
      'an asset class not served',
      directory({ ...btc, assetClass: 'forex' }),
      '/symbols/0/assetClass',
    ],
    ['13 decimals', directory({ ...btc, priceDecimals: 13 }), '/symbols/0/priceDecimals'],
    ['no id', directory({ ...btc, id: undefined }), '/symbols/0'],
    ['no intervals', { symbols: [btc] }, ''],
    ['an interval twice', { intervals: ['1s', '1s'], symbols: [btc] }, '/intervals'],
  ])('refuses a directory with %s', (_, body, at) => {
    const validate = api.schema('SymbolsAnswer');
    // undefined members are absent from JSON: drop them as a server's answer would.
    expect(validate(JSON.parse(JSON.stringify(body)))).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(at);
  });

  it('takes an error reason as one line, ended by a newline or not', () => {
    const reason = api.schema('Reason');
    expect(reason('limit must be an integer from 1 to 1000\n')).toBe(true);
    expect(reason('limit must be an integer from 1 to 1000')).toBe(true);
    expect(reason('limit must be an integer\nfrom 1 to 1000')).toBe(false);
    expect(reason('')).toBe(false);
  });
});

describe('the examples are real answers', () => {
  // The default settings (SEED, TICK_RATE, STOCK_HOURS, the built-in universe), as `npm start` has them.
  const config = configFromEnv({ LOG_LEVEL: 'silent' });
  const market = new MarketPath({
    universe: config.universe,
    seed: config.seed,
    ticksPerSecond: config.tickRate,
    stockHours: config.stockHours,
  });

  it.each(CANDLES_EXAMPLES.map((e) => [e.example['x-request'], e] as const))(
    '%s is what the default market answers, byte for byte',
    (request, { example }) => {
      const query = parseCandlesQuery(
        new URL(request ?? '', 'http://localhost').search.slice(1),
        config.universe,
      );
      if (isRefusal(query)) throw new Error(`${request}: ${query.reason}`);
      const now = example['x-now'] ?? query.end;
      if (now === null) throw new Error(`${request}: give x-now (no end)`);
      // If the market model changes, regenerate the examples from this body.
      expect(candlesJson(query, selectCandles(market, query, now))).toBe(
        JSON.stringify(example.value),
      );
    },
  );

  it('the directory example lists symbols of the built-in universe as they are', () => {
    const answer = EXAMPLES.find((e) => e.where === 'GET /api/v1/symbols 200 directory')?.example
      .value as { intervals: string[]; symbols: Array<Record<string, unknown>> } | undefined;
    expect(answer?.intervals).toEqual(['1s', '1m', '5m', '15m', '1h', '4h', '1d']);
    expect(answer?.symbols.length).toBeGreaterThanOrEqual(3);
    for (const entry of answer?.symbols ?? []) {
      const spec = config.universe.find((s) => s.ticker === entry.symbol);
      expect(spec, String(entry.symbol)).toBeDefined();
      if (spec === undefined) continue;
      expect(entry).toEqual({
        symbol: spec.ticker,
        id: spec.id,
        name: spec.name,
        assetClass: spec.assetClass === AssetClass.Stock ? 'stock' : 'crypto',
        priceDecimals: spec.priceDecimals,
        sizeDecimals: spec.sizeDecimals,
        tickSize: decimal(spec.tickSize, spec.priceDecimals),
        lotSize: decimal(spec.lotSize, spec.sizeDecimals),
      });
    }
    // In the directory's order.
    const places = answer?.symbols.map((e) =>
      config.universe.findIndex((s) => s.ticker === e.symbol),
    );
    expect(places).toEqual([...(places ?? [])].sort((a, b) => a - b));
  });
});
