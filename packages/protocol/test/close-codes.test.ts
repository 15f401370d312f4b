import { describe, expect, it } from 'vitest';
import { CloseCode, isTerminalCloseCode } from '../src/index.js';

describe('close codes', () => {
  it('tells a client to stay away only after verdicts on the client itself', () => {
    expect(isTerminalCloseCode(CloseCode.PolicyViolation)).toBe(true);
    expect(isTerminalCloseCode(CloseCode.MessageTooBig)).toBe(true);
    expect(isTerminalCloseCode(4500)).toBe(true);
    expect(isTerminalCloseCode(4999)).toBe(true);
    for (const code of [
      CloseCode.GoingAway,
      CloseCode.SlowConsumer,
      1000,
      1006,
      1011,
      CloseCode.ServerSilent,
      CloseCode.TokenExpired,
      4499,
    ]) {
      expect(isTerminalCloseCode(code)).toBe(false);
    }
  });
});
