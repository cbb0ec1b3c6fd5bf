import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

const MAX_JOB_ID = 9223372036854775807n;

/** A job id from the path: a positive 64-bit integer written in digits, normalised ("007" → "7"), or a 400. */
export function parseJobId(raw: string): string {
  if (/^\d{1,19}$/.test(raw)) {
    const value = BigInt(raw);
    if (value > 0n && value <= MAX_JOB_ID) return value.toString();
  }
  throw new DomainError('VALIDATION_FAILED', 'The job id must be a positive 64-bit integer.', {
    errors: [{ field: 'id', message: 'must be a positive 64-bit integer written in digits' }],
  });
}

@Injectable()
export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return parseJobId(value);
  }
}
