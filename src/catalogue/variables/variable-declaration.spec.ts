import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYS, MAX_VALUE_DEPTH, MAX_VALUE_NODES, MAX_VALUES_BYTES, validateDeclarations } from './index';
import { patternCompileError } from './pattern';

/** `levels` nested arrays around `leaf`: nested(2) is [[0]]. */
function nested(levels: number, leaf: unknown = 0): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);

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

  it('requires the pattern to be a string that RE2 compiles, quoting its message', () => {
    expect(validateDeclarations([{ name: 'a', type: 'string', pattern: /a/ }])).toEqual([
      { field: 'variables[0].pattern', message: 'must be a string' },
    ]);
    const [unclosed] = validateDeclarations([{ name: 'a', type: 'string', pattern: '(' }]);
    expect(unclosed.field).toBe('variables[0].pattern');
    expect(unclosed.message).toBe(`is not a valid regular expression: ${patternCompileError('(')}`);
    expect(fields(validateDeclarations([{ name: 'a', type: 'string', pattern: '\\q' }]))).toEqual(['variables[0].pattern']);
    // Valid JavaScript, but not RE2: lookarounds and backreferences would need backtracking.
    for (const pattern of ['^(?!x)', '(a)\\1']) {
      expect(fields(validateDeclarations([{ name: 'a', type: 'string', pattern }]))).toEqual(['variables[0].pattern']);
    }
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

    it('checks maxLength before the pattern, which never runs over a value refused anyway', () => {
      expect(validateDeclarations([{ name: 'a', type: 'string', pattern: '^\\d+$', maxLength: 1, default: 'ab' }])).toEqual([
        { field: 'variables[0].default', message: 'must be at most 1 characters long' },
      ]);
      expect(validateDeclarations([{ name: 'a', type: 'string', pattern: '^\\d+$', enum: ['1', 'b'], default: 'b' }])).toEqual([
        { field: 'variables[0].default', message: 'must match the pattern ^\\d+$' },
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
