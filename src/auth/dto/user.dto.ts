import { ApiProperty } from '@nestjs/swagger';
import { ApiInstant } from '../../common/openapi/api-fields';

/** A local user (HTTP Basic): never its password or hash. */
export class UserDto {
  @ApiProperty({ example: 'alice' }) name: string;
  @ApiProperty({ type: [String], example: ['Users'] }) roles: string[];
  @ApiProperty({ example: true, description: 'false: its credentials are refused' }) enabled: boolean;
  @ApiInstant() createdAt: string;
  @ApiInstant() updatedAt: string;
}
