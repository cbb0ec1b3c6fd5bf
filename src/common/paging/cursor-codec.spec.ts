import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error';
import { CursorCodec } from './cursor-codec';

const isAfter = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

describe('CursorCodec', () => {
  const codec = new CursorCodec(randomBytes(32));

  it('round-trips a payload', () => {
    expect(codec.decode(codec.encode({ after: 'acme' }), isAfter)).toEqual({ after: 'acme' });
  });

  it.each([
    ['a changed payload', (cursor: string) => `${Buffer.from('{"after":"zzz"}').toString('base64url')}.${cursor.split('.')[1]}`],
    ['a changed signature', (cursor: string) => {
      const [body, signature] = cursor.split('.');
      return `${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    }],
    ['no signature', (cursor: string) => cursor.split('.')[0]],
    ['garbage', () => 'not a cursor'],
    ['an extra segment', (cursor: string) => `${cursor}.x`],
  ])('refuses %s with INVALID_CURSOR', (_label, tamper) => {
    const tampered = tamper(codec.encode({ after: 'acme' }));
    expect(() => codec.decode(tampered, isAfter)).toThrowError(DomainError);
  });

  it('refuses a cursor signed with another key', () => {
    const other = new CursorCodec(randomBytes(32));
    expect(() => codec.decode(other.encode({ after: 'acme' }), isAfter)).toThrowError(DomainError);
  });

  it('refuses a well-signed payload of the wrong shape', () => {
    expect(() => codec.decode(codec.encode({ before: 1 }), isAfter)).toThrowError(DomainError);
  });
});
