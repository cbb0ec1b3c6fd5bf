import { describe, expect, it } from 'vitest';
import { isPrincipalName, PRINCIPAL_NAME_MAX_LENGTH } from './principal-name';

describe('isPrincipalName', () => {
  it('accepts names up to the column length counted in code points, astral characters included', () => {
    expect(isPrincipalName('alice')).toBe(true);
    expect(isPrincipalName('a'.repeat(PRINCIPAL_NAME_MAX_LENGTH))).toBe(true);
    expect(isPrincipalName('😀'.repeat(PRINCIPAL_NAME_MAX_LENGTH))).toBe(true);
    expect(isPrincipalName('jwt:f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toBe(true);
  });

  it.each([
    ['a number', 123],
    ['an object', { id: 'alice' }],
    ['an array', ['alice']],
    ['null', null],
    ['an empty string', ''],
    ['129 characters', 'a'.repeat(PRINCIPAL_NAME_MAX_LENGTH + 1)],
    ['129 astral characters', '😀'.repeat(PRINCIPAL_NAME_MAX_LENGTH + 1)],
    ['a newline', 'alice\n'],
    ['a NUL', 'al\u0000ice'],
    ['DEL', 'alice\u007f'],
    ['a C1 control', 'alice\u0085'],
    ['a lone surrogate', 'alice\ud800'],
  ])('refuses %s', (_label, value) => {
    expect(isPrincipalName(value)).toBe(false);
  });
});
