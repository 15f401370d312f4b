import { describe, expect, it } from 'vitest';
import { readAccessToken } from '../src/feed/access-token';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
  };
}

describe('readAccessToken', () => {
  it('takes the link’s token and keeps it for the tab’s later loads', () => {
    const storage = memoryStorage();
    expect(readAccessToken('?symbols=BTC-USD&token=abc.def.ghi', storage)).toBe('abc.def.ghi');
    expect(readAccessToken('?symbols=BTC-USD', storage)).toBe('abc.def.ghi');
    expect(readAccessToken('?token=newer', storage)).toBe('newer');
  });

  it('is null without a token, and works without storage', () => {
    expect(readAccessToken('', memoryStorage())).toBeNull();
    expect(readAccessToken('?token=', null)).toBeNull();
    expect(readAccessToken('?token=abc', null)).toBe('abc');
  });
});
