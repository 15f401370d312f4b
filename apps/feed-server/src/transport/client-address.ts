import { BlockList, isIP } from 'node:net';

/**
 * The address a client connects from, for the per-address limits and the logs. Behind a reverse
 * proxy every peer is the proxy, so the client's address comes from the X-Forwarded-For header,
 * but only from the peers named in TRUSTED_PROXIES: anyone else could write any address there.
 * Proxies append the address they were connected from, so the client is the rightmost address
 * that is not itself a trusted proxy (a client's own X-Forwarded-For stays to its left, unread).
 */
export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  /** `proxies`: addresses and subnets (`10.0.0.0/8`, `::1`), already validated (config.ts). */
  constructor(proxies: readonly string[]) {
    for (const proxy of proxies) {
      const [address = '', prefix] = proxy.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Number(prefix), type);
    }
    this.any = proxies.length > 0;
  }

  /** The client's address, given the peer's and the request's X-Forwarded-For header. */
  of(peer: string, forwardedFor: string): string {
    if (!this.any || !this.isTrusted(peer) || forwardedFor === '') return peer;
    const hops = forwardedFor.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = (hops[i] ?? '').trim();
      if (isIP(hop) === 0) return peer; // garbled by someone: the proxy's own view is safer
      if (!this.isTrusted(hop)) return hop;
    }
    return peer;
  }

  private isTrusted(address: string): boolean {
    const version = isIP(address);
    if (version === 0) return false;
    return this.trusted.check(address, version === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Whether `entry` is an address or a subnet TRUSTED_PROXIES accepts. */
export function isProxyEntry(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (version === 6 ? 128 : 32);
}
