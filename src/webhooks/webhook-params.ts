import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { DomainError } from '../common/errors/domain-error';

const ID = /^[1-9][0-9]{0,18}$/;

function parseId(raw: string, field: string, max: bigint): string {
  if (ID.test(raw) && BigInt(raw) <= max) return raw;
  throw new DomainError('VALIDATION_FAILED', `The ${field} must be a positive integer.`, { errors: [{ field, message: 'must be a positive integer written in digits' }] });
}

/** A webhook id from the path (a 32-bit integer column). */
@Injectable()
export class WebhookIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    return Number(parseId(value, 'id', 2_147_483_647n));
  }
}

/** A delivery id from the path (64-bit, kept as digits). */
@Injectable()
export class DeliveryIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return parseId(value, 'deliveryId', 9_223_372_036_854_775_807n);
  }
}

export const WebhookIdParam = () => ApiParam({ name: 'id', description: 'The webhook id', schema: { type: 'integer', minimum: 1 }, example: 3 });
export const DeliveryIdParam = () =>
  ApiParam({ name: 'deliveryId', description: 'The delivery id', schema: { type: 'string', pattern: ID.source }, example: '1042' });
