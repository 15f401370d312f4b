import { describe, expect, it } from 'vitest';
import { CloseCode, isTerminalCloseCode, subprotocolsFor } from '../src/index.js';

describe('the handshake', () => {
  it('offers the token as a subprotocol beside ticker, and nothing without one', () => {
    expect(subprotocolsFor('abc.def.ghi')).toEqual(['ticker', 'ticker.token.abc.def.ghi']);
    expect(subprotocolsFor(null)).toEqual([]);
    expect(subprotocolsFor('')).toEqual([]);
  });

  it('lets a client whose token expired come back with a fresh one', () => {
    expect(isTerminalCloseCode(CloseCode.TokenExpired)).toBe(false);
  });
});
