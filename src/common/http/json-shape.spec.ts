import { describe, expect, it } from 'vitest';
import { jsonShapeError, MAX_JSON_DEPTH, MAX_JSON_VALUES } from './json-shape';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const array = (length: number) => `[${Array.from({ length }, () => '0').join(',')}]`;

describe('jsonShapeError', () => {
  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more with 400`, () => {
    expect(jsonShapeError(bytes(nested(MAX_JSON_DEPTH)))).toBeUndefined();
    expect(jsonShapeError(bytes(nested(MAX_JSON_DEPTH + 1)))).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });

  it('counts depth at any point, not only at the end', () => {
    const deepThenShallow = `[${nested(MAX_JSON_DEPTH)}, 1]`;
    expect(jsonShapeError(bytes(deepThenShallow))).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });

  it(`accepts an array of ${MAX_JSON_VALUES - 1} items and refuses a bigger one with 413`, () => {
    expect(jsonShapeError(bytes(array(MAX_JSON_VALUES - 1)))).toBeUndefined();
    expect(jsonShapeError(bytes(array(MAX_JSON_VALUES + 1)))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('ignores brackets, commas and escaped quotes inside strings', () => {
    const inString = JSON.stringify({ text: `\\"${'[{,'.repeat(MAX_JSON_VALUES)}` });
    expect(jsonShapeError(bytes(inString))).toBeUndefined();
  });

  it('is not confused by multi-byte characters', () => {
    expect(jsonShapeError(bytes(JSON.stringify({ name: 'ジブリ[[[', list: ['é', '{'] })))).toBeUndefined();
  });
});
