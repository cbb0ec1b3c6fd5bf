import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '../errors/validation-errors';
import { CharLength, charCount, IsSafeText, unsafeTextReason } from './safe-text';

class Named {
  @CharLength(1, 4)
  @IsSafeText()
  name: string;

  @IsSafeText({ freeText: true })
  description = 'ok';

  @IsSafeText({ each: true })
  tags: string[] = [];
}

const named = (fields: Partial<Named>) => Object.assign(new Named(), { name: 'n' }, fields);
const errorsOf = (value: Named) => toFieldErrors(validateSync(value));

describe('unsafeTextReason', () => {
  it.each([['\ud800'], ['\udfff'], ['a\ud801b'], ['😀'.slice(0, 1)], ['😀'.slice(1)]])('refuses the lone surrogate in %j', (value) => {
    expect(unsafeTextReason(value)).toBe('must be well-formed Unicode (no lone surrogates)');
    expect(unsafeTextReason(value, { freeText: true })).toBe('must be well-formed Unicode (no lone surrogates)');
  });

  it.each([['\u0000'], ['\u0001'], ['\t'], ['\n'], ['\r'], ['\u001f'], ['\u007f'], ['\u0085'], ['\u009f']])(
    'refuses the control character %j in a name',
    (char) => expect(unsafeTextReason(`a${char}b`)).toBe('must not contain control characters'),
  );

  it('lets free text keep tab and line breaks, but no other control', () => {
    expect(unsafeTextReason('line 1\r\n\tline 2', { freeText: true })).toBeUndefined();
    for (const char of ['\u0000', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085']) {
      expect(unsafeTextReason(char, { freeText: true })).toBe('must not contain control characters other than tab and line breaks');
    }
  });

  it.each([['\ufffd'], ['😀'], ['é'], ['漢字'], ['a\u200db'], [''], ['\u00a0']])('accepts %j', (value) => {
    expect(unsafeTextReason(value)).toBeUndefined();
  });
});

describe('charCount', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['😀😀', 2],
    ['a\ufe0f', 2],
    ['e\u0301', 2],
    ['\ud800', 1],
    ['\udc00\ud800', 2],
  ])('counts %j as %i code points', (value, count) => expect(charCount(value)).toBe(count));
});

describe('IsSafeText and CharLength', () => {
  it('name each bad field with the reason', () => {
    expect(errorsOf(named({ name: 'a\u0000', description: 'x\ud800', tags: ['ok', 'b\u0085'] }))).toEqual([
      { field: 'name', message: 'name must not contain control characters' },
      { field: 'description', message: 'description must be well-formed Unicode (no lone surrogates)' },
      { field: 'tags', message: 'tags must not contain control characters' },
    ]);
  });

  it('count code points, where class-validator skips variation selectors', () => {
    expect(errorsOf(named({ name: '😀😀😀😀' }))).toEqual([]);
    expect(errorsOf(named({ name: 'a\ufe0fb\ufe0f' }))).toEqual([]);
    expect(errorsOf(named({ name: 'a\ufe0fb\ufe0fc' }))).toEqual([{ field: 'name', message: 'name must be 1-4 characters long' }]);
    expect(errorsOf(named({ name: '' }))).toEqual([{ field: 'name', message: 'name must be 1-4 characters long' }]);
  });
});
