import { describe, expect, it } from 'vitest';
import { ClientAddress, isProxyEntry } from '../src/transport/client-address.js';

describe('ClientAddress', () => {
  it('is the peer without trusted proxies, whatever X-Forwarded-For says', () => {
    expect(new ClientAddress([]).of('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
  });

  it('takes the rightmost untrusted hop from a trusted peer', () => {
    const address = new ClientAddress(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(address.of('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    // A client's own header stays on the left, behind what the proxies appended.
    expect(address.of('127.0.0.1', '6.6.6.6, 198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
    expect(address.of('::1', '2001:db8::5')).toBe('2001:db8::5');
  });

  it('ignores the header from peers that are not trusted, and when it is garbled or empty', () => {
    const address = new ClientAddress(['127.0.0.1']);
    expect(address.of('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(address.of('127.0.0.1', '')).toBe('127.0.0.1');
    expect(address.of('127.0.0.1', 'not-an-address')).toBe('127.0.0.1');
    expect(address.of('127.0.0.1', '127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('isProxyEntry', () => {
  it('accepts addresses and subnets, and nothing else', () => {
    for (const good of ['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32', '0.0.0.0/0']) {
      expect([good, isProxyEntry(good)]).toEqual([good, true]);
    }
    for (const bad of [
      '',
      'proxy.example',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.0/8/1',
      '1.2.3.4/x',
    ]) {
      expect([bad, isProxyEntry(bad)]).toEqual([bad, false]);
    }
  });
});
