import { ApiProperty } from '@nestjs/swagger';
import { ApiInstant, ApiInteger } from '../../common/openapi/api-fields';

/** An API key as listed: never its secret. */
export class ApiKeyDto {
  @ApiInteger({ minimum: 1, example: 7, description: 'The id to revoke it with' }) id: number;
  @ApiProperty({ pattern: '^[0-9a-f]{12}$', example: '3f9a0c1b2d4e', description: 'Non-secret start of the key, to tell keys apart' })
  prefix: string;
  @ApiProperty({ example: 'billing-integration', description: 'The principal name the key acts as' }) principal: string;
  @ApiProperty({ type: [String], example: ['Integrations'] }) roles: string[];
  @ApiProperty({ type: String, nullable: true, example: 'billing integration' }) description: string | null;
  @ApiProperty({ example: 'admin', description: 'The principal that created the key' }) createdBy: string;
  @ApiInstant() createdAt: string;
  @ApiInstant({ nullable: true, example: '2027-01-01T00:00:00.000Z', description: 'null: never expires' }) expiresAt: string | null;
  @ApiInstant({ nullable: true, example: null, description: 'null: not revoked' }) revokedAt: string | null;
  @ApiInstant({ nullable: true, example: null, description: 'At one-minute resolution; null: never used' }) lastUsedAt: string | null;
}

/** The answer to creating a key: the only time the key itself is shown. */
export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    pattern: '^gw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$',
    example: 'gw_3f9a0c1b2d4e_q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C',
    description: 'Send it as X-API-Key; shown in this answer only, stored as a hash',
  })
  key: string;
}
