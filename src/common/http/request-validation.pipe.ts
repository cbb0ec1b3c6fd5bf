import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage, IS_OPTIONAL, ValidationTypes, type ValidatorOptions } from 'class-validator';

interface DtoShape {
  nested: string[];
  absentWhenNull: string[];
}

const shapes = new WeakMap<object, DtoShape>();

function shapeOf(target: object): DtoShape | undefined {
  // The prototype's, as a body may carry a "constructor" property of its own.
  const type: unknown = Object.getPrototypeOf(target)?.constructor;
  if (typeof type !== 'function') return undefined;
  let shape = shapes.get(type);
  if (!shape) {
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    const properties = (kind: string, name?: string) => [
      ...new Set(metadatas.filter((item) => item.type === kind && (name === undefined || item.name === name)).map((item) => item.propertyName)),
    ];
    const nullable = (property: string) => Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, type.prototype, property)?.nullable === true;
    shape = {
      nested: properties(ValidationTypes.NESTED_VALIDATION),
      absentWhenNull: properties(ValidationTypes.CONDITIONAL_VALIDATION, IS_OPTIONAL).filter((property) => !nullable(property)),
    };
    shapes.set(type, shape);
  }
  return shape;
}

function error(property: string, init: Partial<ValidationError>): ValidationError {
  return { property, children: [], ...init };
}

function nestedErrors(value: unknown): ValidationError[] {
  return typeof value === 'object' && value !== null ? normalize(value) : [];
}

function itemErrors(property: string, index: number, item: unknown): ValidationError[] {
  if (Array.isArray(item)) return [error(String(index), { constraints: { nestedValidation: `each value in ${property} must be an object` } })];
  const children = nestedErrors(item);
  return children.length > 0 ? [error(String(index), { children })] : [];
}

function normalize(target: object): ValidationError[] {
  const shape = shapeOf(target);
  if (!shape) return [];
  const record = target as Record<string, unknown>;
  for (const property of shape.absentWhenNull) if (record[property] === null) delete record[property];
  return shape.nested.flatMap((property) => {
    const value = record[property];
    const children = Array.isArray(value) ? value.flatMap((item: unknown, index) => itemErrors(property, index, item)) : nestedErrors(value);
    return children.length > 0 ? [error(property, { children })] : [];
  });
}

/** class-validator passes `[[]]` for a nested object and `null` for an optional string: both reached the services (docs/api.md, "Request bodies"). */
export class RequestValidationPipe extends ValidationPipe {
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    const misplaced = normalize(object);
    return misplaced.length > 0 ? misplaced : super.validate(object, options);
  }
}
