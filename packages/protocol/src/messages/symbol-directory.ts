import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { DecodeError } from '../errors.js';
import { readHeader, writeHeader } from '../header.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Limits } from '../limits.js';
import { MessageType } from '../version.js';

export const AssetClass = {
  Stock: 0,
  Crypto: 1,
} as const;
export type AssetClass = (typeof AssetClass)[keyof typeof AssetClass];

/** Decimals are capped so `10 ** decimals` stays an exact double. */
export const MAX_DECIMALS = 12;

/**
 * One tradable symbol. Prices travel as integers in units of 10^-priceDecimals and sizes in
 * units of 10^-sizeDecimals, so the wire never carries a float. Every price is a multiple of
 * `tickSize` and every size a multiple of `lotSize`, both counted in those units
 * (e.g. priceDecimals 2, tickSize 5: prices move in steps of 0.05).
 */
export interface SymbolInfo {
  readonly id: number;
  readonly ticker: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly priceDecimals: number;
  readonly sizeDecimals: number;
  readonly tickSize: number;
  readonly lotSize: number;
}

export interface SymbolDirectory {
  readonly symbols: readonly SymbolInfo[];
}

export function encodeSymbolDirectory(
  directory: SymbolDirectory,
  writer: ByteWriter = new ByteWriter(),
): Uint8Array {
  writer.reset();
  writeHeader(writer, MessageType.SymbolDirectory);
  writer.varint(directory.symbols.length);
  for (const symbol of directory.symbols) {
    writer.varint(symbol.id);
    writer.string(symbol.ticker);
    writer.string(symbol.name);
    writer.u8(symbol.assetClass);
    writer.u8(symbol.priceDecimals);
    writer.u8(symbol.sizeDecimals);
    writer.varint(symbol.tickSize);
    writer.varint(symbol.lotSize);
  }
  return writer.finish();
}

export function decodeSymbolDirectory(
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS,
): SymbolDirectory {
  const reader = new ByteReader(bytes);
  readHeader(reader, MessageType.SymbolDirectory);
  const count = reader.bounded('directory size', limits.maxDirectorySymbols);
  const symbols: SymbolInfo[] = [];
  for (let i = 0; i < count; i++) {
    const id = reader.varint();
    const ticker = reader.string(limits.maxStringBytes);
    const name = reader.string(limits.maxStringBytes);
    const assetClass = readAssetClass(reader);
    const priceDecimals = readDecimals(reader, 'priceDecimals');
    const sizeDecimals = readDecimals(reader, 'sizeDecimals');
    const tickSize = reader.atLeast('tickSize', 1);
    const lotSize = reader.atLeast('lotSize', 1);
    symbols.push({ id, ticker, name, assetClass, priceDecimals, sizeDecimals, tickSize, lotSize });
  }
  reader.end();
  return { symbols };
}

function readAssetClass(reader: ByteReader): AssetClass {
  const start = reader.offset;
  const value = reader.u8();
  if (value !== AssetClass.Stock && value !== AssetClass.Crypto) {
    throw new DecodeError(`unknown asset class ${value}`, start);
  }
  return value;
}

function readDecimals(reader: ByteReader, what: string): number {
  const start = reader.offset;
  const value = reader.u8();
  if (value > MAX_DECIMALS)
    throw new DecodeError(`${what} ${value} exceeds ${MAX_DECIMALS}`, start);
  return value;
}
