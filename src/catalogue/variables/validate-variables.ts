import type { FieldError, VariableDeclaration, VariableType } from './variable-declaration';
import { jsonByteLength, MAX_JSON_COLUMN_BYTES } from '../../common/validation/json-bytes';
import { isPlainObject, PROTOTYPE_KEYS } from '../../common/validation/plain-object';
import { charCount } from '../../common/validation/safe-text';
import { matchesPattern } from './pattern';

// Bounds on every value tree a client sends, so one request cannot exhaust the gateway (docs/contracts.md, "Bounds").
export const MAX_VALUE_DEPTH = 10;
export const MAX_VALUE_NODES = 1000;
// Stays under MySQL TEXT (65,535 bytes), where the validated variables are stored with the job.
export const MAX_VALUES_BYTES = MAX_JSON_COLUMN_BYTES;
export const FORBIDDEN_KEYS = PROTOTYPE_KEYS;

export type ValidateVariablesResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: FieldError[] };

type JsonNode = null | undefined | string | number | boolean | unknown[] | Record<string, unknown>;

// Only what round-trips through JSON; `undefined` means "absent" (docs/contracts.md, "Bounds").
function isJsonNode(value: unknown): value is JsonNode {
  return (
    value === null ||
    ['string', 'number', 'boolean', 'undefined'].includes(typeof value) ||
    Array.isArray(value) ||
    isPlainObject(value)
  );
}

/** Iterative and stopping at the first limit, so hostile nesting or cycles cannot overflow (docs/contracts.md, "Bounds"). */
export function checkBounds(root: unknown, field: string, rootWrapsValues = false): FieldError[] {
  const errors: FieldError[] = [];
  const pending = [{ value: root, path: field, depth: rootWrapsValues ? -1 : 0 }];
  let nodes = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (!isJsonNode(value)) {
      errors.push({ field: path, message: 'must be JSON data (no functions, class instances, symbols, bigints)' });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_VALUE_DEPTH) {
      return [{ field: path, message: `must not nest deeper than ${MAX_VALUE_DEPTH} levels` }];
    }
    const isArray = Array.isArray(value);
    const keys = isArray ? [] : Object.keys(value);
    nodes += isArray ? value.length : keys.length;
    if (nodes > MAX_VALUE_NODES) {
      return [{ field, message: `must not contain more than ${MAX_VALUE_NODES} keys and items in total` }];
    }
    if (isArray) value.forEach((item, i) => pending.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
    else {
      for (const key of keys) {
        const child = { value: value[key], path: `${path}.${key}`, depth: depth + 1 };
        if (FORBIDDEN_KEYS.includes(key)) errors.push({ field: child.path, message: 'is a forbidden key' });
        else pending.push(child);
      }
    }
  }
  if (errors.length) return errors;
  return jsonSizeErrors(root, field);
}

export function jsonSizeErrors(value: unknown, field: string, what = ''): FieldError[] {
  return (jsonByteLength(value) ?? 0) > MAX_VALUES_BYTES
    ? [{ field, message: `must not exceed ${MAX_VALUES_BYTES} bytes when serialized as JSON${what}` }]
    : [];
}

const TYPE_NAMES: Record<VariableType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function matchesType(type: VariableType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'boolean':
      return typeof value === type;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
  }
}

// Recursion is safe here: one side always passed checkBounds, and the walk ends at the shallower side.
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
  );
}

export function checkType(type: VariableType, value: unknown, field: string): FieldError[] {
  return matchesType(type, value) ? [] : [{ field, message: `must be ${TYPE_NAMES[type]}` }];
}

/** Messages never quote the value, because it may be a secret. */
export function checkValue(decl: VariableDeclaration, value: unknown, field: string): FieldError[] {
  const typeErrors = checkType(decl.type, value, field);
  if (typeErrors.length) return typeErrors;
  const messages: string[] = [];
  if (decl.enum && !decl.enum.some((allowed) => jsonEqual(allowed, value))) {
    messages.push(`must be one of: ${decl.enum.map((allowed) => JSON.stringify(allowed)).join(', ')}`);
  }
  if (typeof value === 'string') {
    // Length before pattern: no pattern runs over a value that is refused anyway (docs/contracts.md, "Patterns").
    if (decl.maxLength !== undefined && charCount(value) > decl.maxLength) {
      messages.push(`must be at most ${decl.maxLength} characters long`);
    } else if (decl.pattern !== undefined) {
      const matched = matchesPattern(decl.pattern, value);
      if (matched === undefined) messages.push('cannot be checked: the declared pattern is not valid RE2 syntax');
      else if (!matched) messages.push(`must match the pattern ${decl.pattern}`);
    }
  }
  if (typeof value === 'number') {
    if (decl.minimum !== undefined && value < decl.minimum) messages.push(`must be >= ${decl.minimum}`);
    if (decl.maximum !== undefined && value > decl.maximum) messages.push(`must be <= ${decl.maximum}`);
  }
  if (Array.isArray(value) && decl.maxLength !== undefined && value.length > decl.maxLength) {
    messages.push(`must have at most ${decl.maxLength} items`);
  }
  return messages.map((message) => ({ field, message }));
}

/** Bounds are a gate: a tree that breaks them is not inspected further. */
export function validateVariables(
  decls: VariableDeclaration[],
  values: unknown,
  fieldPrefix = 'actionVariables',
): ValidateVariablesResult {
  const submitted = values ?? {};
  if (!isPlainObject(submitted)) return { ok: false, errors: [{ field: fieldPrefix, message: 'must be an object' }] };
  const boundErrors = checkBounds(submitted, fieldPrefix, true);
  if (boundErrors.length) return { ok: false, errors: boundErrors };

  const declared = new Set(decls.map((decl) => decl.name));
  const errors: FieldError[] = Object.keys(submitted)
    .filter((name) => !declared.has(name))
    .map((name) => ({ field: `${fieldPrefix}.${name}`, message: 'is not a declared variable' }));
  const entries: [string, unknown][] = [];
  for (const decl of decls) {
    const field = `${fieldPrefix}.${decl.name}`;
    // hasOwn: a variable named like an Object.prototype member must not pick up the inherited one.
    const value = Object.hasOwn(submitted, decl.name) ? submitted[decl.name] : undefined;
    if (value !== undefined) {
      errors.push(...checkValue(decl, value, field));
      entries.push([decl.name, value]);
    } else if (decl.required) {
      errors.push({ field, message: 'is required' });
    } else if (decl.default !== undefined) {
      // A clone, so that callers mutating the result cannot change the declaration.
      entries.push([decl.name, structuredClone(decl.default)]);
    }
  }
  if (errors.length) return { ok: false, errors };
  // fromEntries defines own properties, so no name can reach a prototype setter.
  const value = Object.fromEntries(entries);
  const sizeErrors = jsonSizeErrors(value, fieldPrefix, ', defaults included');
  return sizeErrors.length ? { ok: false, errors: sizeErrors } : { ok: true, value };
}
