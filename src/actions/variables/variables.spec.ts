import { describe, expect, it } from 'vitest';
import {
  FORBIDDEN_KEYS,
  MAX_VALUE_DEPTH,
  MAX_VALUE_NODES,
  MAX_VALUES_BYTES,
  VariableDeclaration,
  isPlainObject,
  validateDeclarations,
  validateVariables,
} from './index';

/** `levels` nested arrays around `leaf`: nested(2) is [[0]]. */
function nested(levels: number, leaf: unknown = 0): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function errorsOf(result: ReturnType<typeof validateVariables>) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

function valueOf(result: ReturnType<typeof validateVariables>) {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);

describe('isPlainObject', () => {
  it('accepts object literals and null-prototype objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(JSON.parse('{"a":[1]}'))).toBe(true);
  });

  it.each([[null], [undefined], [[]], ['x'], [1], [new Date()], [new Map()], [() => 1], [new (class Foo {})()]])(
    'rejects %o',
    (value) => expect(isPlainObject(value)).toBe(false),
  );
});

describe('validateDeclarations', () => {
  it('accepts a list using every type with its applicable constraints', () => {
    const decls = [
      { name: 'region', type: 'string', required: true, pattern: '^[a-z]+-\\d$', maxLength: 12, description: 'where' },
      { name: 'color', type: 'string', enum: ['red', 'green'], default: 'red' },
      { name: 'ratio', type: 'number', minimum: 0, maximum: 1, default: 0.5 },
      { name: 'replicas', type: 'integer', minimum: 1, maximum: 1, default: 1 },
      { name: 'dry_run', type: 'boolean', default: false, secret: false },
      { name: 'labels', type: 'object', default: { team: 'ops' }, enum: [{ team: 'ops' }, {}] },
      { name: 'hosts', type: 'array', maxLength: 3, default: ['a'] },
      { name: 'api.token-2', type: 'string', secret: true, required: false },
    ];
    expect(validateDeclarations(decls)).toEqual([]);
  });

  it('accepts an empty list', () => {
    expect(validateDeclarations([])).toEqual([]);
  });

  it.each([[undefined], [null], [{}], ['[]'], [1]])('requires an array, not %o', (decls) => {
    expect(validateDeclarations(decls)).toEqual([{ field: 'variables', message: 'must be an array' }]);
  });

  it('uses the given field prefix', () => {
    expect(validateDeclarations({}, 'spec.variables')).toEqual([{ field: 'spec.variables', message: 'must be an array' }]);
    expect(fields(validateDeclarations([{ name: 'a', type: 'nope' }], 'spec.variables'))).toEqual([
      'spec.variables[0].type',
    ]);
  });

  it.each([[null], ['a'], [[]], [new Date()]])('requires each item to be an object, not %o', (item) => {
    expect(validateDeclarations([{ name: 'ok', type: 'string' }, item])).toEqual([
      { field: 'variables[1]', message: 'must be an object' },
    ]);
  });

  it('rejects unknown keys, each by name', () => {
    expect(validateDeclarations([{ name: 'a', type: 'string', Required: true, min: 1 }])).toEqual([
      { field: 'variables[0].Required', message: 'is not a known declaration property' },
      { field: 'variables[0].min', message: 'is not a known declaration property' },
    ]);
  });

  it.each([['a'], ['_'], ['A.b-c_1'], ['_9'], ['x'.repeat(64)]])('accepts the name %s', (name) => {
    expect(validateDeclarations([{ name, type: 'string' }])).toEqual([]);
  });

  it.each([[''], ['1a'], ['-a'], ['.a'], ['a b'], ['a/b'], ['é'], ['x'.repeat(65)], [undefined], [7]])(
    'rejects the name %o',
    (name) => {
      expect(fields(validateDeclarations([{ name, type: 'string' }]))).toEqual(['variables[0].name']);
    },
  );

  it.each(FORBIDDEN_KEYS.map((name) => [name]))('rejects the reserved name %s', (name) => {
    expect(validateDeclarations([{ name, type: 'string' }])).toEqual([
      { field: 'variables[0].name', message: 'is a reserved name' },
    ]);
  });

  it('rejects every repeated name, case-sensitively', () => {
    const decls = ['a', 'b', 'a', 'A', 'a'].map((name) => ({ name, type: 'string' }));
    expect(validateDeclarations(decls)).toEqual([
      { field: 'variables[2].name', message: 'duplicates the name of an earlier variable' },
      { field: 'variables[4].name', message: 'duplicates the name of an earlier variable' },
    ]);
  });

  it.each([['str'], ['Integer'], [undefined], [null], [['string']]])('rejects the type %o', (type) => {
    expect(validateDeclarations([{ name: 'a', type }])).toEqual([
      { field: 'variables[0].type', message: 'must be one of: string, number, integer, boolean, object, array' },
    ]);
  });

  it('checks the types of required, secret and description', () => {
    expect(validateDeclarations([{ name: 'a', type: 'string', required: 'yes', secret: 1, description: 3 }])).toEqual([
      { field: 'variables[0].required', message: 'must be a boolean' },
      { field: 'variables[0].secret', message: 'must be a boolean' },
      { field: 'variables[0].description', message: 'must be a string' },
    ]);
  });

  it.each([
    ['pattern', '^a$', ['number', 'integer', 'boolean', 'object', 'array'], 'only applies to string variables'],
    ['minimum', 0, ['string', 'boolean', 'object', 'array'], 'only applies to number and integer variables'],
    ['maximum', 0, ['string', 'boolean', 'object', 'array'], 'only applies to number and integer variables'],
    ['maxLength', 1, ['number', 'integer', 'boolean', 'object'], 'only applies to string and array variables'],
  ])('allows %s only on the types it applies to', (key, constraint, wrongTypes, message) => {
    for (const type of wrongTypes) {
      expect(validateDeclarations([{ name: 'a', type, [key]: constraint }])).toEqual([
        { field: `variables[0].${key}`, message },
      ]);
    }
  });

  it('requires minimum <= maximum', () => {
    expect(validateDeclarations([{ name: 'a', type: 'number', minimum: 2, maximum: 1 }])).toEqual([
      { field: 'variables[0].minimum', message: 'must not be greater than maximum' },
    ]);
    expect(validateDeclarations([{ name: 'a', type: 'integer', minimum: -1.5, maximum: -1.5 }])).toEqual([]);
  });

  it.each([['1'], [Number.NaN], [Number.POSITIVE_INFINITY], [null]])('requires finite numeric bounds, not %o', (bound) => {
    expect(fields(validateDeclarations([{ name: 'a', type: 'number', minimum: bound, maximum: bound }]))).toEqual([
      'variables[0].minimum',
      'variables[0].maximum',
    ]);
  });

  it.each([[-1], [1.5], ['3'], [Number.POSITIVE_INFINITY]])('requires maxLength to be an integer >= 0, not %o', (maxLength) => {
    expect(validateDeclarations([{ name: 'a', type: 'array', maxLength }])).toEqual([
      { field: 'variables[0].maxLength', message: 'must be an integer >= 0' },
    ]);
  });

  it('accepts maxLength 0', () => {
    expect(validateDeclarations([{ name: 'a', type: 'string', maxLength: 0 }])).toEqual([]);
  });

  it('requires the pattern to be a string that compiles with the u flag', () => {
    expect(validateDeclarations([{ name: 'a', type: 'string', pattern: /a/ }])).toEqual([
      { field: 'variables[0].pattern', message: 'must be a string' },
    ]);
    const [unclosed] = validateDeclarations([{ name: 'a', type: 'string', pattern: '(' }]);
    expect(unclosed.field).toBe('variables[0].pattern');
    expect(unclosed.message).toMatch(/^is not a valid regular expression: /);
    // Valid without the u flag, invalid with it.
    expect(fields(validateDeclarations([{ name: 'a', type: 'string', pattern: '\\q' }]))).toEqual(['variables[0].pattern']);
    expect(validateDeclarations([{ name: 'a', type: 'string', pattern: '^\\p{L}+$' }])).toEqual([]);
  });

  it.each([[[]], ['a'], [{}], [null]])('requires the enum to be a non-empty array, not %o', (values) => {
    expect(validateDeclarations([{ name: 'a', type: 'string', enum: values }])).toEqual([
      { field: 'variables[0].enum', message: 'must be a non-empty array' },
    ]);
  });

  it('requires every enum value to satisfy the type', () => {
    expect(validateDeclarations([{ name: 'a', type: 'integer', enum: [1, 2.5, '3', 4] }])).toEqual([
      { field: 'variables[0].enum[1]', message: 'must be an integer' },
      { field: 'variables[0].enum[2]', message: 'must be an integer' },
    ]);
    expect(fields(validateDeclarations([{ name: 'a', type: 'object', enum: [{}, []] }]))).toEqual(['variables[0].enum[1]']);
  });

  it('applies the hostile-input bounds to enum values', () => {
    expect(fields(validateDeclarations([{ name: 'a', type: 'object', enum: [JSON.parse('{"b":{"__proto__":1}}')] }]))).toEqual([
      'variables[0].enum[0].b.__proto__',
    ]);
    expect(fields(validateDeclarations([{ name: 'a', type: 'array', enum: [nested(MAX_VALUE_DEPTH + 1)] }]))).toHaveLength(1);
    expect(validateDeclarations([{ name: 'a', type: 'array', enum: [nested(MAX_VALUE_DEPTH)] }])).toEqual([]);
  });

  describe('default', () => {
    it.each([
      [{ type: 'string' }, 1, 'must be a string'],
      [{ type: 'number' }, '1', 'must be a number'],
      [{ type: 'integer' }, 1.5, 'must be an integer'],
      [{ type: 'boolean' }, 'false', 'must be a boolean'],
      [{ type: 'object' }, [], 'must be an object'],
      [{ type: 'array' }, {}, 'must be an array'],
      [{ type: 'string', enum: ['a', 'b'] }, 'c', 'must be one of: "a", "b"'],
      [{ type: 'object', enum: [{ a: 1 }] }, { a: 2 }, 'must be one of: {"a":1}'],
      [{ type: 'string', pattern: '^\\d+$' }, '12a', 'must match the pattern ^\\d+$'],
      [{ type: 'number', minimum: 1 }, 0.5, 'must be >= 1'],
      [{ type: 'integer', maximum: 10 }, 11, 'must be <= 10'],
      [{ type: 'string', maxLength: 2 }, 'abc', 'must be at most 2 characters long'],
      [{ type: 'array', maxLength: 1 }, [1, 2], 'must have at most 1 items'],
    ])('must satisfy its own declaration %o (default %o)', (decl, defaultValue, message) => {
      expect(validateDeclarations([{ name: 'a', ...decl, default: defaultValue }])).toEqual([
        { field: 'variables[0].default', message },
      ]);
    });

    it('reports every constraint the default breaks', () => {
      expect(validateDeclarations([{ name: 'a', type: 'string', pattern: '^\\d+$', maxLength: 1, default: 'ab' }])).toEqual([
        { field: 'variables[0].default', message: 'must match the pattern ^\\d+$' },
        { field: 'variables[0].default', message: 'must be at most 1 characters long' },
      ]);
    });

    it('is not allowed on a required variable', () => {
      expect(validateDeclarations([{ name: 'a', type: 'string', required: true, default: 'x' }])).toEqual([
        { field: 'variables[0].default', message: 'a required variable cannot have a default' },
      ]);
      expect(validateDeclarations([{ name: 'a', type: 'string', required: false, default: 'x' }])).toEqual([]);
    });

    it('is not judged against a broken declaration', () => {
      expect(fields(validateDeclarations([{ name: 'a', type: 'string', pattern: '(', default: 'x' }]))).toEqual([
        'variables[0].pattern',
      ]);
      expect(fields(validateDeclarations([{ name: 'a', type: 'nope', default: 1 }]))).toEqual(['variables[0].type']);
    });

    it('is still judged when only unrelated keys are wrong', () => {
      expect(fields(validateDeclarations([{ name: '1', type: 'integer', default: 'x', extra: 1 }]))).toEqual([
        'variables[0].extra',
        'variables[0].name',
        'variables[0].default',
      ]);
    });

    it('rejects forbidden keys at any depth, naming each path', () => {
      const defaultValue = JSON.parse('{"a":[{"constructor":1}],"__proto__":{},"b":{"prototype":2}}');
      const errors = validateDeclarations([{ name: 'a', type: 'object', default: defaultValue }]);
      expect(errors).toHaveLength(3);
      expect(errors).toEqual(
        expect.arrayContaining([
          { field: 'variables[0].default.a[0].constructor', message: 'is a forbidden key' },
          { field: 'variables[0].default.__proto__', message: 'is a forbidden key' },
          { field: 'variables[0].default.b.prototype', message: 'is a forbidden key' },
        ]),
      );
    });

    it(`accepts ${MAX_VALUE_DEPTH} levels of nesting and rejects more`, () => {
      expect(validateDeclarations([{ name: 'a', type: 'array', default: nested(MAX_VALUE_DEPTH) }])).toEqual([]);
      expect(validateDeclarations([{ name: 'a', type: 'array', default: nested(MAX_VALUE_DEPTH + 1) }])).toEqual([
        {
          field: `variables[0].default${'[0]'.repeat(MAX_VALUE_DEPTH)}`,
          message: `must not nest deeper than ${MAX_VALUE_DEPTH} levels`,
        },
      ]);
    });

    it(`accepts ${MAX_VALUE_NODES} keys and items in total and rejects more`, () => {
      const atLimit = { a: new Array(MAX_VALUE_NODES - 2).fill(0), b: {} };
      expect(validateDeclarations([{ name: 'a', type: 'object', default: atLimit }])).toEqual([]);
      expect(validateDeclarations([{ name: 'a', type: 'object', default: { ...atLimit, b: { c: 1 } } }])).toEqual([
        { field: 'variables[0].default', message: `must not contain more than ${MAX_VALUE_NODES} keys and items in total` },
      ]);
    });

    it(`rejects a default over ${MAX_VALUES_BYTES} bytes of JSON`, () => {
      const errors = validateDeclarations([{ name: 'a', type: 'string', default: 'x'.repeat(MAX_VALUES_BYTES) }]);
      expect(errors).toEqual([
        { field: 'variables[0].default', message: `must not exceed ${MAX_VALUES_BYTES} bytes when serialized as JSON` },
      ]);
    });

    it('rejects non-JSON data', () => {
      expect(fields(validateDeclarations([{ name: 'a', type: 'object', default: { f: () => 1, n: 1n } }]))).toEqual(
        expect.arrayContaining(['variables[0].default.f', 'variables[0].default.n']),
      );
    });
  });

  it('reports the problems of every item', () => {
    const errors = validateDeclarations([
      { name: 'a', type: 'string', minimum: 1 },
      { name: 'b', type: 'integer' },
      { name: 'c', type: 'array', enum: [] },
      'nope',
    ]);
    expect(fields(errors)).toEqual(['variables[0].minimum', 'variables[2].enum', 'variables[3]']);
  });
});

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

    it('tests the pattern with the u flag', () => {
      const word = decl('word', 'string', { pattern: '^\\p{L}+$' });
      expect(check(word, 'héllo').ok).toBe(true);
      expect(errorsOf(check(word, 'a1'))).toEqual([
        { field: 'actionVariables.word', message: 'must match the pattern ^\\p{L}+$' },
      ]);
      // Unanchored patterns match anywhere, as RegExp#test does.
      expect(check(decl('w', 'string', { pattern: 'b' }), 'abc').ok).toBe(true);
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

  describe('hostile-input bounds', () => {
    it.each(FORBIDDEN_KEYS.map((key) => [key]))('rejects the key %s at the top level and at any depth', (key) => {
      const values = JSON.parse(`{"${key}":1,"cfg":{"list":[{"${key}":{}}]}}`);
      const errors = errorsOf(validateVariables([decl('cfg', 'object')], values));
      expect(errors).toHaveLength(2);
      expect(errors).toEqual(
        expect.arrayContaining([
          { field: `actionVariables.${key}`, message: 'is a forbidden key' },
          { field: `actionVariables.cfg.list[0].${key}`, message: 'is a forbidden key' },
        ]),
      );
    });

    it('checks bounds before types, required and undeclared names', () => {
      const values = JSON.parse('{"cfg":{"__proto__":{}},"n":"not a number","undeclared":1}');
      const decls = [decl('cfg', 'object'), decl('n', 'number'), decl('req', 'string', { required: true })];
      expect(errorsOf(validateVariables(decls, values))).toEqual([
        { field: 'actionVariables.cfg.__proto__', message: 'is a forbidden key' },
      ]);
    });

    it(`accepts values nested ${MAX_VALUE_DEPTH} levels deep and rejects deeper ones`, () => {
      expect(validateVariables([decl('v', 'array')], { v: nested(MAX_VALUE_DEPTH) }).ok).toBe(true);
      expect(validateVariables([decl('v', 'object')], { v: { a: nested(MAX_VALUE_DEPTH - 1) } }).ok).toBe(true);
      expect(errorsOf(validateVariables([decl('v', 'array')], { v: nested(MAX_VALUE_DEPTH + 1) }))).toEqual([
        {
          field: `actionVariables.v${'[0]'.repeat(MAX_VALUE_DEPTH)}`,
          message: `must not nest deeper than ${MAX_VALUE_DEPTH} levels`,
        },
      ]);
    });

    it('survives extreme nesting and cycles without a stack overflow', () => {
      expect(errorsOf(validateVariables([decl('v', 'array')], { v: nested(200_000) }))).toHaveLength(1);
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(errorsOf(validateVariables([decl('v', 'object')], { v: cyclic }))[0].message).toBe(
        `must not nest deeper than ${MAX_VALUE_DEPTH} levels`,
      );
    });

    it(`counts at most ${MAX_VALUE_NODES} keys and items across the whole values object`, () => {
      const decls = [decl('a', 'array'), decl('b', 'object')];
      // 2 top-level keys + items + keys = MAX_VALUE_NODES
      const atLimit = { a: new Array(MAX_VALUE_NODES - 3).fill(1), b: { c: 1 } };
      expect(validateVariables(decls, atLimit).ok).toBe(true);
      expect(errorsOf(validateVariables(decls, { ...atLimit, b: { c: 1, d: 2 } }))).toEqual([
        { field: 'actionVariables', message: `must not contain more than ${MAX_VALUE_NODES} keys and items in total` },
      ]);
    });

    it('stops counting before walking a huge array', () => {
      expect(errorsOf(validateVariables([decl('a', 'array')], { a: new Array(10_000_000) }))).toHaveLength(1);
    });

    it(`limits the serialized values object to ${MAX_VALUES_BYTES} UTF-8 bytes`, () => {
      const overhead = JSON.stringify({ s: '' }).length;
      const decls = [decl('s', 'string')];
      expect(validateVariables(decls, { s: 'x'.repeat(MAX_VALUES_BYTES - overhead) }).ok).toBe(true);
      expect(errorsOf(validateVariables(decls, { s: 'x'.repeat(MAX_VALUES_BYTES - overhead + 1) }))).toEqual([
        { field: 'actionVariables', message: `must not exceed ${MAX_VALUES_BYTES} bytes when serialized as JSON` },
      ]);
      // Fewer characters than the limit, but two bytes each.
      expect(validateVariables(decls, { s: 'é'.repeat(MAX_VALUES_BYTES / 2) }).ok).toBe(false);
    });

    it('rejects data that is not JSON, at its path', () => {
      const decls = [decl('o', 'object'), decl('f', 'string')];
      const errors = errorsOf(validateVariables(decls, { o: { when: new Date(), n: 1n, s: Symbol('s') }, f: () => 'x' }));
      expect(fields(errors).sort()).toEqual([
        'actionVariables.f',
        'actionVariables.o.n',
        'actionVariables.o.s',
        'actionVariables.o.when',
      ]);
    });
  });
});
