import { describe, expect, it } from 'vitest';
import { MAX_VALUES_BYTES, validateDeclarations } from './index';
import { MAX_PATTERN_CHARS } from './pattern';
import { MAX_DESCRIPTION_CHARS } from './variable-declaration';

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);

describe('validateDeclarations: stored sizes and text (docs/contracts.md, "Text fields")', () => {
  it(`bounds the pattern to ${MAX_PATTERN_CHARS} characters of text without controls`, () => {
    expect(validateDeclarations([{ name: 'a', type: 'string', pattern: 'a'.repeat(MAX_PATTERN_CHARS) }])).toEqual([]);
    expect(validateDeclarations([{ name: 'a', type: 'string', pattern: 'a'.repeat(MAX_PATTERN_CHARS + 1) }])).toEqual([
      { field: 'variables[0].pattern', message: `must be at most ${MAX_PATTERN_CHARS} characters long` },
    ]);
    expect(validateDeclarations([{ name: 'a', type: 'string', pattern: 'a\ud800' }])).toEqual([
      { field: 'variables[0].pattern', message: 'must be well-formed Unicode (no lone surrogates)' },
    ]);
  });

  it(`bounds the description to ${MAX_DESCRIPTION_CHARS} characters of free text`, () => {
    const described = (description: unknown) => validateDeclarations([{ name: 'a', type: 'string', description }]);
    expect(described(`${'😀'.repeat(MAX_DESCRIPTION_CHARS - 2)}\r\n`)).toEqual([]);
    expect(described('x'.repeat(MAX_DESCRIPTION_CHARS + 1))).toEqual([
      { field: 'variables[0].description', message: `must be at most ${MAX_DESCRIPTION_CHARS} characters long` },
    ]);
    expect(fields(described('a\u0000'))).toEqual(['variables[0].description']);
    expect(fields(described(1))).toEqual(['variables[0].description']);
  });

  it(`bounds the whole list to ${MAX_VALUES_BYTES} bytes of JSON, as it is stored in one column`, () => {
    const list = (size: number) => {
      const decls = [0, 1].map((i) => ({ name: `v${i}`, type: 'string', default: '' }));
      const room = size - Buffer.byteLength(JSON.stringify(decls));
      decls[0].default = 'é'.repeat(Math.floor(room / 4));
      decls[1].default = 'é'.repeat(Math.floor(room / 4)) + 'x'.repeat(room - 4 * Math.floor(room / 4));
      return decls;
    };
    expect(Buffer.byteLength(JSON.stringify(list(MAX_VALUES_BYTES)))).toBe(MAX_VALUES_BYTES);
    expect(validateDeclarations(list(MAX_VALUES_BYTES))).toEqual([]);
    expect(validateDeclarations(list(MAX_VALUES_BYTES + 1), 'actions[0].variables')).toEqual([
      { field: 'actions[0].variables', message: `must not exceed ${MAX_VALUES_BYTES} bytes when serialized as JSON` },
    ]);
  });
});
