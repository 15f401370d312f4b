import { LimitId } from '@ticker/protocol';
import { describe, expect, it } from 'vitest';
import { viewsOf } from '../src/hello-probe.js';
import { parseNetstat } from '../src/proc.js';
import { connectsInFlight, sourceAddressesFor, stormVerdict } from '../src/storm.js';

describe('the storm plan', () => {
  it('gives every address at most its share of clients', () => {
    expect(sourceAddressesFor(10_000, 40)).toBe(250);
    expect(sourceAddressesFor(10_001, 40)).toBe(251);
    expect(sourceAddressesFor(300, 40)).toBe(8);
    expect(sourceAddressesFor(1, 40)).toBe(1);
  });

  it('puts every connect in flight for "all", and never more than the clients', () => {
    expect(connectsInFlight('all', 10_000)).toBe(10_000);
    expect(connectsInFlight(1_000, 10_000)).toBe(1_000);
    expect(connectsInFlight(1_000, 300)).toBe(300);
  });

  it('judges a storm like any run: a busy load generator first, then a busy machine', () => {
    expect(stormVerdict(0.5, 0.05)).toBe('valid');
    expect(stormVerdict(0.71, 0.5)).toBe('load generator saturated');
    expect(stormVerdict(0.2, 0.11)).toBe('noisy');
  });
});

describe('parseNetstat', () => {
  it('reads TcpExt counters by name from the header and value lines', () => {
    const text = [
      'TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPSynRetrans',
      'TcpExt: 3 5001 5001 2853',
      'IpExt: InNoRoutes ListenOverflows',
      'IpExt: 0 77',
      '',
    ].join('\n');
    expect(parseNetstat(text)).toEqual({ listenOverflows: 5001, synRetransmits: 2853 });
    expect(parseNetstat('')).toEqual({ listenOverflows: 0, synRetransmits: 0 });
  });
});

describe('viewsOf', () => {
  const hello = (ids: number[]) => ({
    serverTime: 0,
    heartbeatIntervalMs: 5_000,
    limits: ids.map((id) => ({ id, value: 250 })),
  });

  it('finds views only where the hello announces QuoteIntervalMs (limit 7)', () => {
    expect(viewsOf(hello([1, 2, 3, 4, 5, LimitId.QuoteIntervalMs]))).toEqual({ views: true });
    expect(viewsOf(hello([1, 2, 3, 4, 5]))).toEqual({
      views: false,
      why: "the server's hello does not announce QuoteIntervalMs (limit 7; it announces 1, 2, 3, 4, 5), so it has no quote view",
    });
    const none = viewsOf(hello([]));
    expect(none.views ? '' : none.why).toMatch(/it announces none\)/);
  });
});
