import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeIpid } from './ipid';

describe('computeIpid', () => {
  it('is 64 lower-case hex characters and deterministic', () => {
    const ipid = computeIpid('alice', 'acme-orders', 'import', 'order-1');
    expect(ipid).toMatch(/^[0-9a-f]{64}$/);
    expect(computeIpid('alice', 'acme-orders', 'import', 'order-1')).toBe(ipid);
  });

  it('is the SHA-256 of the JSON array of the four parts', () => {
    const expected = createHash('sha256').update('["alice","c","a","x"]').digest('hex');
    expect(computeIpid('alice', 'c', 'a', 'x')).toBe(expected);
  });

  it.each([
    [['ab', 'c', 'a', 'x'], ['a', 'bc', 'a', 'x']],
    [['u', 'c', 'ab', 'x'], ['u', 'ca', 'b', 'x']],
    [['u', 'c', 'a', 'bx'], ['u', 'c', 'ab', 'x']],
    [['u|c', 'a', 'x', 'y'], ['u', 'c|a', 'x', 'y']],
    [['u","c', 'a', 'x', 'y'], ['u', 'c', 'a', 'x", "y']],
  ])('keeps %j and %j apart (no boundary ambiguity)', (left, right) => {
    const [a, b, c, d] = left;
    const [e, f, g, h] = right;
    expect(computeIpid(a, b, c, d)).not.toBe(computeIpid(e, f, g, h));
  });

  it('differs for each part: user, contract, action and extIPID all count', () => {
    const base = computeIpid('u', 'c', 'a', 'x');
    expect(computeIpid('U', 'c', 'a', 'x')).not.toBe(base);
    expect(computeIpid('u', 'C', 'a', 'x')).not.toBe(base);
    expect(computeIpid('u', 'c', 'A', 'x')).not.toBe(base);
    expect(computeIpid('u', 'c', 'a', 'x ')).not.toBe(base);
  });
});
