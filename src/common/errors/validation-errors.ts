import type { ValidationError } from 'class-validator';
import type { FieldError } from './domain-error';

// Constraints that only make sense for a string / a number: on another type, the type is the real problem.
const STRING_CONSTRAINTS = new Set(['maxLength', 'minLength', 'isLength', 'matches', 'charLength', 'isSafeText', 'isNotEmpty']);
const NUMBER_CONSTRAINTS = new Set(['min', 'max', 'isPositive', 'isNegative']);

const typeName = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/** The message naming the real problem: missing, wrong type, or the constraint's own (docs/api.md, "Errors"). */
function messageOf(error: ValidationError, field: string, constraint: string, message: string): string {
  if (constraint === 'whitelistValidation') return `${field} is not a known property`;
  // Errors made by our own pipes carry no `value` at all: only class-validator's say the value was absent.
  if (!Object.hasOwn(error, 'value')) return message;
  if (error.value === undefined) return `${field} is required`;
  // An array of strings may be an `each` validation, whose message is already right.
  const eachOfStrings = Array.isArray(error.value) && error.value.every((item) => typeof item === 'string');
  if (STRING_CONSTRAINTS.has(constraint) && typeof error.value !== 'string' && !eachOfStrings) {
    return `${field} must be a string, not ${typeName(error.value)}`;
  }
  if (NUMBER_CONSTRAINTS.has(constraint) && typeof error.value !== 'number') return `${field} must be a number, not ${typeName(error.value)}`;
  return message;
}

/** Flattens class-validator's nested errors into `{field, message}` pairs with paths like `actions[0].queue`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, message: messageOf(error, field, constraint, message) }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}
