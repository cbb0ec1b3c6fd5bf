import { describe, expect, it } from 'vitest';
import { assertPublicHost, ipLiteral, publicOnlyLookup, refusedRange } from './webhook-address';

describe('webhook receiver addresses (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });

  it('reads IP literals out of URL hosts, brackets included', () => {
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('10.0.0.1')).toBe('10.0.0.1');
    expect(ipLiteral('example.com')).toBeUndefined();
  });

  it('refuses hosts that resolve to private addresses, literals and names alike', async () => {
    await expect(assertPublicHost('[::1]')).rejects.toThrow(/::1, a loopback address/);
    await expect(assertPublicHost('169.254.169.254')).rejects.toThrow(/linkLocal/);
    await expect(assertPublicHost('localhost')).rejects.toThrow(/loopback/);
    await expect(assertPublicHost('8.8.8.8')).resolves.toBeUndefined();
  });

  it('fails the connection lookup for a name that resolves to loopback', async () => {
    const error = await new Promise<Error | null>((resolve) => publicOnlyLookup('localhost', {}, (failure: Error | null) => resolve(failure)));
    expect(error?.message).toMatch(/localhost resolves to .*loopback/);
  });
});
