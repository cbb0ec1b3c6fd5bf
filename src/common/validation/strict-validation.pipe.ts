import type { ArgumentMetadata, ValidationPipeOptions } from '@nestjs/common';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import { DomainError, FieldError } from '../errors/domain-error';
import { toFieldErrors } from '../errors/validation-errors';
import { PROTOTYPE_KEYS } from './plain-object';

// class-transformer skips these when it copies an object (docs/contracts.md, "Key names").
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

type Visit = { value: unknown; path: string };

const pathOf = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Every path whose key is one of PROTOTYPE_KEYS, and whether any key is named like an Object.prototype member. */
export function scanKeys(root: unknown): { forbidden: string[]; inherited: boolean } {
  const forbidden: string[] = [];
  let inherited = false;
  const pending: Visit[] = [{ value: root, path: '' }];
  const seen = new WeakSet<object>();
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (!isObject(value) || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: pathOf(path, index) }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.includes(key)) forbidden.push(pathOf(path, key));
      else pending.push({ value: value[key], path: pathOf(path, key) });
      inherited ||= INHERITED_NAMES.has(key);
    }
  }
  return { forbidden, inherited };
}

/** Paths of keys named like Object.prototype members that the sent value has and the validated one lost. */
export function droppedKeyPaths(sent: unknown, validated: unknown): string[] {
  const dropped: string[] = [];
  const pending = [{ sent, validated, path: '' }];
  const seen = new WeakSet<object>();
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { sent: from, validated: to, path } = next;
    if (!isObject(from) || !isObject(to) || seen.has(from)) continue;
    seen.add(from);
    for (const key of Array.isArray(from) ? from.keys() : Object.keys(from)) {
      const childPath = pathOf(path, key);
      if (typeof key === 'string' && INHERITED_NAMES.has(key) && !Object.hasOwn(to, key)) dropped.push(childPath);
      else pending.push({ sent: (from as Record<string | number, unknown>)[key], validated: (to as Record<string | number, unknown>)[key], path: childPath });
    }
  }
  return dropped;
}

function refuse(fields: string[], message: string): DomainError {
  const errors: FieldError[] = fields.map((field) => ({ field, message }));
  return new DomainError('VALIDATION_FAILED', 'One or more fields are invalid.', { errors });
}

/** Nest's pipe deletes `constructor`/`prototype` keys and class-transformer skips `toString` …: this one refuses both. */
export class StrictValidationPipe extends RequestValidationPipe {
  private readonly withInheritedNames = new WeakSet<object>();

  protected override stripProtoKeys(value: unknown): void {
    const { forbidden, inherited } = scanKeys(value);
    if (forbidden.length > 0) throw refuse(forbidden, 'is a forbidden key');
    if (inherited && isObject(value)) this.withInheritedNames.add(value);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated: unknown = await super.transform(value, metadata);
    if (!isObject(value) || !this.withInheritedNames.has(value)) return validated;
    const dropped = droppedKeyPaths(value, validated);
    if (dropped.length > 0) throw refuse(dropped, 'is not accepted here: the name of an Object.prototype member');
    return validated;
  }
}

/** The global pipe's options, shared by the app and the pipe's tests. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  // Values are read only to name the problem (missing, wrong type), never echoed: they may be secrets.
  validationError: { target: false, value: true },
  exceptionFactory: (errors) => new DomainError('VALIDATION_FAILED', 'One or more fields are invalid.', { errors: toFieldErrors(errors) }),
};
