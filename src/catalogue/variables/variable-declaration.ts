import type { FieldError } from '../../common/errors/domain-error';
import { FORBIDDEN_KEYS, checkBounds, checkType, checkValue, jsonSizeErrors } from './validate-variables';
import { isPlainObject } from '../../common/validation/plain-object';
import { charCount, unsafeTextReason } from '../../common/validation/safe-text';
import { MAX_PATTERN_CHARS, patternCompileError } from './pattern';

export const VARIABLE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** The keys and where each applies: docs/contracts.md, "Variable declarations". */
export interface VariableDeclaration {
  name: string;
  type: VariableType;
  required?: boolean;
  default?: unknown;
  description?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  secret?: boolean;
}

export type { FieldError };

const DECLARATION_KEYS = new Set([
  'name', 'type', 'required', 'default', 'description', 'enum', 'pattern', 'minimum', 'maximum', 'maxLength', 'secret',
]);
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_DESCRIPTION_CHARS = 1024;
const CONSTRAINT_TYPES = {
  pattern: ['string'],
  minimum: ['number', 'integer'],
  maximum: ['number', 'integer'],
  maxLength: ['string', 'array'],
} as const satisfies Record<string, readonly VariableType[]>;

function isVariableType(value: unknown): value is VariableType {
  return (VARIABLE_TYPES as readonly unknown[]).includes(value);
}

/** What makes a declared text unusable, or undefined. */
function textProblem(value: unknown, maxChars: number, freeText: boolean): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (charCount(value) > maxChars) return `must be at most ${maxChars} characters long`;
  return unsafeTextReason(value, { freeText });
}

function patternProblem(pattern: unknown): string | undefined {
  const problem = textProblem(pattern, MAX_PATTERN_CHARS, false);
  if (problem) return problem;
  const compileError = patternCompileError(pattern as string);
  return compileError ? `is not a valid regular expression: ${compileError}` : undefined;
}

function checkConstraints(decl: Record<string, unknown>, type: VariableType, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (key: string, message: string) => errors.push({ field: `${field}.${key}`, message });
  for (const [key, types] of Object.entries(CONSTRAINT_TYPES)) {
    if (decl[key] !== undefined && !(types as readonly VariableType[]).includes(type)) {
      fail(key, `only applies to ${types.join(' and ')} variables`);
    }
  }
  const { pattern, minimum, maximum, maxLength } = decl;
  const problem = pattern === undefined ? undefined : patternProblem(pattern);
  if (problem) fail('pattern', problem);
  for (const [key, bound] of [['minimum', minimum], ['maximum', maximum]] as const) {
    if (bound !== undefined && !(typeof bound === 'number' && Number.isFinite(bound))) {
      fail(key, 'must be a finite number');
    }
  }
  if (typeof minimum === 'number' && typeof maximum === 'number' && minimum > maximum) {
    fail('minimum', 'must not be greater than maximum');
  }
  if (maxLength !== undefined && !(typeof maxLength === 'number' && Number.isInteger(maxLength) && maxLength >= 0)) {
    fail('maxLength', 'must be an integer >= 0');
  }
  if (decl.enum !== undefined) errors.push(...checkEnum(decl.enum, type, `${field}.enum`));
  return errors;
}

function checkEnum(values: unknown, type: VariableType, field: string): FieldError[] {
  if (!Array.isArray(values) || values.length === 0) return [{ field, message: 'must be a non-empty array' }];
  const boundErrors = checkBounds(values, field, true);
  if (boundErrors.length) return boundErrors;
  return values.flatMap((value, i) => checkType(type, value, `${field}[${i}]`));
}

function checkDeclaration(decl: unknown, field: string): FieldError[] {
  if (!isPlainObject(decl)) return [{ field, message: 'must be an object' }];
  const errors: FieldError[] = [];
  const fail = (key: string, message: string) => errors.push({ field: `${field}.${key}`, message });
  for (const key of Object.keys(decl)) {
    if (!DECLARATION_KEYS.has(key)) fail(key, 'is not a known declaration property');
  }
  if (typeof decl.name !== 'string' || !VARIABLE_NAME_PATTERN.test(decl.name)) {
    fail('name', "must be 1-64 characters: a letter or '_', then letters, digits, '_', '.' or '-'");
  } else if (FORBIDDEN_KEYS.includes(decl.name)) {
    fail('name', 'is a reserved name');
  }
  for (const key of ['required', 'secret']) {
    if (decl[key] !== undefined && typeof decl[key] !== 'boolean') fail(key, 'must be a boolean');
  }
  const descriptionProblem = decl.description === undefined ? undefined : textProblem(decl.description, MAX_DESCRIPTION_CHARS, true);
  if (descriptionProblem) fail('description', descriptionProblem);
  if (!isVariableType(decl.type)) {
    fail('type', `must be one of: ${VARIABLE_TYPES.join(', ')}`);
    return errors;
  }

  const constraintErrors = checkConstraints(decl, decl.type, field);
  errors.push(...constraintErrors);
  if (decl.default === undefined) return errors;
  if (decl.required === true) {
    fail('default', 'a required variable cannot have a default');
  } else if (constraintErrors.length === 0) {
    // Only now is the declaration sound enough to judge its default; the other keys do not affect it.
    const boundErrors = checkBounds(decl.default, `${field}.default`);
    const sound = decl as unknown as VariableDeclaration;
    errors.push(...(boundErrors.length ? boundErrors : checkValue(sound, decl.default, `${field}.default`)));
  }
  return errors;
}

/** Validates a declaration list as it arrives from a client or a YAML file, reporting every problem. */
export function validateDeclarations(decls: unknown, fieldPrefix = 'variables'): FieldError[] {
  if (!Array.isArray(decls)) return [{ field: fieldPrefix, message: 'must be an array' }];
  const seen = new Set<string>();
  const errors = decls.flatMap((decl, i) => {
    const field = `${fieldPrefix}[${i}]`;
    const itemErrors = checkDeclaration(decl, field);
    if (isPlainObject(decl) && typeof decl.name === 'string') {
      if (seen.has(decl.name)) {
        itemErrors.push({ field: `${field}.name`, message: 'duplicates the name of an earlier variable' });
      }
      seen.add(decl.name);
    }
    return itemErrors;
  });
  // The list is stored as one JSON column: its whole size is bounded too.
  return errors.length ? errors : jsonSizeErrors(decls, fieldPrefix);
}
