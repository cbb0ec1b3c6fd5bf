import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_MAX_ITEMS = 100;

const MAX_ITEMS_DIGITS = /^(1000|[1-9]\d{0,2})$/;
const MESSAGE = { message: 'maxItems must be an integer from 1 to 1000' };

/** The page size of a list query: digits become a number, anything else stays as sent and fails validation. */
export function MaxItems(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: DEFAULT_MAX_ITEMS, minimum: 1, maximum: 1000 }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && MAX_ITEMS_DIGITS.test(value) ? Number(value) : value)),
    IsOptional(MESSAGE),
    IsInt(MESSAGE),
    Min(1, MESSAGE),
    Max(1000, MESSAGE),
  );
}
