import { describe, expect, it } from 'vitest';
import { VariableDeclaration, validateVariables } from './index';

function errorsOf(result: ReturnType<typeof validateVariables>) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

function valueOf(result: ReturnType<typeof validateVariables>) {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('validateVariables', () => {
  const decl = (name: string, type: VariableDeclaration['type'], extra: Partial<VariableDeclaration> = {}) => ({
    name,
    type,
    ...extra,
  });

  it.each([[undefined], [null], [{}]])('treats %o as no values and applies defaults', (values) => {
    expect(valueOf(validateVariables([decl('a', 'integer', { default: 3 }), decl('b', 'string')], values))).toEqual({ a: 3 });
  });

  it.each([[[]], ['a=1'], [5], [true], [new Date()], [new Map([['a', 1]])]])('requires an object, not %o', (values) => {
    expect(errorsOf(validateVariables([], values))).toEqual([{ field: 'actionVariables', message: 'must be an object' }]);
  });

  it('uses the given field prefix', () => {
    expect(errorsOf(validateVariables([decl('a', 'string', { required: true })], {}, 'body.vars'))).toEqual([
      { field: 'body.vars.a', message: 'is required' },
    ]);
  });

  it('rejects each undeclared name', () => {
    expect(errorsOf(validateVariables([decl('a', 'string')], { a: 'x', foo: 1, bar: 2 }))).toEqual([
      { field: 'actionVariables.foo', message: 'is not a declared variable' },
      { field: 'actionVariables.bar', message: 'is not a declared variable' },
    ]);
  });

  it('reports each missing required variable, treating undefined as missing', () => {
    const decls = [decl('a', 'string', { required: true }), decl('b', 'boolean', { required: true }), decl('c', 'string')];
    expect(errorsOf(validateVariables(decls, { b: undefined }))).toEqual([
      { field: 'actionVariables.a', message: 'is required' },
      { field: 'actionVariables.b', message: 'is required' },
    ]);
  });

  it('takes variables named like Object.prototype members as data', () => {
    const decls = [decl('valueOf', 'integer'), decl('cfg', 'object')];
    const values = JSON.parse('{"valueOf":1,"cfg":{"toString":"x","hasOwnProperty":[1]}}');
    expect(JSON.stringify(valueOf(validateVariables(decls, values)))).toBe(JSON.stringify(values));
  });

  it('does not mistake inherited members for submitted values', () => {
    const decls = [decl('toString', 'string', { required: true }), decl('hasOwnProperty', 'string')];
    expect(errorsOf(validateVariables(decls, {}))).toEqual([{ field: 'actionVariables.toString', message: 'is required' }]);
    expect(valueOf(validateVariables(decls, { toString: 'x' }))).toEqual({ toString: 'x' });
  });

  it.each([
    ['string', ['', 'x', '1']],
    ['number', [0, -1.5, 1e300, Number.MAX_VALUE]],
    ['integer', [0, -7, 3.0, Number.MAX_SAFE_INTEGER]],
    ['boolean', [true, false]],
    ['object', [{}, { a: [1] }, Object.create(null)]],
    ['array', [[], [1, 'a', { b: null }]]],
  ] as const)('accepts %s values', (type, values) => {
    for (const value of values) expect(valueOf(validateVariables([decl('v', type)], { v: value }))).toEqual({ v: value });
  });

  it.each([
    ['string', [1, true, null, ['a'], {}], 'must be a string'],
    ['number', ['1', Number.NaN, Number.POSITIVE_INFINITY, null, true], 'must be a number'],
    ['integer', [1.5, '1', Number.NaN, Number.NEGATIVE_INFINITY, null], 'must be an integer'],
    ['boolean', ['true', 0, null], 'must be a boolean'],
    ['object', [[], null, 'x', 1], 'must be an object'],
    ['array', [{}, 'abc', null, { length: 0 }], 'must be an array'],
  ] as const)('rejects non-%s values, naming the type', (type, values, message) => {
    for (const value of values) {
      expect(errorsOf(validateVariables([decl('v', type)], { v: value }))).toEqual([{ field: 'actionVariables.v', message }]);
    }
  });

  describe('constraints', () => {
    const check = (d: VariableDeclaration, value: unknown) => validateVariables([d], { [d.name]: value });

    it('checks enum membership, comparing objects and arrays by content', () => {
      const size = decl('size', 'string', { enum: ['s', 'm'] });
      expect(check(size, 'm').ok).toBe(true);
      expect(errorsOf(check(size, 'l'))).toEqual([{ field: 'actionVariables.size', message: 'must be one of: "s", "m"' }]);
      const shape = decl('shape', 'object', { enum: [{ a: 1, b: [1, 2] }] });
      expect(check(shape, { b: [1, 2], a: 1 }).ok).toBe(true);
      for (const other of [{ a: 1, b: [2, 1] }, { a: 1 }, { a: 1, b: [1, 2], c: 3 }, { a: 1, c: [1, 2] }]) {
        expect(check(shape, other).ok).toBe(false);
      }
      expect(check(decl('list', 'array', { enum: [[1], []] }), []).ok).toBe(true);
      expect(check(decl('list', 'array', { enum: [[1], []] }), [[1]]).ok).toBe(false);
    });

    it('tests the pattern in RE2, matching code points as the u flag does', () => {
      const word = decl('word', 'string', { pattern: '^\\p{L}+$' });
      expect(check(word, 'héllo').ok).toBe(true);
      expect(errorsOf(check(word, 'a1'))).toEqual([
        { field: 'actionVariables.word', message: 'must match the pattern ^\\p{L}+$' },
      ]);
      // Unanchored patterns match anywhere, as RegExp#test does.
      expect(check(decl('w', 'string', { pattern: 'b' }), 'abc').ok).toBe(true);
    });

    it('checks maxLength before the pattern, and runs no pattern over a value that is too long', () => {
      const code = decl('code', 'string', { pattern: '^([a-zA-Z0-9]+\\s?)*$', maxLength: 30 });
      expect(errorsOf(check(code, `${'a'.repeat(30)}!`))).toEqual([
        { field: 'actionVariables.code', message: 'must be at most 30 characters long' },
      ]);
      expect(errorsOf(check(code, `${'a'.repeat(29)}!`))).toEqual([
        { field: 'actionVariables.code', message: 'must match the pattern ^([a-zA-Z0-9]+\\s?)*$' },
      ]);
    });

    it('refuses a value whose stored pattern RE2 cannot compile, rather than running it in JavaScript', () => {
      expect(errorsOf(check(decl('old', 'string', { pattern: '^(?!x)' }), 'a'))).toEqual([
        { field: 'actionVariables.old', message: 'cannot be checked: the declared pattern is not valid RE2 syntax' },
      ]);
    });

    it('counts string length in characters (code points)', () => {
      const short = decl('short', 'string', { maxLength: 2 });
      expect(check(short, '😀😀').ok).toBe(true);
      expect(errorsOf(check(short, '😀😀😀'))).toEqual([
        { field: 'actionVariables.short', message: 'must be at most 2 characters long' },
      ]);
    });

    it('counts array length in items', () => {
      const pair = decl('pair', 'array', { maxLength: 2 });
      expect(check(pair, ['abc', 'def']).ok).toBe(true);
      expect(errorsOf(check(pair, [1, 2, 3]))).toEqual([{ field: 'actionVariables.pair', message: 'must have at most 2 items' }]);
    });

    it('checks minimum and maximum inclusively', () => {
      const percent = decl('percent', 'number', { minimum: 0, maximum: 100 });
      for (const ok of [0, 50.5, 100]) expect(check(percent, ok).ok).toBe(true);
      expect(errorsOf(check(percent, -0.1))).toEqual([{ field: 'actionVariables.percent', message: 'must be >= 0' }]);
      expect(errorsOf(check(percent, 100.1))).toEqual([{ field: 'actionVariables.percent', message: 'must be <= 100' }]);
    });

    it('reports a type error alone, without constraint noise', () => {
      expect(errorsOf(check(decl('n', 'integer', { minimum: 5, enum: [5] }), '1'))).toEqual([
        { field: 'actionVariables.n', message: 'must be an integer' },
      ]);
    });
  });

  it('reports all errors at once', () => {
    const decls = [
      decl('name', 'string', { required: true }),
      decl('count', 'integer', { minimum: 1 }),
      decl('mode', 'string', { enum: ['a'] }),
      decl('flag', 'boolean'),
      decl('token', 'string', { required: true }),
    ];
    const errors = errorsOf(validateVariables(decls, { count: 0, mode: 'b', flag: 'yes', extra: 1 }));
    expect(errors).toEqual([
      { field: 'actionVariables.extra', message: 'is not a declared variable' },
      { field: 'actionVariables.name', message: 'is required' },
      { field: 'actionVariables.count', message: 'must be >= 1' },
      { field: 'actionVariables.mode', message: 'must be one of: "a"' },
      { field: 'actionVariables.flag', message: 'must be a boolean' },
      { field: 'actionVariables.token', message: 'is required' },
    ]);
  });

  it('returns only declared names, with submitted values winning over defaults', () => {
    const decls = [decl('a', 'string', { default: 'dflt' }), decl('b', 'integer', { default: 1 }), decl('c', 'boolean')];
    const value = valueOf(validateVariables(decls, { a: 'given' }));
    expect(value).toEqual({ a: 'given', b: 1 });
    expect(Object.keys(value)).toEqual(['a', 'b']);
  });

  it('deep-clones defaults so callers cannot alter the declaration', () => {
    const labels = decl('labels', 'object', { default: { tags: ['x'] } });
    const first = valueOf(validateVariables([labels], {}));
    expect(first.labels).toEqual({ tags: ['x'] });
    expect(first.labels).not.toBe(labels.default);
    (first.labels as { tags: string[] }).tags.push('mutated');
    expect(labels.default).toEqual({ tags: ['x'] });
    expect(valueOf(validateVariables([labels], {})).labels).toEqual({ tags: ['x'] });
  });

  it('does not modify the submitted values', () => {
    const values = { a: { b: [1] } };
    const snapshot = structuredClone(values);
    validateVariables([decl('a', 'object'), decl('c', 'string', { default: 'x' })], values);
    expect(values).toEqual(snapshot);
  });

  it('never quotes a submitted value in an error', () => {
    const decls = [decl('password', 'string', { secret: true, pattern: '^[a-z]+$', maxLength: 5, enum: ['abc'] })];
    const errors = errorsOf(validateVariables(decls, { password: 'Hunter2-s3cr3t' }));
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).not.toContain('Hunter2-s3cr3t');
  });
});
