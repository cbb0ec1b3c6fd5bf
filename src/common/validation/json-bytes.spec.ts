import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '../errors/validation-errors';
import { jsonByteLength, KeepAsSent, MaxJsonBytes } from './json-bytes';

const INHERITED = JSON.parse('{"toString":"a","valueOf":1,"hasOwnProperty":[2],"isPrototypeOf":{"toLocaleString":3},"plain":4}');

class Copied {
  attrs: Record<string, unknown>;
}

class Kept {
  @KeepAsSent()
  attrs: Record<string, unknown>;
}

class Bounded {
  @MaxJsonBytes(10)
  result: unknown;
}

describe('jsonByteLength', () => {
  it.each([
    ['ascii', 'abc', 5],
    ['two-byte', 'é', 4],
    ['astral', '😀', 6],
    ['a control escaped as \\u0001', '\u0001', 8],
    ['a quote escaped', '"', 4],
    ['a lone surrogate, escaped by JSON.stringify', '\ud800', 8],
  ])('counts UTF-8 bytes of the JSON: %s', (_label, value, bytes) => expect(jsonByteLength(value)).toBe(bytes));

  it('answers undefined for what JSON cannot hold', () => {
    expect(jsonByteLength(undefined)).toBeUndefined();
    expect(jsonByteLength(1n)).toBeUndefined();
  });

  it('bounds a field, naming it', () => {
    const errors = (result: unknown) => toFieldErrors(validateSync(Object.assign(new Bounded(), { result })));
    expect(errors(['123456'])).toEqual([]);
    expect(errors(['é23456'])).toEqual([{ field: 'result', message: 'result must be JSON of at most 10 bytes' }]);
  });
});

describe('KeepAsSent', () => {
  it('is needed: class-transformer drops keys named like Object.prototype members', () => {
    expect(plainToInstance(Copied, { attrs: INHERITED }).attrs).toEqual({ plain: 4 });
  });

  it('keeps the value exactly as parsed', () => {
    const kept = plainToInstance(Kept, { attrs: INHERITED }).attrs;
    expect(kept).toBe(INHERITED);
    expect(JSON.stringify(kept)).toBe(JSON.stringify(INHERITED));
  });
});
