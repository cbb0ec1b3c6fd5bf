import { describe, expect, it } from 'vitest';
import { isPlainObject } from '../../common/validation/plain-object';
import { FORBIDDEN_KEYS, MAX_VALUE_DEPTH, MAX_VALUE_NODES, MAX_VALUES_BYTES, VariableDeclaration, validateVariables } from './index';

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

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);

const decl = (name: string, type: VariableDeclaration['type'], extra: Partial<VariableDeclaration> = {}) => ({
  name,
  type,
  ...extra,
});

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

describe('validateVariables: hostile-input bounds', () => {
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

  it(`limits the stored values, defaults included, to ${MAX_VALUES_BYTES} bytes`, () => {
    const half = 'é'.repeat(MAX_VALUES_BYTES / 4);
    const decls = [decl('given', 'string'), decl('filled', 'string', { default: half })];
    expect(validateVariables(decls, { given: 'x' }).ok).toBe(true);
    expect(errorsOf(validateVariables(decls, { given: half }))).toEqual([
      { field: 'actionVariables', message: `must not exceed ${MAX_VALUES_BYTES} bytes when serialized as JSON, defaults included` },
    ]);
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
