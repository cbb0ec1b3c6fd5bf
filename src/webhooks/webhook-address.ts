import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why a receiver's address is refused: it names the address and its range. */
export class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
}

/** The ipaddr.js range that makes an address unfit for a webhook, or undefined for public unicast (docs/security.md, "Webhooks"). */
export function refusedRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** The host of a URL as an IP literal (brackets removed), or undefined for a name. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? bare : undefined;
}

function assertPublic(host: string, addresses: readonly string[]): void {
  for (const address of addresses) {
    const range = refusedRange(address);
    if (range) throw new RefusedAddressError(`${host} resolves to ${address}, a ${range} address; receivers must be on public networks`);
  }
}

/** Resolves a host as the delivery will and refuses it when any of its addresses is not public. */
export async function assertPublicHost(hostname: string): Promise<void> {
  const literal = ipLiteral(hostname);
  if (literal) return assertPublic(hostname, [literal]);
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  );
  assertPublic(hostname, addresses.map((entry) => entry.address));
}

/** The HTTP client's `lookup`: the socket connects to the address checked here, so DNS rebinding has no window. */
export const publicOnlyLookup: LookupFunction = (hostname: string, options: LookupOptions, callback: (...args: never[]) => void) => {
  const done = callback as unknown as (error: Error | null, address?: string | LookupAddress[], family?: number) => void;
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return done(error);
    try {
      assertPublic(hostname, addresses.map((entry) => entry.address));
    } catch (refusal) {
      return done(refusal as Error);
    }
    if (options.all) return done(null, addresses);
    done(null, addresses[0].address, addresses[0].family);
  });
};
