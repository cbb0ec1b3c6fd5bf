import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error';
import { KeepAsSent } from './json-bytes';
import { StrictValidationPipe, VALIDATION_OPTIONS } from './strict-validation.pipe';

class Item {
  @IsString() label: string;
}

class Body {
  @IsString() name: string;

  @IsOptional() @KeepAsSent() @IsObject() kept?: Record<string, unknown>;

  @IsOptional() @IsObject() copied?: Record<string, unknown>;

  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
}

const METADATA: ArgumentMetadata = { type: 'body', metatype: Body };

async function refusal(pipe: ValidationPipe, json: string) {
  const outcome = await pipe.transform(JSON.parse(json), METADATA).then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(DomainError);
  return (outcome.error as DomainError).options.errors;
}

describe('StrictValidationPipe', () => {
  const strict = new StrictValidationPipe(VALIDATION_OPTIONS);
  const nest = new ValidationPipe(VALIDATION_OPTIONS);

  it.each([
    ['{"name":"n","kept":{"a":{"constructor":1}}}', 'kept.a.constructor'],
    ['{"name":"n","kept":{"prototype":{}}}', 'kept.prototype'],
    ['{"name":"n","constructor":"x"}', 'constructor'],
    ['{"name":"n","items":[{"label":"l","prototype":1}]}', 'items[0].prototype'],
  ])('refuses %s naming %s, where Nest deletes the key silently', async (json, field) => {
    expect(await refusal(strict, json)).toEqual([{ field, message: 'is a forbidden key' }]);
    expect(JSON.stringify(await nest.transform(JSON.parse(json), METADATA))).not.toContain(field.split('.').pop());
  });

  it.each([
    ['{"name":"n","toString":"x"}', 'toString'],
    ['{"name":"n","items":[{"label":"l","valueOf":1}]}', 'items[0].valueOf'],
    ['{"name":"n","copied":{"hasOwnProperty":true,"a":1}}', 'copied.hasOwnProperty'],
  ])('refuses %s naming %s, where class-transformer drops the key silently', async (json, field) => {
    expect(await refusal(strict, json)).toEqual([{ field, message: 'is not accepted here: the name of an Object.prototype member' }]);
    await expect(nest.transform(JSON.parse(json), METADATA)).resolves.toBeInstanceOf(Body);
  });

  it('keeps such keys in a field that keeps its value as sent', async () => {
    const sent = JSON.parse('{"name":"n","kept":{"toString":"x","valueOf":{"isPrototypeOf":[1]}}}');
    const body = (await strict.transform(sent, METADATA)) as Body;
    expect(body).toBeInstanceOf(Body);
    expect(JSON.stringify(body.kept)).toBe('{"toString":"x","valueOf":{"isPrototypeOf":[1]}}');
  });

  it('still answers the usual validation errors first', async () => {
    expect(await refusal(strict, '{"name":1,"toString":"x"}')).toEqual([{ field: 'name', message: 'name must be a string' }]);
  });
});
