import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

// Stays under MySQL TEXT (65,535 bytes), where JSON values are stored (docs/contracts.md, "Bounds").
export const MAX_JSON_COLUMN_BYTES = 60 * 1024;

/** UTF-8 bytes of the JSON a `simple-json` column stores for the value; undefined when it is not serialisable. */
export function jsonByteLength(value: unknown): number | undefined {
  try {
    const json = JSON.stringify(value) as string | undefined;
    return json === undefined ? undefined : Buffer.byteLength(json, 'utf8');
  } catch {
    return undefined;
  }
}

export function MaxJsonBytes(max: number, options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      constraints: [max],
      validator: {
        validate: (value: unknown) => (jsonByteLength(value) ?? Infinity) <= max,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must be JSON of at most ${max} bytes`,
      },
    },
    options,
  );
}

/** Keeps the parsed value: class-transformer's copy skips keys named like Object.prototype members (`toString` …). */
export function KeepAsSent(): PropertyDecorator {
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => obj[key], { toClassOnly: true });
}
