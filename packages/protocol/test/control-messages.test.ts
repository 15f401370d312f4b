import { describe, expect, it } from 'vitest';
import {
  AssetClass,
  DEFAULT_LIMITS,
  DecodeError,
  ErrorCode,
  MessageType,
  decodeAck,
  decodeErrorReply,
  decodeSubscribe,
  decodeSymbolDirectory,
  decodeUnsubscribe,
  encodeAck,
  encodeErrorReply,
  encodeSubscribe,
  encodeSymbolDirectory,
  encodeUnsubscribe,
  peekClientMessageType,
  peekServerMessageType,
} from '../src/index.js';
import { captureDecodeError, fromHex } from './helpers.js';

const directory = {
  symbols: [
    {
      id: 1,
      ticker: 'BTC-USD',
      name: 'Bitcoin',
      assetClass: AssetClass.Crypto,
      priceDecimals: 2,
      sizeDecimals: 4,
      tickSize: 1,
      lotSize: 1,
    },
    {
      id: 300,
      ticker: 'AAPL',
      name: 'Apple Inc. — common stock',
      assetClass: AssetClass.Stock,
      priceDecimals: 2,
      sizeDecimals: 0,
      tickSize: 5,
      lotSize: 100,
    },
  ],
};

describe('symbol directory', () => {
  it('round-trips, including non-ASCII names', () => {
    expect(decodeSymbolDirectory(encodeSymbolDirectory(directory).slice())).toEqual(directory);
  });

  it('rejects invalid UTF-8, unknown asset classes and excessive decimals', () => {
    const bytes = encodeSymbolDirectory({ symbols: directory.symbols.slice(0, 1) }).slice();
    const badUtf8 = bytes.slice();
    badUtf8[5] = 0xff; // inside "BTC-USD"
    expect(() => decodeSymbolDirectory(badUtf8)).toThrow(/UTF-8/);
    // The entry ends: assetClass, priceDecimals, sizeDecimals, tickSize, lotSize (one byte each).
    const badClass = bytes.slice();
    badClass[bytes.length - 5] = 9;
    expect(() => decodeSymbolDirectory(badClass)).toThrow(/asset class 9/);
    const badDecimals = bytes.slice();
    badDecimals[bytes.length - 3] = 13;
    expect(() => decodeSymbolDirectory(badDecimals)).toThrow(/sizeDecimals 13/);
    const zeroTick = bytes.slice();
    zeroTick[bytes.length - 2] = 0;
    expect(() => decodeSymbolDirectory(zeroTick)).toThrow(/tickSize 0 is below 1/);
  });

  it('rejects strings over the limit before reading them', () => {
    const limits = { ...DEFAULT_LIMITS, maxStringBytes: 4 };
    const error = captureDecodeError(() =>
      decodeSymbolDirectory(encodeSymbolDirectory(directory), limits),
    );
    expect(error.code).toBe(ErrorCode.LimitExceeded);
    expect(error.offset).toBe(4);
  });
});

describe('subscribe and unsubscribe', () => {
  const request = { requestId: 42, symbolIds: [1, 300, 7] };

  it('round-trip and carry distinct types', () => {
    const subscribe = encodeSubscribe(request);
    const unsubscribe = encodeUnsubscribe(request);
    expect(decodeSubscribe(subscribe)).toEqual(request);
    expect(decodeUnsubscribe(unsubscribe)).toEqual(request);
    expect(peekClientMessageType(subscribe)).toBe(MessageType.Subscribe);
    expect(peekClientMessageType(unsubscribe)).toBe(MessageType.Unsubscribe);
    expect(() => decodeSubscribe(unsubscribe)).toThrow(DecodeError);
  });

  it('rejects an empty symbol list and one over the limit', () => {
    expect(() => decodeSubscribe(fromHex('0181' + '01' + '00'))).toThrow(/no symbols/);
    const many = encodeSubscribe({ requestId: 1, symbolIds: [1, 2, 3] });
    const error = captureDecodeError(() =>
      decodeSubscribe(many, { ...DEFAULT_LIMITS, maxSymbolsPerRequest: 2 }),
    );
    expect(error.code).toBe(ErrorCode.LimitExceeded);
  });
});

describe('ack and error replies', () => {
  it('round-trip', () => {
    expect(decodeAck(encodeAck({ requestId: 5 }))).toEqual({ requestId: 5 });
    const reply = { requestId: 9, code: ErrorCode.UnknownSymbol, message: 'unknown symbol id 99' };
    expect(decodeErrorReply(encodeErrorReply(reply))).toEqual(reply);
  });
});

describe('headers', () => {
  it('tell server and client messages apart', () => {
    expect(peekServerMessageType(encodeAck({ requestId: 1 }))).toBe(MessageType.Ack);
    const error = captureDecodeError(() =>
      peekServerMessageType(encodeSubscribe({ requestId: 1, symbolIds: [1] })),
    );
    expect(error.code).toBe(ErrorCode.UnknownMessageType);
    expect(captureDecodeError(() => peekClientMessageType(fromHex('01'))).message).toMatch(
      /truncated/,
    );
    expect(captureDecodeError(() => peekClientMessageType(fromHex('0081'))).code).toBe(
      ErrorCode.UnsupportedVersion,
    );
    expect(captureDecodeError(() => peekClientMessageType(new Uint8Array())).offset).toBe(0);
  });
});
