import { ApiProperty } from '@nestjs/swagger';
import { RESOURCES, type Resource } from '../../config/resources';

/** Who the caller is and what the permission map lets it do, so a client can hide what would be refused. */
export class MeResponseDto {
  @ApiProperty({ example: 'alice', description: 'The stable name used in the IPID (JWT sub, API key principal, user name)' })
  principal: string;

  @ApiProperty({ enum: ['jwt', 'api-key', 'basic'] })
  via: 'jwt' | 'api-key' | 'basic';

  @ApiProperty({ example: ['Administrators'] })
  roles: string[];

  @ApiProperty({
    enum: RESOURCES,
    isArray: true,
    example: ['WORKFLOW', 'SPENGCEMANJOBS', 'JOBS_ALL'],
    description: 'The resources of the permission map the roles grant',
  })
  permissions: Resource[];
}
